/**
 * What one production worker holds with many requests open: starts a dev server, a fresh schema, a
 * mail sink, the worker and the API as child processes (so the worker's RSS is its alone), then
 * submits BENCH_OPEN requests (default 10,000, at most 20,000) at concurrency 16 and waits until
 * every one has reached its first wait. Reports the worker's RSS idle, at each quarter of the
 * requests waiting, at its peak, and the time until all were waiting. WORKFLOW_CACHE_SIZE, when set,
 * reaches the worker like any setting.
 */
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { startBenchStack } from './bench-stack';
import { benchCallers, FIRST_WAIT, submitRequests, untilAll } from './intake';
import type { Figures } from './results';
import { residentBytes, startApiProcess, startWorkerProcess } from './service-processes';

const OPEN = Math.min(Number(process.env.BENCH_OPEN ?? 10_000), 20_000);
const CONCURRENCY = 16;
const MIB = 2 ** 20;

export async function openRequestsBench(): Promise<Figures> {
  const stack = await startBenchStack();
  const env = stack.env(`bench-${randomUUID()}`);
  const worker = await startWorkerProcess(stack.client, env);
  const api = await startApiProcess(env);
  try {
    const { customer } = await benchCallers(stack.db.dataSource);
    let peak = 0;
    const rss = async () => {
      const mib = (await residentBytes(worker.pid)) / MIB;
      peak = Math.max(peak, mib);
      return mib;
    };
    const figures: Figures = { 'worker RSS idle (MiB)': await rss() };
    const sampler = setInterval(() => void rss().catch(() => undefined), 1_000);
    try {
      const started = performance.now();
      const { requestIds, ms, unavailable } = await submitRequests([api.url], customer, OPEN, CONCURRENCY);
      figures['POST /requests (/s)'] = OPEN / (ms / 1000);
      figures['503 answers retried'] = unavailable;
      let quarter = 1;
      await untilAll(stack.db.dataSource, requestIds, FIRST_WAIT, {
        timeoutMs: 60_000 + OPEN * 1_000, // a loaded machine reaches a few waits a second
        onProgress: async (reached) => {
          while (quarter <= 4 && reached >= (OPEN * quarter) / 4) {
            figures[`worker RSS with ${Math.round((OPEN * quarter) / 4)} waiting (MiB)`] = await rss();
            quarter += 1;
          }
        },
      });
      const seconds = (performance.now() - started) / 1000;
      figures[`time until all ${OPEN} wait (s)`] = seconds;
      figures['requests reaching their first wait (/s)'] = OPEN / seconds;
    } finally {
      clearInterval(sampler);
    }
    figures['worker RSS peak (MiB)'] = peak;

    console.log(`${OPEN} requests open on one worker process (first wait: ${FIRST_WAIT})`);
    for (const [name, value] of Object.entries(figures)) console.log(name.padEnd(48), value.toFixed(1).padStart(10));
    return figures;
  } finally {
    await api.process.stop();
    await worker.stop();
    await stack.stop();
  }
}
