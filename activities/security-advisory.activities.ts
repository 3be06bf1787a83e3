import { ApplicationFailure } from '@temporalio/activity';
import type { DataSource } from 'typeorm';
import type { Notification } from '../workflows/activity-contract';
import type { UpdateRequest } from '../workflows/update-request.contract';

export interface SecurityAdvisoryDependencies {
  dataSource: DataSource;
}

interface AffectedCustomer {
  id: string;
  time_zone: string;
  /** `system (version)` for each system with the software. */
  installed: string[];
  emails: string[];
}

export function createSecurityAdvisoryActivities({ dataSource }: SecurityAdvisoryDependencies) {
  return {
    /**
     * One advisory message per customer that has the request's software (name and vendor) installed
     * on any system, the requester included. Each is about that customer alone: its systems, its time
     * zone, its people (the contacts named in its requests and its console users); the occurrence is
     * the customer, so a retried advisory sends nothing twice.
     */
    async securityAdvisoryNotifications({ requestId }: { requestId: string }): Promise<Notification[]> {
      const [row]: Array<{ request: UpdateRequest | null }> = await dataSource.query(`SELECT request FROM update_requests WHERE request_id = $1`, [requestId]);
      if (!row?.request) throw ApplicationFailure.nonRetryable(`request ${requestId} is not stored`, 'UnknownRequest');
      const request = row.request;
      const customers: AffectedCustomer[] = await dataSource.query(
        `SELECT c.id, c.time_zone,
           array_agg(DISTINCT i.system_name || ' (' || i.version || ')') AS installed,
           ARRAY(
             SELECT DISTINCT lower(contact->>'email') FROM update_requests r, jsonb_array_elements(r.request->'contacts') AS contact
              WHERE r.customer_id = c.id AND r.request IS NOT NULL
             UNION
             SELECT p.email FROM people p WHERE p.customer_id = c.id AND p.disabled_at IS NULL
             ORDER BY 1) AS emails
         FROM installed_software i JOIN customers c ON c.id = i.customer_id
         WHERE i.software_name = $1 AND i.vendor = $2
         GROUP BY c.id, c.time_zone ORDER BY c.id`,
        [request.software.name, request.software.vendor]);
      return customers.map((customer) => advisory(request, customer));
    },
  };
}

function advisory(request: UpdateRequest, customer: AffectedCustomer): Notification {
  const { requestId, category, severity, criticalSecurity, software, expectedDurationMinutes, classification, releaseNotes } = request;
  return {
    kind: 'security-advisory',
    audience: 'customer',
    occurrence: customer.id,
    subject: {
      requestId, customerId: customer.id, category, severity, criticalSecurity, software, expectedDurationMinutes,
      timeZone: customer.time_zone,
      contacts: customer.emails.map((email) => ({ name: email, email })),
      targets: [...customer.installed].sort(),
      ...(classification ? { classification } : {}),
      ...(releaseNotes ? { releaseNotes } : {}),
    },
  };
}
