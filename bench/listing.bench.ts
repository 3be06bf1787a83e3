/**
 * How fast the API lists requests from the read model as it grows: seeds `update_requests` with
 * BENCH_ROWS rows (default 50,000) over 500 customers in a fresh schema of the machine's PostgreSQL,
 * then times each list query the API offers over real HTTP. Run with `npm run bench -- listing`.
 * Prints p50/p95/p99 per query; nothing here asserts a speed (see README, Benchmarks).
 */
import { performance } from 'node:perf_hooks';
import type { AddressInfo } from 'node:net';
import { createApp } from '../api/app';
import { CredentialStore } from '../api/auth/credential-store';
import { loadConfig } from '../platform/config';
import { createTestDatabase } from '../test/support/database';
import { quantile } from './quantile';
import type { Figures } from './results';

const ROWS = Number(process.env.BENCH_ROWS ?? 50_000);
const CUSTOMERS = 500;
const SAMPLES = 200;

export async function listingBench(): Promise<Figures> {
  const db = await createTestDatabase();
  try {
    await seed(db.dataSource.query.bind(db.dataSource));
    const credentials = new CredentialStore(db.dataSource);
    await credentials.createCustomer({ id: 'cust-7', name: 'Customer 7 AG' });
    const operator = (await credentials.issue({ role: 'operator', subject: 'bench' })).apiKey;
    const customer = (await credentials.issue({ role: 'customer', customerId: 'cust-7', subject: 'bench' })).apiKey;

    // Temporal is never asked: listing answers from PostgreSQL alone.
    const config = loadConfig({
      DATABASE_URL: db.url, DATABASE_SCHEMA: db.schema, TEMPORAL_ADDRESS: '127.0.0.1:1', LOG_LEVEL: 'fatal',
      RATE_LIMIT_PER_KEY: '1000000', RATE_LIMIT_PER_ADDRESS: '1000000',
    });
    const app = await createApp(config);
    await app.listen(0, '127.0.0.1');
    const base = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
    const figures: Figures = {};
    try {
      console.log(`listing ${ROWS} requests over ${CUSTOMERS} customers, ${SAMPLES} calls each (ms)`);
      console.log('query'.padEnd(44), 'p50'.padStart(7), 'p95'.padStart(7), 'p99'.padStart(7));
      const queries: Array<[string, string, string]> = [
        ['operator: everything, first page', operator, '/requests'],
        ['operator: by status', operator, '/requests?status=scheduling'],
        ['operator: software name part', operator, '/requests?software=erp'],
        ['operator: waiting for me', operator, '/requests?waitingForMe=true'],
        ['operator: upcoming 14 days', operator, '/requests?upcoming=true'],
        ['operator: page 100', operator, '/requests?page=100&pageSize=50'],
        ['customer: own requests', customer, '/requests'],
      ];
      for (const [name, key, path] of queries) {
        const times = await sample(`${base}${path}`, key);
        console.log(name.padEnd(44), ...[0.5, 0.95, 0.99].map((q) => quantile(times, q).toFixed(1).padStart(7)));
        for (const q of [0.5, 0.95, 0.99]) figures[`${name} p${q * 100} (ms)`] = quantile(times, q);
      }
    } finally {
      await app.close();
    }
    return figures;
  } finally {
    await db.drop();
  }
}

async function seed(query: (sql: string, params?: unknown[]) => Promise<unknown>): Promise<void> {
  const statuses = ['scheduling', 'pre-checks', 'waiting-for-slot', 'installing', 'functional-testing', 'completed', 'cancelled'];
  await query(
    `INSERT INTO update_requests (request_id, workflow_id, customer_id, software_name, target_version, category, status,
       current_step, scheduled_start, pending_roles, submitted_at, updated_at)
     SELECT 'req-' || i, 'update-request-req-' || i, 'cust-' || (i % $2), (ARRAY['Abacus ERP', 'Sage 200', 'Office'])[1 + i % 3],
       '2025.' || (i % 4), 'feature', ($3::text[])[1 + i % 7], 'scheduling',
       now() + ((i % 60) || ' days')::interval, CASE WHEN i % 2 = 0 THEN ARRAY['operator'] ELSE ARRAY['customer'] END,
       now() - ((i % 365) || ' days')::interval, now()
     FROM generate_series(1, $1) AS i`,
    [ROWS, CUSTOMERS, statuses],
  );
  await query('ANALYZE update_requests');
}

async function sample(url: string, key: string): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < SAMPLES; i++) {
    const started = performance.now();
    const res = await fetch(url, { headers: { authorization: `Bearer ${key}` } });
    await res.arrayBuffer();
    if (res.status !== 200) throw new Error(`${url} answered ${res.status}`);
    times.push(performance.now() - started);
  }
  return times.sort((a, b) => a - b);
}
