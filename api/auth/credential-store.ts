import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import type { Actor, Role } from '../../workflows/update-request.contract';
import { generateApiKey, hashApiKey } from './api-keys';

export interface NewCustomer {
  id: string;
  name: string;
  timeZone?: string;
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

  async createCustomer({ id, name, timeZone }: NewCustomer): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO customers (id, name, time_zone) VALUES ($1, $2, COALESCE($3, 'Europe/Zurich'))`,
      [id, name, timeZone ?? null],
    );
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

interface CredentialRow {
  role: Role;
  subject: string;
  customer_id: string | null;
}

function toActor({ role, subject, customer_id }: CredentialRow): Actor {
  return customer_id === null ? { id: subject, role } : { id: subject, role, customerId: customer_id };
}
