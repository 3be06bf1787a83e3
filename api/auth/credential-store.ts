import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import type { Actor, Role } from '../../workflows/update-request.contract';
import { generateApiKey, hashApiKey } from './api-keys';

export interface NewCustomer {
  id: string;
  name: string;
  timeZone?: string;
  /** The language of the customer's messages (default 'en'); see isLanguageTag. */
  language?: string;
}

export interface NewCredential {
  role: Role;
  /** Who holds the key: becomes the actor id in every audit entry the key causes. */
  subject: string;
  /** Required for, and only for, the customer role. */
  customerId?: string;
}

export interface IssuedCredential {
  id: string;
  /** The key itself: shown once, only its hash is stored. */
  apiKey: string;
  actor: Actor;
}

/** Customers and their API credentials (`customers`, `api_credentials`), used by the guard and the CLI. */
export class CredentialStore {
  constructor(private readonly dataSource: DataSource) {}

  async createCustomer({ id, name, timeZone, language }: NewCustomer): Promise<void> {
    assertLanguageTag(language);
    await this.dataSource.query(
      `INSERT INTO customers (id, name, time_zone, language) VALUES ($1, $2, COALESCE($3, 'Europe/Zurich'), COALESCE($4, 'en'))`,
      [id, name, timeZone ?? null, language ?? null],
    );
  }

  /** Changes the language of the customer's messages from the next one on; false for an unknown customer. */
  async setLanguage(customerId: string, language: string): Promise<boolean> {
    assertLanguageTag(language);
    const [, affected]: [unknown, number] = await this.dataSource.query(`UPDATE customers SET language = $2 WHERE id = $1`, [customerId, language]);
    return affected > 0;
  }

  async customerExists(id: string): Promise<boolean> {
    const rows: unknown[] = await this.dataSource.query(`SELECT 1 FROM customers WHERE id = $1`, [id]);
    return rows.length > 0;
  }

  async issue({ role, subject, customerId }: NewCredential): Promise<IssuedCredential> {
    if ((role === 'customer') !== (customerId !== undefined)) {
      throw new Error('a customer credential needs a customer id; operator and auditor credentials take none');
    }
    const id = randomUUID();
    const apiKey = generateApiKey();
    const [customer]: unknown[] = customerId === undefined ? [true]
      : await this.dataSource.query(`SELECT 1 FROM customers WHERE id = $1`, [customerId]);
    if (!customer) throw new Error(`no customer ${customerId}: create it first`);
    await this.dataSource.query(
      `INSERT INTO api_credentials (id, key_hash, role, customer_id, subject) VALUES ($1, $2, $3, $4, $5)`,
      [id, hashApiKey(apiKey), role, customerId ?? null, subject],
    );
    return { id, apiKey, actor: toActor({ role, subject, customer_id: customerId ?? null }) };
  }

  async revoke(id: string): Promise<boolean> {
    const [, affected]: [unknown, number] = await this.dataSource.query(
      `UPDATE api_credentials SET revoked_at = now() WHERE id = $1 AND revoked_at IS NULL`, [id]);
    return affected > 0;
  }

  /** The actor a presented key stands for; undefined for an unknown or revoked key. */
  async actorForKey(apiKey: string): Promise<Actor | undefined> {
    const rows: CredentialRow[] = await this.dataSource.query(
      `SELECT role, subject, customer_id FROM api_credentials WHERE key_hash = $1 AND revoked_at IS NULL`,
      [hashApiKey(apiKey)],
    );
    return rows.length === 1 ? toActor(rows[0]) : undefined;
  }
}

/** A lower-case BCP 47 language tag with optional subtags: 'en', 'de', 'de-CH' (the column's check says the same). */
function assertLanguageTag(language: string | undefined): void {
  if (language !== undefined && !/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/.test(language)) {
    throw new Error(`language must be a language tag such as en or de, not ${JSON.stringify(language)}`);
  }
}

interface CredentialRow {
  role: Role;
  subject: string;
  customer_id: string | null;
}

function toActor({ role, subject, customer_id }: CredentialRow): Actor {
  return customer_id === null ? { id: subject, role } : { id: subject, role, customerId: customer_id };
}
