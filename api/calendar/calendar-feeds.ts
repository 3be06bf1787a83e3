import type { DataSource } from 'typeorm';
import { agreedSlots, type AgreedSlot } from '../../platform/calendar/agreed-slots';
import { hashToken, randomToken } from '../auth/secret-tokens';

/** A prefix that makes a leaked feed URL's token recognisable, like the API keys' `mu_`. */
const TOKEN_PREFIX = 'mucal_';
/** How far back the feed still shows slots, so a calendar keeps the recent updates. */
export const RECENT_DAYS = 30;
const DAY_MS = 86_400_000;

/** Where a feed is served, below the API's public origin (CONSOLE_URL). */
export function calendarFeedUrl(publicOrigin: string, token: string): string {
  return `${publicOrigin}/calendar/${token}.ics`;
}

export interface IssuedFeed {
  /** The token itself: shown once, only its hash is stored. */
  token: string;
  issuedAt: Date;
}

/** Customers' calendar feeds (`calendar_feeds`) and the slots a feed lists. */
export class CalendarFeeds {
  constructor(private readonly dataSource: DataSource) {}

  /** A new token for the customer's feed, replacing (so revoking) any earlier one; undefined for an unknown customer. */
  async issue(customerId: string, issuedBy: string): Promise<IssuedFeed | undefined> {
    const token = TOKEN_PREFIX + randomToken();
    const rows: Array<{ issued_at: Date }> = await this.dataSource.query(
      `INSERT INTO calendar_feeds (customer_id, token_hash, issued_by)
       SELECT id, $2, $3 FROM customers WHERE id = $1
       ON CONFLICT (customer_id) DO UPDATE SET token_hash = EXCLUDED.token_hash, issued_by = EXCLUDED.issued_by, issued_at = now()
       RETURNING issued_at`,
      [customerId, hashToken(token), issuedBy],
    );
    return rows.length === 1 ? { token, issuedAt: rows[0].issued_at } : undefined;
  }

  /** Revokes the customer's feed and answers when and by whom it had been issued; undefined when it had none. */
  async revoke(customerId: string): Promise<{ issuedAt: Date; issuedBy: string } | undefined> {
    const [rows]: [Array<{ issued_at: Date; issued_by: string }>] = await this.dataSource.query(
      `DELETE FROM calendar_feeds WHERE customer_id = $1 RETURNING issued_at, issued_by`, [customerId]);
    return rows[0] && { issuedAt: rows[0].issued_at, issuedBy: rows[0].issued_by };
  }

  /** The customer a presented token belongs to; undefined for an unknown or revoked one. */
  async customerFor(token: string): Promise<{ id: string; name: string } | undefined> {
    const rows: Array<{ id: string; name: string }> = await this.dataSource.query(
      `SELECT c.id, c.name FROM calendar_feeds f JOIN customers c ON c.id = f.customer_id WHERE f.token_hash = $1`,
      [hashToken(token)],
    );
    return rows[0];
  }

  /** The customer's agreed slots that end after RECENT_DAYS ago, soonest first. */
  slots(customerId: string): Promise<AgreedSlot[]> {
    return agreedSlots(this.dataSource, { customerId, endsAfter: new Date(Date.now() - RECENT_DAYS * DAY_MS) });
  }
}
