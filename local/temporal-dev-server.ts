import { Connection } from '@temporalio/client';
import path from 'node:path';
import type { Logger } from 'pino';
import { searchAttributeCliSpecs } from '../platform/search-attributes';
import { resolveTemporalExecutable } from '../platform/temporal-binaries';
import { startProcess, waitUntilReady, type ManagedProcess } from './processes';

export interface TemporalDevServerOptions {
  dataDir: string;
  namespace: string;
  logger: Logger;
  port?: number;
  uiPort?: number;
}

export interface TemporalDevServer {
  address: string;
  uiUrl: string;
  process: ManagedProcess;
}

/** Answers once the frontend serves the namespace, which the dev server creates at start. */
async function probe(address: string, namespace: string): Promise<void> {
  const connection = await Connection.connect({ address, connectTimeout: 1_000 });
  try {
    await connection.workflowService.describeNamespace({ namespace });
  } finally {
    await connection.close();
  }
}

/**
 * `temporal server start-dev` on a SQLite file under DATA_DIR, so workflows survive a restart,
 * with our custom search attributes registered. Resolves once it answers.
 */
export async function startTemporalDevServer(options: TemporalDevServerOptions): Promise<TemporalDevServer> {
  const { dataDir, namespace, logger, port = 7233, uiPort = 8233 } = options;
  const executable = resolveTemporalExecutable('cli');
  if (executable.type !== 'existing-path') {
    throw new Error('npm start runs the temporal CLI itself and cannot download it: run `npm run toolchain` or set TEMPORAL_CLI_PATH');
  }
  const args = [
    'server', 'start-dev',
    '--db-filename', path.join(dataDir, 'temporal.db'),
    '--port', String(port), '--ui-port', String(uiPort), '--ip', '127.0.0.1',
    '--namespace', namespace, '--log-level', 'warn',
    ...searchAttributeCliSpecs().flatMap((spec) => ['--search-attribute', spec]),
  ];
  const server = await startProcess({ name: 'temporal', command: executable.path, args, output: logger.child({ process: 'temporal' }) });
  const address = `127.0.0.1:${port}`;
  try {
    await waitUntilReady(server, () => probe(address, namespace), 60_000);
  } catch (err) {
    await server.stop();
    throw err;
  }
  return { address, uiUrl: `http://127.0.0.1:${uiPort}`, process: server };
}
