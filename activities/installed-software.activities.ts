import type { DataSource } from 'typeorm';
import type { InstalledVersionInput } from '../workflows/activity-contract';

export interface InstalledSoftwareDependencies {
  dataSource: DataSource;
}

export function createInstalledSoftwareActivities({ dataSource }: InstalledSoftwareDependencies) {
  return {
    /**
     * A signed-off update is what runs on its targets now: their installed version moves to the
     * target version (a first installation adds the software, a client host as a client). Targets
     * an operator has removed from the inventory meanwhile are skipped. Idempotent, so a retry
     * writes the same. Answers the systems written.
     */
    async recordInstalledVersion({ requestId, customerId, software, targets }: InstalledVersionInput): Promise<string[]> {
      const rows: Array<{ system_name: string }> = await dataSource.query(
        `INSERT INTO installed_software (customer_id, system_name, software_name, vendor, version, component, updated_at, updated_by)
         SELECT s.customer_id, s.name, $3, $4, $5, CASE t.kind WHEN 'client-host' THEN 'client' ELSE 'server' END, now(), $6
           FROM inventory_systems s JOIN unnest($2::text[], $7::text[]) AS t(name, kind) ON t.name = s.name
          WHERE s.customer_id = $1
         ON CONFLICT (customer_id, system_name, software_name) DO UPDATE SET vendor = EXCLUDED.vendor, version = EXCLUDED.version,
           updated_at = now(), updated_by = EXCLUDED.updated_by
         RETURNING system_name`,
        [customerId, targets.map((t) => t.name), software.name, software.vendor, software.targetVersion, `request ${requestId}`,
          targets.map((t) => t.kind)]);
      return rows.map((r) => r.system_name).sort();
    },
  };
}
