import type { DataSource } from 'typeorm';

/** An installed release whose vendor support ends within the warning period, not yet warned about. */
export interface EndingSupport {
  system: string;
  software: string;
  vendor: string;
  version: string;
  /** YYYY-MM-DD: the first day without support. */
  endsOn: string;
  daysLeft: number;
}

/**
 * `support_warnings`: the installed releases a customer was warned about before their support
 * ends, once per installation and release.
 */
export class SupportWarningStore {
  constructor(private readonly dataSource: DataSource) {}

  /** The customer's installed releases whose support ends after `date` and within `days` of it, that nobody warned about yet. */
  async due(customerId: string, date: string, days: number): Promise<EndingSupport[]> {
    const rows: Array<{ system_name: string; software_name: string; vendor: string; version: string; ends_on: string; days_left: number }> =
      await this.dataSource.query(
        `SELECT i.system_name, i.software_name, i.vendor, i.version, e.ends_on::text AS ends_on, e.ends_on - $2::date AS days_left
           FROM installed_software i
           JOIN software_releases r ON r.vendor = i.vendor AND r.software_name = i.software_name AND r.version = i.version
           CROSS JOIN LATERAL (SELECT (r.released_on + make_interval(months => r.supported_months))::date AS ends_on) e
          WHERE i.customer_id = $1 AND e.ends_on > $2::date AND e.ends_on - $2::date <= $3
            AND NOT EXISTS (SELECT 1 FROM support_warnings w WHERE w.customer_id = i.customer_id AND w.system_name = i.system_name
                              AND w.software_name = i.software_name AND w.version = i.version)
          ORDER BY e.ends_on, i.system_name, i.software_name`, [customerId, date, days]);
    return rows.map((r) => ({
      system: r.system_name, software: r.software_name, vendor: r.vendor, version: r.version, endsOn: r.ends_on, daysLeft: r.days_left,
    }));
  }

  /** Records that `releases` were warned about in the message `messageId`; a release already recorded keeps its first warning. */
  async record(customerId: string, releases: EndingSupport[], messageId: string): Promise<void> {
    for (const r of releases) {
      await this.dataSource.query(
        `INSERT INTO support_warnings (customer_id, system_name, software_name, version, support_ends_on, message_id)
         VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING`, [customerId, r.system, r.software, r.version, r.endsOn, messageId]);
    }
  }

  /**
   * Where a customer's warnings go: the customer's people (console users) and the contacts of its
   * newest request, the addresses it last gave for updates.
   */
  async recipients(customerId: string): Promise<string[]> {
    const rows: Array<{ email: string }> = await this.dataSource.query(
      `SELECT email FROM people WHERE customer_id = $1 AND role = 'customer' AND disabled_at IS NULL
       UNION
       SELECT c->>'email' FROM (SELECT request FROM update_requests WHERE customer_id = $1 AND request IS NOT NULL
                                 ORDER BY submitted_at DESC LIMIT 1) u, jsonb_array_elements(u.request->'contacts') c
       ORDER BY 1`, [customerId]);
    return rows.map((r) => r.email);
  }
}
