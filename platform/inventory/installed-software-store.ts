import type { DataSource, EntityManager } from 'typeorm';

export const COMPONENTS = ['server', 'client'] as const;
/** Whether the system runs the software's server, or one of its clients. */
export type Component = (typeof COMPONENTS)[number];

/** When the vendor stops supporting the installed release, if the release is recorded. */
export interface SupportWindow {
  releasedOn: string;
  endsOn: string;
  /** `ending`: within SUPPORT_WARNING_DAYS days from today. */
  status: 'supported' | 'ending' | 'ended';
  /** When the customer was warned by mail that support ends soon (the daily support-window check), if it was. */
  warnedAt?: string;
}

export interface InstalledSoftware {
  customerId: string;
  system: string;
  software: string;
  vendor: string;
  version: string;
  component: Component;
  updatedAt: string;
  /** An operator's id, or `request <id>` when a signed-off update moved the version forward. */
  updatedBy: string;
  support?: SupportWindow;
}

/** An installed version leaving support within this many days is flagged (`support.status: ending`). */
export const SUPPORT_WARNING_DAYS = 60;

interface Row {
  customer_id: string;
  system_name: string;
  software_name: string;
  vendor: string;
  version: string;
  component: Component;
  updated_at: Date;
  updated_by: string;
  released_on?: string | null;
  support_ends_on?: string | null;
  days_left?: number | null;
  warned_at?: Date | null;
}

const COLUMNS = 'customer_id, system_name, software_name, vendor, version, component, updated_at, updated_by';

/**
 * `installed_software`: which software (and version) runs on which system of a customer, seeded
 * and corrected by operators, moved forward when an update is signed off. Submissions are checked
 * against it.
 */
export class InstalledSoftwareStore {
  constructor(private readonly dataSource: DataSource) {}

  /** Records the software on the system, or corrects it; the system must be in the inventory. */
  async put(entry: Omit<InstalledSoftware, 'updatedAt' | 'support'>, manager: EntityManager = this.dataSource.manager): Promise<InstalledSoftware> {
    const [row]: Row[] = await manager.query(
      `INSERT INTO installed_software (${COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, now(), $7)
       ON CONFLICT (customer_id, system_name, software_name) DO UPDATE SET vendor = EXCLUDED.vendor, version = EXCLUDED.version,
         component = EXCLUDED.component, updated_at = now(), updated_by = EXCLUDED.updated_by
       RETURNING ${COLUMNS}`,
      [entry.customerId, entry.system, entry.software, entry.vendor, entry.version, entry.component, entry.updatedBy]);
    return toEntry(row);
  }

  async remove(customerId: string, system: string, software: string): Promise<InstalledSoftware | undefined> {
    const [rows]: [Row[], number] = await this.dataSource.query(
      `DELETE FROM installed_software WHERE customer_id = $1 AND system_name = $2 AND software_name = $3 RETURNING ${COLUMNS}`,
      [customerId, system, software]);
    return rows[0] ? toEntry(rows[0]) : undefined;
  }

  /** Everything recorded (of one customer), with each release's support window when the release is recorded. */
  async list(customerId?: string): Promise<InstalledSoftware[]> {
    const rows: Row[] = await this.dataSource.query(
      `SELECT ${COLUMNS.split(', ').map((c) => `i.${c}`).join(', ')}, r.released_on::text AS released_on,
              (r.released_on + make_interval(months => r.supported_months))::date::text AS support_ends_on,
              (r.released_on + make_interval(months => r.supported_months))::date - current_date AS days_left, w.warned_at
         FROM installed_software i
         LEFT JOIN software_releases r ON r.vendor = i.vendor AND r.software_name = i.software_name AND r.version = i.version
         LEFT JOIN support_warnings w ON w.customer_id = i.customer_id AND w.system_name = i.system_name
                                     AND w.software_name = i.software_name AND w.version = i.version
        WHERE $1::text IS NULL OR i.customer_id = $1
        ORDER BY i.customer_id, i.system_name, i.software_name`, [customerId ?? null]);
    return rows.map(toEntry);
  }

  /** The software as recorded on each of the customer's systems (all of them, to find its clients). */
  async ofSoftware(customerId: string, software: string): Promise<InstalledSoftware[]> {
    const rows: Row[] = await this.dataSource.query(
      `SELECT ${COLUMNS} FROM installed_software WHERE customer_id = $1 AND software_name = $2 ORDER BY system_name`, [customerId, software]);
    return rows.map(toEntry);
  }
}

function toEntry(row: Row): InstalledSoftware {
  return {
    customerId: row.customer_id,
    system: row.system_name,
    software: row.software_name,
    vendor: row.vendor,
    version: row.version,
    component: row.component,
    updatedAt: row.updated_at.toISOString(),
    updatedBy: row.updated_by,
    ...(row.released_on && row.support_ends_on ? {
      support: {
        releasedOn: row.released_on,
        endsOn: row.support_ends_on,
        status: row.days_left! <= 0 ? 'ended' : row.days_left! <= SUPPORT_WARNING_DAYS ? 'ending' : 'supported',
        ...(row.warned_at ? { warnedAt: row.warned_at.toISOString() } : {}),
      } as SupportWindow,
    } : {}),
  };
}
