import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The language a customer's messages are written in, as a BCP 47 tag ('en', 'de', 'de-CH'); a
 * language without mail templates is read as English.
 */
export class CustomerLanguage1796500000000 implements MigrationInterface {
  name = 'CustomerLanguage1796500000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE customers ADD COLUMN language text NOT NULL DEFAULT 'en' CHECK (language ~ '^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$')`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE customers DROP COLUMN language`);
  }
}
