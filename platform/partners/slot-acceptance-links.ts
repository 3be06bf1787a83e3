import type { DataSource } from 'typeorm';
import { hashToken, randomToken } from '../../api/auth/secret-tokens';

/** A prefix that makes a leaked link's token recognisable, like the API keys' `mu_`. */
const TOKEN_PREFIX = 'muslot_';

/** Where the partner accepts a slot: below the API's public origin (CONSOLE_URL). */
export function slotAcceptanceUrl(publicOrigin: string, token: string): string {
  return `${publicOrigin}/partner/slot-acceptance/${token}`;
}

/** What a link stands for: the partner's acceptance of one proposal of one request. */
export interface SlotAcceptanceLink {
  requestId: string;
  proposal: number;
  partnerEmail: string;
}

/**
 * The partners' acceptance links (`slot_acceptance_links`): 256 random bits each, stored only as
 * their SHA-256. A link names one proposal; whether that proposal is still open is the workflow's
 * decision, so a link for an earlier proposal, or one already used, is refused there.
 */
export class SlotAcceptanceLinks {
  constructor(private readonly dataSource: DataSource) {}

  /** A new token for `link`, replacing one issued for the same proposal before (a retried mail). */
  async issue(link: SlotAcceptanceLink): Promise<string> {
    const token = TOKEN_PREFIX + randomToken();
    await this.dataSource.query(
      `INSERT INTO slot_acceptance_links (request_id, proposal, partner_email, token_hash) VALUES ($1, $2, $3, $4)
       ON CONFLICT (request_id, proposal) DO UPDATE SET partner_email = EXCLUDED.partner_email, token_hash = EXCLUDED.token_hash, issued_at = now()`,
      [link.requestId, link.proposal, link.partnerEmail, hashToken(token)],
    );
    return token;
  }

  /** The link a presented token stands for; undefined for one never issued or replaced. */
  async find(token: string): Promise<SlotAcceptanceLink | undefined> {
    const [row]: Array<{ request_id: string; proposal: number; partner_email: string }> = await this.dataSource.query(
      `SELECT request_id, proposal, partner_email FROM slot_acceptance_links WHERE token_hash = $1`, [hashToken(token)]);
    return row && { requestId: row.request_id, proposal: row.proposal, partnerEmail: row.partner_email };
  }
}
