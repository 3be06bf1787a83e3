import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { Client, Connection } from '@temporalio/client';
import { startTemporalDevServer, type TemporalDevServer } from '../../local/temporal-dev-server';
import { archiveClosedRequests } from '../../platform/audit/archive-sweeper';
import { HistoryArchive } from '../../platform/audit/history-archive';
import { managedUpdateWorkflow } from '../../workflows';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { eventually } from '../support/eventually';
import { createTestDataDir, freePort, testLogger, type TestDataDir } from '../support/local-runtime';

/**
 * Which runs the archive sweep looks at, on the dev server (which has visibility, as production
 * has): the open ones never, so its cost does not grow with them; a run terminated by hand, whose
 * read-model row never turned final, is still archived.
 */
describe('archive sweep candidates on a server with visibility', () => {
  let dataDir: TestDataDir;
  let server: TemporalDevServer;
  let connection: Connection;
  let client: Client;
  let db: TestDatabase;

  before(async () => {
    dataDir = await createTestDataDir();
    server = await startTemporalDevServer({
      dataDir: dataDir.path, namespace: 'default', logger: testLogger, port: await freePort(), uiPort: await freePort(),
    });
    connection = await Connection.connect({ address: server.address });
    client = new Client({ connection });
    db = await createTestDatabase();
  });
  after(async () => {
    await db?.drop();
    await connection?.close();
    await server?.process.stop();
    await dataDir?.remove();
  });

  /** A request row and its run, on a queue no worker polls: the run stays open until terminated. */
  async function request(status: string): Promise<string> {
    const requestId = randomUUID();
    const workflowId = `update-request-${requestId}`;
    await db.dataSource.query(
      `INSERT INTO update_requests (request_id, workflow_id, customer_id, software_name, target_version, category, status,
         current_step, submitted_at, updated_at)
       VALUES ($1, $2, 'cust-1', 'Abacus ERP', '2025.1', 'feature', $3, $3, now(), now())`, [requestId, workflowId, status]);
    await client.workflow.start(managedUpdateWorkflow, { taskQueue: `nobody-${requestId}`, workflowId, args: [] as never });
    return workflowId;
  }

  it('archives a run terminated by hand and never asks about the open ones', async () => {
    const open = await Promise.all([1, 2, 3].map(() => request('scheduling')));
    const terminated = await request('installing');
    await client.workflow.getHandle(terminated).terminate('operator stopped it by hand');
    await eventually(async () => {
      const ids: string[] = [];
      for await (const run of client.workflow.list({ query: `ExecutionStatus = 'Terminated'` })) ids.push(run.workflowId);
      return ids;
    }, (ids) => ids.includes(terminated), 'visibility to list the terminated run');

    // A client of its own whose handles are noted: every describe and history read starts with one.
    const watching = new Client({ connection });
    const described: string[] = [];
    const getHandle = watching.workflow.getHandle.bind(watching.workflow);
    watching.workflow.getHandle = (workflowId, ...rest) => { described.push(workflowId); return getHandle(workflowId, ...rest); };
    const sweep = await archiveClosedRequests(watching, db.dataSource, new HistoryArchive(db.dataSource));

    assert.deepEqual(sweep.archived, [terminated]);
    assert.equal(sweep.open, 0);
    assert.deepEqual(described.filter((id) => open.includes(id)), [], 'the open requests cost the sweep nothing');
    assert.deepEqual((await archiveClosedRequests(client, db.dataSource, new HistoryArchive(db.dataSource))).archived, [],
      'a second sweep finds nothing new');
  });
});
