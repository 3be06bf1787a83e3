import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { Client, Connection } from '@temporalio/client';
import { startTemporalDevServer, type TemporalDevServer } from '../local/temporal-dev-server';
import { SEARCH_ATTRIBUTES } from '../platform/search-attributes';
import { createTestDataDir, freePort, testLogger, type TestDataDir } from './support/local-runtime';

async function withClient<T>(server: TemporalDevServer, use: (client: Client) => Promise<T>): Promise<T> {
  const connection = await Connection.connect({ address: server.address });
  try {
    return await use(new Client({ connection }));
  } finally {
    await connection.close();
  }
}

describe('Temporal dev server of npm start', () => {
  let dataDir: TestDataDir;

  before(async () => { dataDir = await createTestDataDir(); });
  after(async () => { await dataDir?.remove(); });

  it('registers our search attributes and keeps workflows across a restart', async () => {
    const start = async () => startTemporalDevServer({
      dataDir: dataDir.path, namespace: 'default', logger: testLogger, port: await freePort(), uiPort: await freePort(),
    });
    const workflowId = `kept-${randomUUID()}`;
    const first = await start();
    try {
      await withClient(first, async (client) => {
        const { customAttributes } = await client.connection.operatorService.listSearchAttributes({ namespace: 'default' });
        const wanted = SEARCH_ATTRIBUTES.map((key) => key.name);
        assert.deepEqual(wanted.filter((name) => !(name in customAttributes)), [], 'every custom search attribute is registered');
        // No worker polls this queue: the workflow simply stays open, which is what must survive.
        await client.workflow.start('notRegistered', { taskQueue: `nobody-${workflowId}`, workflowId });
      });
    } finally {
      await first.process.stop();
    }

    const second = await start();
    try {
      const description = await withClient(second, (client) => client.workflow.getHandle(workflowId).describe());
      assert.equal(description.status.name, 'RUNNING');
    } finally {
      await second.process.stop();
    }
  });
});
