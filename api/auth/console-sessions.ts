import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { normaliseEmail, toPerson, type Person, type PersonRow } from './people-store';
import { hashToken, randomToken } from './secret-tokens';

export interface OpenedSession {
  /** The cookie's value: shown to the browser once, only its hash is stored. */
  token: string;
  expiresAt: Date;
}

export interface ActiveSession {
  id: string;
  person: Person;
  /** Sent back in X-CSRF-Token with every state-changing request the console makes. */
  csrfToken: string;
}

/**
 * One-time sign-in links and the sessions they open (`sign_in_links`, `console_sessions`). A link
 * is single use and short-lived; a session lasts until it expires, is signed out or is revoked,
 * and a disabled person's sessions stop at once. Both are stored only as their token's SHA-256.
 */
export class ConsoleSessions {
  constructor(private readonly dataSource: DataSource) {}

  /** A new sign-in link token for the person, valid for `minutes`. */
  async issueLink(personId: string, minutes: number): Promise<string> {
    const token = randomToken();
    await this.dataSource.query(
      `INSERT INTO sign_in_links (token_hash, person_id, expires_at) VALUES ($1, $2, now() + make_interval(mins => $3))`,
      [hashToken(token), personId, minutes],
    );
    return token;
  }

  /**
   * Uses the link up and opens a session for `hours`; undefined when the link is unknown, used,
   * expired, or its person disabled. One UPDATE marks the link used, so two clicks cannot both win.
   */
  async redeemLink(linkToken: string, hours: number): Promise<OpenedSession | undefined> {
    return this.dataSource.transaction(async (manager) => {
      // An UPDATE answers [rows, affected count].
      const [[link]]: [Array<{ person_id: string }>, number] = await manager.query(
        `UPDATE sign_in_links l SET used_at = now() FROM people p
         WHERE l.token_hash = $1 AND l.used_at IS NULL AND l.expires_at > now() AND p.id = l.person_id AND p.disabled_at IS NULL
         RETURNING l.person_id`,
        [hashToken(linkToken)],
      );
      if (!link) return undefined;
      const token = randomToken();
      const [{ expires_at }]: Array<{ expires_at: Date }> = await manager.query(
        `INSERT INTO console_sessions (id, token_hash, csrf_token, person_id, expires_at)
         VALUES ($1, $2, $3, $4, now() + make_interval(hours => $5)) RETURNING expires_at`,
        [randomUUID(), hashToken(token), randomToken(), link.person_id, hours],
      );
      return { token, expiresAt: expires_at };
    });
  }

  /** The session a cookie stands for, while it is neither expired nor revoked and its person active. */
  async find(token: string): Promise<ActiveSession | undefined> {
    const rows: Array<PersonRow & { session_id: string; csrf_token: string }> = await this.dataSource.query(
      `SELECT s.id AS session_id, s.csrf_token, p.id, p.email, p.role, p.customer_id
       FROM console_sessions s JOIN people p ON p.id = s.person_id
       WHERE s.token_hash = $1 AND s.revoked_at IS NULL AND s.expires_at > now() AND p.disabled_at IS NULL`,
      [hashToken(token)],
    );
    const row = rows[0];
    return row && { id: row.session_id, person: toPerson(row), csrfToken: row.csrf_token };
  }

  /** Sign-out: the session ends now. */
  async revoke(sessionId: string): Promise<void> {
    await this.dataSource.query(`UPDATE console_sessions SET revoked_at = now() WHERE id = $1 AND revoked_at IS NULL`, [sessionId]);
  }

  /** Ends every session of the person with this address; returns how many were open. */
  async revokeAllOf(email: string): Promise<number> {
    const [, affected]: [unknown, number] = await this.dataSource.query(
      `UPDATE console_sessions s SET revoked_at = now() FROM people p
       WHERE p.id = s.person_id AND p.email = $1 AND s.revoked_at IS NULL`,
      [normaliseEmail(email)],
    );
    return affected;
  }
}
