import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The tables the service starts with: the request read model and its append-only audit trail,
 * the mail outbox, the archive of closed workflow histories, customers and their API credentials,
 * idempotency keys for submissions, and the ping results of the end-to-end smoke path.
 */
export class InitialSchema1763884800000 implements MigrationInterface {
  name = 'InitialSchema1763884800000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE customers (
        id          text PRIMARY KEY,
        name        text NOT NULL,
        time_zone   text NOT NULL DEFAULT 'Europe/Zurich',
        created_at  timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE api_credentials (
        id           uuid PRIMARY KEY,
        key_hash     text NOT NULL UNIQUE,
        role         text NOT NULL CHECK (role IN ('customer', 'operator', 'auditor')),
        customer_id  text REFERENCES customers(id),
        subject      text NOT NULL,
        created_at   timestamptz NOT NULL DEFAULT now(),
        revoked_at   timestamptz,
        CHECK ((role = 'customer') = (customer_id IS NOT NULL))
      )`);
    await q.query(`
      CREATE TABLE update_requests (
        request_id       text PRIMARY KEY,
        workflow_id      text NOT NULL UNIQUE,
        customer_id      text NOT NULL,
        software_name    text NOT NULL,
        target_version   text NOT NULL,
        category         text NOT NULL,
        status           text NOT NULL,
        current_step     text NOT NULL,
        scheduled_start  timestamptz,
        scheduled_end    timestamptz,
        next_deadline    timestamptz,
        pending_roles    text[] NOT NULL DEFAULT '{}',
        submitted_at     timestamptz NOT NULL,
        updated_at       timestamptz NOT NULL,
        state_version    integer NOT NULL DEFAULT 0
      )`);
    await q.query(`CREATE INDEX update_requests_customer_idx ON update_requests (customer_id, submitted_at DESC)`);
    await q.query(`CREATE INDEX update_requests_status_idx ON update_requests (status, scheduled_start)`);
    await q.query(`
      CREATE TABLE audit_events (
        id           bigserial PRIMARY KEY,
        event_key    text NOT NULL UNIQUE,
        request_id   text NOT NULL,
        step         text NOT NULL,
        action       text NOT NULL,
        actor        text NOT NULL,
        role         text NOT NULL,
        evidence     jsonb NOT NULL DEFAULT '{}',
        occurred_at  timestamptz NOT NULL,
        recorded_at  timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX audit_events_request_idx ON audit_events (request_id, occurred_at, id)`);
    // The audit trail is append-only: the database itself refuses edits and deletions.
    await q.query(`
      CREATE FUNCTION audit_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'audit_events is append-only';
      END $$`);
    await q.query(`
      CREATE TRIGGER audit_events_no_change BEFORE UPDATE OR DELETE ON audit_events
      FOR EACH ROW EXECUTE FUNCTION audit_events_append_only()`);
    await q.query(`
      CREATE TABLE outbox_messages (
        id            text PRIMARY KEY,
        request_id    text NOT NULL,
        kind          text NOT NULL,
        recipients    text[] NOT NULL,
        subject       text NOT NULL,
        status        text NOT NULL CHECK (status IN ('pending', 'sent', 'failed')),
        attempts      integer NOT NULL DEFAULT 0,
        last_error    text,
        created_at    timestamptz NOT NULL DEFAULT now(),
        sent_at       timestamptz
      )`);
    await q.query(`CREATE INDEX outbox_messages_request_idx ON outbox_messages (request_id, created_at)`);
    await q.query(`
      CREATE TABLE idempotency_keys (
        scope        text NOT NULL,
        key          text NOT NULL,
        request_id   text NOT NULL,
        created_at   timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (scope, key)
      )`);
    await q.query(`
      CREATE TABLE archived_histories (
        seq              bigserial PRIMARY KEY,
        workflow_id      text NOT NULL,
        run_id           text NOT NULL,
        closed_at        timestamptz NOT NULL,
        history_gzip     bytea NOT NULL,
        digest           text NOT NULL,
        previous_digest  text,
        archived_at      timestamptz NOT NULL DEFAULT now(),
        UNIQUE (workflow_id, run_id)
      )`);
    await q.query(`
      CREATE TABLE ping_results (
        id           uuid PRIMARY KEY,
        workflow_id  text NOT NULL,
        message      text NOT NULL,
        mail_id      text NOT NULL,
        created_at   timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of ['ping_results', 'archived_histories', 'idempotency_keys', 'outbox_messages', 'audit_events',
      'update_requests', 'api_credentials', 'customers']) {
      await q.query(`DROP TABLE ${table}`);
    }
    await q.query(`DROP FUNCTION audit_events_append_only()`);
  }
}
