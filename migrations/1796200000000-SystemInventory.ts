import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Which systems belong to which customer and how the worker reaches them: the hypervisor
 * connection and domain that hold a VM's snapshots, and the SSH address of the host itself. A
 * target name is unique per customer (two customers may both have an `app-01`).
 */
export class SystemInventory1796200000000 implements MigrationInterface {
  name = 'SystemInventory1796200000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE inventory_systems (
        customer_id     text NOT NULL REFERENCES customers(id),
        name            text NOT NULL,
        hypervisor_uri  text,
        domain_name     text,
        ssh_host        text,
        ssh_port        integer NOT NULL DEFAULT 22 CHECK (ssh_port BETWEEN 1 AND 65535),
        ssh_user        text,
        os_family       text NOT NULL DEFAULT 'linux' CHECK (os_family IN ('linux', 'windows')),
        created_at      timestamptz NOT NULL DEFAULT now(),
        updated_at      timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (customer_id, name),
        CHECK ((hypervisor_uri IS NULL) = (domain_name IS NULL)),
        CHECK ((ssh_host IS NULL) = (ssh_user IS NULL))
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE inventory_systems`);
  }
}
