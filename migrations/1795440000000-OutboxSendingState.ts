import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The outbox marks a message 'sending' while it is handed to the relay. A retry that finds it still
 * 'sending' knows an earlier attempt died mid-send (the message may have arrived) and escalates
 * instead of sending it twice. Messages not yet sent are indexed for the operators' view.
 */
export class OutboxSendingState1795440000000 implements MigrationInterface {
  name = 'OutboxSendingState1795440000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE outbox_messages DROP CONSTRAINT outbox_messages_status_check`);
    await q.query(`ALTER TABLE outbox_messages ADD CONSTRAINT outbox_messages_status_check
      CHECK (status IN ('pending', 'sending', 'sent', 'failed'))`);
    await q.query(`CREATE INDEX outbox_messages_unsent_idx ON outbox_messages (status, created_at) WHERE status <> 'sent'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX outbox_messages_unsent_idx`);
    // A message caught mid-send is in doubt, which the older states can only call failed.
    await q.query(`UPDATE outbox_messages SET status = 'failed', last_error = coalesce(last_error, 'in doubt: interrupted while sending') WHERE status = 'sending'`);
    await q.query(`ALTER TABLE outbox_messages DROP CONSTRAINT outbox_messages_status_check`);
    await q.query(`ALTER TABLE outbox_messages ADD CONSTRAINT outbox_messages_status_check CHECK (status IN ('pending', 'sent', 'failed'))`);
  }
}
