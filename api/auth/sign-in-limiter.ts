import type { DataSource } from 'typeorm';
import { hashToken } from './secret-tokens';

/** The window over which sign-in requests are counted. */
export const SIGN_IN_WINDOW_MINUTES = 15;

export interface SignInLimits {
  perAddress: number;
  perClient: number;
}

/**
 * Counts sign-in requests in PostgreSQL, per address asked for and per client address, so a
 * flood of links to one inbox or from one client stops, across every API process. Subjects are
 * stored hashed: the table is no list of who tried to sign in. Old rows are pruned as it goes.
 */
export class SignInLimiter {
  constructor(private readonly dataSource: DataSource, private readonly limits: SignInLimits) {}

  /** Records the attempt; false when either the address or the client is over its limit. */
  async admit(email: string, client: string): Promise<boolean> {
    return this.dataSource.transaction(async (manager) => {
      await manager.query(`DELETE FROM sign_in_attempts WHERE attempted_at < now() - make_interval(mins => $1)`, [SIGN_IN_WINDOW_MINUTES]);
      const subjects = { address: hashToken(`address:${email}`), client: hashToken(`client:${client}`) };
      await manager.query(`INSERT INTO sign_in_attempts (scope, subject) VALUES ('address', $1), ('client', $2)`,
        [subjects.address, subjects.client]);
      const [{ address, client: byClient }]: Array<{ address: number; client: number }> = await manager.query(
        `SELECT count(*) FILTER (WHERE scope = 'address' AND subject = $1)::int AS address,
                count(*) FILTER (WHERE scope = 'client' AND subject = $2)::int AS client
         FROM sign_in_attempts WHERE attempted_at >= now() - make_interval(mins => $3)`,
        [subjects.address, subjects.client, SIGN_IN_WINDOW_MINUTES],
      );
      return address <= this.limits.perAddress && byClient <= this.limits.perClient;
    });
  }
}
