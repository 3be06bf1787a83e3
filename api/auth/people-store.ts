import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import type { Actor, Role } from '../../workflows/update-request.contract';

export interface NewPerson {
  email: string;
  role: Role;
  /** Required for, and only for, the customer role: the tenant the person acts for. */
  customerId?: string;
}

export interface Person {
  id: string;
  email: string;
  actor: Actor;
}

/**
 * The people who use the console: an e-mail address (their identity and the actor id in every
 * audit entry they cause), a role, and a tenant for customers. Kept beside the API credentials and
 * managed by `npm run credentials`; a removed person is disabled, never deleted, so the audit trail
 * keeps naming someone who existed.
 */
export class PeopleStore {
  constructor(private readonly dataSource: DataSource) {}

  async add({ email, role, customerId }: NewPerson): Promise<Person> {
    if ((role === 'customer') !== (customerId !== undefined)) {
      throw new Error('a customer person needs a customer id; operators and auditors take none');
    }
    const id = randomUUID();
    const address = normaliseEmail(email);
    if (customerId !== undefined) {
      const [customer]: unknown[] = await this.dataSource.query(`SELECT 1 FROM customers WHERE id = $1`, [customerId]);
      if (!customer) throw new Error(`no customer ${customerId}: create it first`);
    }
    const inserted: unknown[] = await this.dataSource.query(
      `INSERT INTO people (id, email, role, customer_id) VALUES ($1, $2, $3, $4) ON CONFLICT (email) DO NOTHING RETURNING id`,
      [id, address, role, customerId ?? null],
    );
    if (inserted.length === 0) throw new Error(`${address} is already a person here`);
    return toPerson({ id, email: address, role, customer_id: customerId ?? null });
  }

  /** Disables the person and revokes every session they hold; false when no active person has that address. */
  async disable(email: string): Promise<boolean> {
    return this.dataSource.transaction(async (manager) => {
      // An UPDATE answers [rows, affected count].
      const [rows]: [Array<{ id: string }>, number] = await manager.query(
        `UPDATE people SET disabled_at = now() WHERE email = $1 AND disabled_at IS NULL RETURNING id`, [normaliseEmail(email)]);
      if (rows.length === 0) return false;
      await manager.query(`UPDATE console_sessions SET revoked_at = now() WHERE person_id = $1 AND revoked_at IS NULL`, [rows[0].id]);
      return true;
    });
  }

  /** The active person with this address, if any. */
  async findActive(email: string): Promise<Person | undefined> {
    const rows: PersonRow[] = await this.dataSource.query(
      `SELECT id, email, role, customer_id FROM people WHERE email = $1 AND disabled_at IS NULL`, [normaliseEmail(email)]);
    return rows[0] && toPerson(rows[0]);
  }
}

export interface PersonRow {
  id: string;
  email: string;
  role: Role;
  customer_id: string | null;
}

export function toPerson({ id, email, role, customer_id }: PersonRow): Person {
  return { id, email, actor: customer_id === null ? { id: email, role } : { id: email, role, customerId: customer_id } };
}

/** Addresses compare case-insensitively; stored and looked up in lower case. */
export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}
