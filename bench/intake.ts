import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { CredentialStore } from '../api/auth/credential-store';
import { callApi, type Caller } from '../test/api/api-harness';
import { forEachConcurrently } from './concurrently';

/** Submissions as customers send them, and the read model telling when the requests got where. */

const DAY_MS = 86_400_000;
/** Where a short-notice submission first waits: for an operator's review of the lead time. */
export const FIRST_WAIT = 'lead-time-review';

/** A customer and an operator with API keys in the bench's schema. */
export async function benchCallers(dataSource: DataSource): Promise<{ customer: Caller; operator: Caller }> {
  const credentials = new CredentialStore(dataSource);
  await credentials.createCustomer({ id: 'cust-bench', name: 'Bench AG' });
  return {
    customer: { name: 'customer', key: (await credentials.issue({ role: 'customer', customerId: 'cust-bench', subject: 'bench' })).apiKey },
    operator: { name: 'operator', key: (await credentials.issue({ role: 'operator', subject: 'bench' })).apiKey },
  };
}

/** A short-notice submission (three days ahead) with a target of its own, so slots never clash. */
function submission() {
  return {
    software: { name: 'Abacus ERP', vendor: 'Abacus', currentVersion: '2024.1', targetVersion: '2025.2' },
    category: 'feature', severity: 'major', criticalSecurity: false,
    installer: { location: 'https://downloads.abacus.example/erp/2025.2/setup.exe', sha256: 'a'.repeat(64) },
    licenceReferences: ['LIC-4711'], performer: { kind: 'provider' },
    desiredStart: new Date(Date.now() + 3 * DAY_MS).toISOString(), timeZone: 'Europe/Zurich', expectedDurationMinutes: 60,
    targets: [{ name: `app-${randomUUID().slice(0, 8)}`, kind: 'application-server' }], clientUpdateIncluded: false,
    contacts: [{ name: 'Clara Kunde', email: 'clara@customer.test' }],
    releaseNotes: { summary: 'New: payroll export to Swissdec 5. Fixed: VAT rounding.' },
  };
}

/**
 * Sends `count` submissions at `concurrency`, round-robin over `apiUrls`; answers the accepted
 * request ids, the milliseconds it took and how many answers were 503s. A 503 (PostgreSQL or
 * Temporal too slow to answer, as on a loaded machine) is retried as a client should: after its
 * Retry-After, with the same Idempotency-Key and body, so a retry never makes a second request.
 * Any other refusal stops the bench: nothing may go missing.
 */
export async function submitRequests(
  apiUrls: string[], customer: Caller, count: number, concurrency: number,
): Promise<{ requestIds: string[]; ms: number; unavailable: number }> {
  const requestIds: string[] = [];
  let unavailable = 0;
  const ms = await forEachConcurrently(Array.from({ length: count }, (_, i) => i), concurrency, async (i) => {
    const body = submission();
    const headers = { 'idempotency-key': randomUUID() };
    for (let attempt = 1; ; attempt++) {
      const res = await callApi(apiUrls[i % apiUrls.length], customer, 'POST', '/requests', body, headers);
      if (res.status === 201) {
        requestIds.push(res.body.requestId);
        return;
      }
      if (res.status !== 503 || attempt === MAX_ATTEMPTS) throw new Error(`submission refused: ${res.status} ${JSON.stringify(res.body)}`);
      unavailable += 1;
      await new Promise((r) => setTimeout(r, Number(res.headers.get('retry-after') ?? 1) * 1000));
    }
  });
  return { requestIds, ms, unavailable };
}

const MAX_ATTEMPTS = 5;

/** Polls the read model until every request in `requestIds` shows `status`; gives up after `timeoutMs`. */
export async function untilAll(
  dataSource: DataSource, requestIds: string[], status: string, options: UntilOptions = {},
): Promise<void> {
  await untilCounted(`requests reached ${status}`, requestIds.length, async () => {
    const [{ n }] = await dataSource.query(`SELECT count(*) AS n FROM update_requests WHERE request_id = ANY($1) AND status = $2`, [requestIds, status]);
    return Number(n);
  }, options);
}

interface UntilOptions { timeoutMs?: number; onProgress?: (reached: number) => Promise<void> }

/** Polls `reached` every 100 ms until it counts `total` (of `what`); gives up after `timeoutMs`. */
export async function untilCounted(
  what: string, total: number, reached: () => Promise<number>, { timeoutMs = 600_000, onProgress }: UntilOptions = {},
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const n = await reached();
    await onProgress?.(n);
    if (n === total) return;
    if (Date.now() > deadline) throw new Error(`only ${n} of ${total} ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
