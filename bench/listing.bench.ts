/**
 * How fast the API lists requests from the read model as it grows: seeds `update_requests` with
 * BENCH_ROWS rows (default 50,000) over 500 customers in a fresh schema of the machine's PostgreSQL,
 * then times each list query the API offers over real HTTP, and the read model's part of it alone.
 * Run with `npm run bench -- listing`. Prints quantiles per query; nothing here asserts a speed
 * (see README, Benchmarks).
 */
import { performance } from 'node:perf_hooks';
import type { AddressInfo } from 'node:net';
import { createApp } from '../api/app';
import { CredentialStore } from '../api/auth/credential-store';
import { ListRequestsQuery } from '../api/requests/list-requests.query';
import { RequestReadModel } from '../api/requests/request-read-model';
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
    const operatorKey = (await credentials.issue({ role: 'operator', subject: 'bench' })).apiKey;
    const customerKey = (await credentials.issue({ role: 'customer', customerId: 'cust-7', subject: 'bench' })).apiKey;

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
      console.log('query'.padEnd(44), ...['http p50', 'http p95', 'http p99', 'model p50', 'model p99'].map((h) => h.padStart(10)));
      const operator = { actor: { id: 'bench', role: 'operator' }, key: operatorKey } as const;
      const customer = { actor: { id: 'bench', role: 'customer', customerId: 'cust-7' }, key: customerKey } as const;
      const queries: Array<[string, typeof operator | typeof customer, Partial<ListRequestsQuery>]> = [
        ['operator: everything, first page', operator, {}],
        ['operator: by status', operator, { status: 'scheduling' }],
        ['operator: software name part', operator, { software: 'erp' }],
        ['operator: software name part, 1 in 500', operator, { software: 'zeiterf' }],
        ['operator: waiting for me', operator, { waitingForMe: true }],
        ['operator: upcoming 14 days', operator, { upcoming: true }],
        ['operator: page 100', operator, { page: 100, pageSize: 50 }],
        ['customer: own requests', customer, {}],
      ];
      // The read model's two statements alone, without HTTP and Nest, show where a call's time goes.
      const readModel = new RequestReadModel(db.dataSource);
      for (const [name, { actor, key }, filters] of queries) {
        const path = `/requests?${new URLSearchParams(Object.entries(filters).map(([k, v]): [string, string] => [k, String(v)]))}`;
        const http = await sample(() => fetchList(`${base}${path}`, key));
        const direct = await sample(() => readModel.list(actor, Object.assign(new ListRequestsQuery(), filters)));
        console.log(name.padEnd(44), ...[quantile(http, 0.5), quantile(http, 0.95), quantile(http, 0.99), quantile(direct, 0.5), quantile(direct, 0.99)]
          .map((ms) => ms.toFixed(1).padStart(10)));
        for (const [label, times] of [['http', http], ['model', direct]] as const) {
          for (const q of [0.5, 0.95, 0.99]) figures[`${name} ${label} p${q * 100} (ms)`] = quantile(times, q);
        }
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
     SELECT 'req-' || i, 'update-request-req-' || i, 'cust-' || (i % $2), CASE WHEN i % 500 = 0 THEN 'Zeiterfassung Pro'
       ELSE (ARRAY['Abacus ERP', 'Sage 200', 'Office'])[1 + i % 3] END,
       '2025.' || (i % 4), 'feature', ($3::text[])[1 + i % 7], 'scheduling',
       now() + ((i % 60) || ' days')::interval, CASE WHEN i % 2 = 0 THEN ARRAY['operator'] ELSE ARRAY['customer'] END,
       now() - ((i % 365) || ' days')::interval, now()
     FROM generate_series(1, $1) AS i`,
    [ROWS, CUSTOMERS, statuses],
  );
  // What autovacuum does to a table that grew: the GIN indexes' pending lists merged, statistics taken.
  await query('VACUUM ANALYZE update_requests');
}

async function fetchList(url: string, key: string): Promise<void> {
  const res = await fetch(url, { headers: { authorization: `Bearer ${key}` } });
  await res.arrayBuffer();
  if (res.status !== 200) throw new Error(`${url} answered ${res.status}`);
}

/** SAMPLES calls one after another; their times in ms, sorted. */
async function sample(call: () => Promise<unknown>): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < SAMPLES; i++) {
    const started = performance.now();
    await call();
    times.push(performance.now() - started);
  }
  return times.sort((a, b) => a - b);
}
