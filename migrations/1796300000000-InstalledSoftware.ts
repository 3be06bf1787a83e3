import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What is installed where, and the vendors' rules about versions: per customer's system the
 * software, its vendor, its version and whether the system holds its server or a client component;
 * per vendor the version scheme (absent: `{Major}.{Minor}.{ServicePack}.{Revision}`); per release
 * its date and how many months the vendor supports it. A system removed from the inventory takes
 * its installed software with it.
 */
export class InstalledSoftware1796300000000 implements MigrationInterface {
  name = 'InstalledSoftware1796300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE installed_software (
        customer_id    text NOT NULL,
        system_name    text NOT NULL,
        software_name  text NOT NULL,
        vendor         text NOT NULL,
        version        text NOT NULL,
        component      text NOT NULL DEFAULT 'server' CHECK (component IN ('server', 'client')),
        updated_at     timestamptz NOT NULL DEFAULT now(),
        updated_by     text NOT NULL,
        PRIMARY KEY (customer_id, system_name, software_name),
        FOREIGN KEY (customer_id, system_name) REFERENCES inventory_systems (customer_id, name) ON DELETE CASCADE
      )`);
    await q.query(`
      CREATE TABLE software_vendors (
        vendor          text PRIMARY KEY,
        version_scheme  text NOT NULL,
        updated_at      timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE software_releases (
        vendor            text NOT NULL,
        software_name     text NOT NULL,
        version           text NOT NULL,
        released_on       date NOT NULL,
        supported_months  integer NOT NULL DEFAULT 24 CHECK (supported_months BETWEEN 1 AND 600),
        updated_at        timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (vendor, software_name, version)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE software_releases`);
    await q.query(`DROP TABLE software_vendors`);
    await q.query(`DROP TABLE installed_software`);
  }
}
