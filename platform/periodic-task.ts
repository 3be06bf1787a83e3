/**
 * Runs `work` every `intervalMs` (0: never) until stopped, one run at a time: a tick while a run is
 * still under way is skipped, so slow runs never pile up. `work` handles its own errors.
 */
export function repeatEvery(intervalMs: number, work: () => Promise<void>): { stop(): Promise<void> } {
  if (intervalMs <= 0) return { stop: async () => {} };
  let running: Promise<void> | undefined;
  const timer = setInterval(() => {
    if (running) return;
    running = work().finally(() => { running = undefined; });
  }, intervalMs);
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
