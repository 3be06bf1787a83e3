import type { DataSource } from 'typeorm';

export interface OutboxIntent {
  id: string;
  /** The request the message is about; null for one about several (a customer's monthly plan). */
  requestId: string | null;
  kind: string;
  recipients: string[];
  subject: string;
}

/** What became of one attempt to send. */
export type SendResult = 'sent' | 'already-sent' | 'given-up' | 'in-doubt';

/**
 * `outbox_messages`, one row per message id: 'pending' until an attempt claims it, 'sending' while
 * the relay has it, then 'sent'; back to 'pending' when the relay refused or was unreachable (a lost
 * send, retried); 'failed' when given up. A row found 'sending' by a later attempt means the
 * attempt before died mid-send: whether the relay accepted the message cannot be known, so it is not
 * sent again (that could duplicate it) but reported 'in-doubt' for the workflow to escalate.
 */
export class MessageOutbox {
  constructor(private readonly dataSource: DataSource) {}

  /** Records that the message is to be sent; a row that exists already is left as it is. */
  async recordIntent({ id, requestId, kind, recipients, subject }: OutboxIntent): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO outbox_messages (id, request_id, kind, recipients, subject, status)
       VALUES ($1, $2, $3, $4, $5, 'pending') ON CONFLICT (id) DO NOTHING`,
      [id, requestId, kind, recipients, subject],
    );
  }

  /** Claims the message and runs `send`, unless it is already sent, given up or in doubt. */
  async sendOnce(id: string, send: () => Promise<void>): Promise<SendResult> {
    // One statement claims the row if pending and, if not, says why (it sees the row as it was).
    const [{ claimed, status }] = await this.dataSource.query(
      `WITH claim AS (
         UPDATE outbox_messages SET status = 'sending', attempts = attempts + 1 WHERE id = $1 AND status = 'pending' RETURNING id)
       SELECT EXISTS (SELECT 1 FROM claim) AS claimed, (SELECT status FROM outbox_messages WHERE id = $1) AS status`, [id]);
    if (!claimed) return status === 'sent' ? 'already-sent' : status === 'sending' ? 'in-doubt' : 'given-up';
    try {
      await send();
    } catch (err) {
      await this.dataSource.query(`UPDATE outbox_messages SET status = 'pending', last_error = $2 WHERE id = $1`, [id, (err as Error).message]);
      throw err;
    }
    await this.dataSource.query(`UPDATE outbox_messages SET status = 'sent', last_error = NULL, sent_at = now() WHERE id = $1`, [id]);
    return 'sent';
  }

  /**
   * Of `ids`, those not sent (one never recorded included), each with the error last recorded for
   * it; none for one found mid-send, whose last error belongs to an earlier attempt.
   */
  async unsent(ids: string[]): Promise<Map<string, string | undefined>> {
    const rows: Array<{ id: string; status: string; last_error: string | null }> = await this.dataSource.query(
      `SELECT id, status, last_error FROM outbox_messages WHERE id = ANY($1)`, [ids]);
    const byId = new Map(rows.map((row) => [row.id, row]));
    return new Map(ids.filter((id) => byId.get(id)?.status !== 'sent').map((id) => {
      const row = byId.get(id);
      return [id, row?.status === 'sending' ? undefined : row?.last_error ?? undefined];
    }));
  }

  /** Gives the message up; a message already sent stays sent. */
  async markFailed(id: string, reason: string): Promise<void> {
    await this.dataSource.query(`UPDATE outbox_messages SET status = 'failed', last_error = $2 WHERE id = $1 AND status <> 'sent'`, [id, reason]);
  }
}
