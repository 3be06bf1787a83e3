import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * People who use the console (an e-mail address, a role, a tenant for customers), their one-time
 * sign-in links and sessions, and the sign-in attempts that rate-limit the sign-in form. Links and
 * sessions are stored only as the SHA-256 of their random token, like API keys.
 */
export class ConsoleSignIn1796100000000 implements MigrationInterface {
  name = 'ConsoleSignIn1796100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE people (
        id           uuid PRIMARY KEY,
        email        text NOT NULL UNIQUE CHECK (email = lower(email)),
        role         text NOT NULL CHECK (role IN ('customer', 'operator', 'auditor')),
        customer_id  text REFERENCES customers (id),
        created_at   timestamptz NOT NULL DEFAULT now(),
        disabled_at  timestamptz,
        CHECK ((role = 'customer') = (customer_id IS NOT NULL))
      )`);
    await q.query(`
      CREATE TABLE sign_in_links (
        token_hash  text PRIMARY KEY,
        person_id   uuid NOT NULL REFERENCES people (id),
        created_at  timestamptz NOT NULL DEFAULT now(),
        expires_at  timestamptz NOT NULL,
        used_at     timestamptz
      )`);
    await q.query(`
      CREATE TABLE console_sessions (
        id          uuid PRIMARY KEY,
        token_hash  text NOT NULL UNIQUE,
        csrf_token  text NOT NULL,
        person_id   uuid NOT NULL REFERENCES people (id),
        created_at  timestamptz NOT NULL DEFAULT now(),
        expires_at  timestamptz NOT NULL,
        revoked_at  timestamptz
      )`);
    await q.query(`CREATE INDEX console_sessions_person_idx ON console_sessions (person_id) WHERE revoked_at IS NULL`);
    await q.query(`
      CREATE TABLE sign_in_attempts (
        id          bigserial PRIMARY KEY,
        scope       text NOT NULL CHECK (scope IN ('address', 'client')),
        subject     text NOT NULL,
        attempted_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX sign_in_attempts_subject_idx ON sign_in_attempts (scope, subject, attempted_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of ['sign_in_attempts', 'console_sessions', 'sign_in_links', 'people']) await q.query(`DROP TABLE ${table}`);
  }
}
