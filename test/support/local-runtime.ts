import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { createServer, type AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { createLogger } from '../../platform/logging';

/** Quiet logs for the launcher's pieces under test; LOG_LEVEL=debug shows them. */
export const testLogger = createLogger('test', process.env.LOG_LEVEL ?? 'silent');

/** A port nobody listens on right now, so a test never collides with a running `npm start`. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

export interface TestDataDir {
  path: string;
  remove(): Promise<void>;
}

/**
 * A fresh DATA_DIR of the test's own. mkdtemp makes it 0700, which the system user `postgres`
 * (who runs the embedded cluster when tests run as root) could not even enter: opened to 0755.
 */
export async function createTestDataDir(): Promise<TestDataDir> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'managed-updates-'));
  await chmod(dir, 0o755);
  return { path: dir, remove: () => rm(dir, { recursive: true, force: true }) };
}
