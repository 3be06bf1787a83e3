import type { DataSource } from 'typeorm';
import { DEFAULT_VERSION_SCHEME, VersionScheme } from './version-scheme';

/** A vendor's release of a software and how long the vendor supports it. */
export interface SoftwareRelease {
  vendor: string;
  software: string;
  version: string;
  /** YYYY-MM-DD. */
  releasedOn: string;
  supportedMonths: number;
  /** YYYY-MM-DD: the first day the release is no longer supported. */
  supportEndsOn: string;
}

export const DEFAULT_SUPPORTED_MONTHS = 24;

interface ReleaseRow {
  vendor: string;
  software_name: string;
  version: string;
  released_on: string;
  supported_months: number;
  support_ends_on: string;
}

const RELEASE_COLUMNS = `vendor, software_name, version, released_on::text AS released_on, supported_months,
  (released_on + make_interval(months => supported_months))::date::text AS support_ends_on`;

/** `software_vendors` and `software_releases`: each vendor's version scheme, and its releases' support windows. */
export class VendorStore {
  constructor(private readonly dataSource: DataSource) {}

  /** The vendor's scheme; the default one when the vendor has none recorded. */
  async scheme(vendor: string): Promise<VersionScheme> {
    const [row]: Array<{ version_scheme: string }> = await this.dataSource.query(
      `SELECT version_scheme FROM software_vendors WHERE vendor = $1`, [vendor]);
    // Schemes are checked before they are stored, so a stored one always parses.
    return VersionScheme.parse(row?.version_scheme ?? DEFAULT_VERSION_SCHEME) as VersionScheme;
  }

  async putScheme(vendor: string, scheme: VersionScheme): Promise<{ vendor: string; versionScheme: string }> {
    await this.dataSource.query(
      `INSERT INTO software_vendors (vendor, version_scheme) VALUES ($1, $2)
       ON CONFLICT (vendor) DO UPDATE SET version_scheme = EXCLUDED.version_scheme, updated_at = now()`, [vendor, scheme.text]);
    return { vendor, versionScheme: scheme.text };
  }

  async schemes(): Promise<Array<{ vendor: string; versionScheme: string }>> {
    const rows: Array<{ vendor: string; version_scheme: string }> = await this.dataSource.query(
      `SELECT vendor, version_scheme FROM software_vendors ORDER BY vendor`);
    return rows.map((r) => ({ vendor: r.vendor, versionScheme: r.version_scheme }));
  }

  async putRelease(release: Omit<SoftwareRelease, 'supportEndsOn'>): Promise<SoftwareRelease> {
    const [row]: ReleaseRow[] = await this.dataSource.query(
      `INSERT INTO software_releases (vendor, software_name, version, released_on, supported_months) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (vendor, software_name, version) DO UPDATE SET released_on = EXCLUDED.released_on,
         supported_months = EXCLUDED.supported_months, updated_at = now()
       RETURNING ${RELEASE_COLUMNS}`,
      [release.vendor, release.software, release.version, release.releasedOn, release.supportedMonths]);
    return toRelease(row);
  }

  async releases(vendor?: string): Promise<SoftwareRelease[]> {
    const rows: ReleaseRow[] = await this.dataSource.query(
      `SELECT ${RELEASE_COLUMNS} FROM software_releases WHERE $1::text IS NULL OR vendor = $1
        ORDER BY vendor, software_name, released_on`, [vendor ?? null]);
    return rows.map(toRelease);
  }

  /** Whether the release's support has ended by today (the database's date). */
  async outOfSupport(vendor: string, software: string, version: string): Promise<SoftwareRelease | undefined> {
    const [row]: ReleaseRow[] = await this.dataSource.query(
      `SELECT ${RELEASE_COLUMNS} FROM software_releases WHERE vendor = $1 AND software_name = $2 AND version = $3
          AND (released_on + make_interval(months => supported_months))::date <= current_date`, [vendor, software, version]);
    return row ? toRelease(row) : undefined;
  }
}

function toRelease(row: ReleaseRow): SoftwareRelease {
  return {
    vendor: row.vendor, software: row.software_name, version: row.version,
    releasedOn: row.released_on, supportedMonths: row.supported_months, supportEndsOn: row.support_ends_on,
  };
}
