import { performance } from 'node:perf_hooks';

/** Runs `each` over `items`, at most `concurrency` at a time; answers the milliseconds it took. */
export async function forEachConcurrently<T>(items: T[], concurrency: number, each: (item: T) => Promise<unknown>): Promise<number> {
  const started = performance.now();
  let next = 0;
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < items.length) await each(items[next++]);
  }));
  return performance.now() - started;
}
