import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Which installed releases a customer has been warned about before their vendor support ends: one
 * row per installation (customer, system, software) and release (version), so each is warned once,
 * with the message that carried the warning (its outbox row).
 */
export class SupportWarnings1796600000000 implements MigrationInterface {
  name = 'SupportWarnings1796600000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE support_warnings (
        customer_id      text NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
        system_name      text NOT NULL,
        software_name    text NOT NULL,
        version          text NOT NULL,
        support_ends_on  date NOT NULL,
        message_id       text NOT NULL,
        warned_at        timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (customer_id, system_name, software_name, version)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE support_warnings`);
  }
}
