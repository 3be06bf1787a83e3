import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { HistoryArchive } from '../platform/audit/history-archive';
import { historyFileName } from '../platform/audit/history-replayer';
import { HistoryStore } from '../platform/audit/history-store';
import { LIFECYCLE_HARNESS, LIFECYCLES, RECORDED_HISTORIES_DIR } from '../test/histories/lifecycles';
import { UpdateHarness } from '../test/support/update-harness';

/**
 * `npm run record-histories [lifecycle…]`: runs each lifecycle (all by default) with the current
 * workflow code on the time-skipping test server and replaces its folder under test/histories/
 * with the histories it produced: the request's and every host's.
 */
async function main(): Promise<void> {
  const wanted = process.argv.slice(2);
  const unknown = wanted.filter((name) => !(name in LIFECYCLES));
  if (unknown.length > 0) throw new Error(`unknown lifecycle(s) ${unknown.join(', ')}; known: ${Object.keys(LIFECYCLES).join(', ')}`);
  for (const [name, lifecycle] of Object.entries(LIFECYCLES)) {
    if (wanted.length > 0 && !wanted.includes(name)) continue;
    // A harness per lifecycle: some need other providers (LIFECYCLE_HARNESS).
    const h = await UpdateHarness.start(LIFECYCLE_HARNESS[name] ?? {});
    try {
      const store = new HistoryStore(h.env.client, new HistoryArchive(h.db.dataSource));
      const requestId = await lifecycle(h);
      const folder = path.join(RECORDED_HISTORIES_DIR, name);
      await rm(folder, { recursive: true, force: true });
      await mkdir(folder, { recursive: true });
      for (const history of await store.loadRequest(requestId)) {
        await writeFile(path.join(folder, historyFileName(history.workflowId)), history.json);
      }
      process.stdout.write(`recorded ${name} (request ${requestId}) into ${path.relative(process.cwd(), folder)}\n`);
    } finally {
      await h.stop();
    }
  }
}

main().catch((err) => {
  process.stderr.write(`record-histories failed: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
