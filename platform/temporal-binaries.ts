import { accessSync, constants } from 'node:fs';
import path from 'node:path';
import { projectRoot } from './project-root';

/** The two Temporal programs the project runs: the CLI (dev server) and the time-skipping test server. */
export type TemporalProgram = 'cli' | 'test-server';

interface ProgramFacts {
  envVar: string;
  executable: string;
}

const PROGRAMS: Record<TemporalProgram, ProgramFacts> = {
  cli: { envVar: 'TEMPORAL_CLI_PATH', executable: 'temporal' },
  'test-server': { envVar: 'TEMPORAL_TEST_SERVER_PATH', executable: 'temporal-test-server' },
};

/** What the SDK's `server.executable` option accepts. */
export type TemporalExecutable = { type: 'existing-path'; path: string } | { type: 'cached-download' };

export class TemporalBinaryNotFoundError extends Error {
  constructor(program: TemporalProgram, looked: string[]) {
    const { envVar, executable } = PROGRAMS[program];
    super(
      `Temporal ${program} binary "${executable}" not found (looked in: ${looked.join(', ')}). ` +
        `Run \`npm run toolchain\` to install it into .tools/, or set ${envVar} to its path, ` +
        `or set TEMPORAL_ALLOW_DOWNLOAD=true on a machine with internet access to let the SDK download it.`,
    );
    this.name = 'TemporalBinaryNotFoundError';
  }
}

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * Finds a Temporal program: the environment variable, then the project's `.tools/`, then PATH. The
 * SDK's own download is used only when explicitly allowed, so no run here ever hangs on a download
 * that this machine cannot make; otherwise it fails at once saying how to install the program.
 * `root` is the project whose `.tools/` is searched (a test points it at an empty folder).
 */
export function resolveTemporalExecutable(
  program: TemporalProgram,
  env: NodeJS.ProcessEnv = process.env,
  root: string = projectRoot(),
): TemporalExecutable {
  const { envVar, executable } = PROGRAMS[program];
  const explicit = env[envVar];
  if (explicit) {
    if (!isExecutable(explicit)) throw new TemporalBinaryNotFoundError(program, [`${envVar}=${explicit}`]);
    return { type: 'existing-path', path: explicit };
  }
  const candidates = [
    path.join(root, '.tools', 'venv', 'bin', executable),
    ...(env.PATH ?? '').split(path.delimiter).filter(Boolean).map((dir) => path.join(dir, executable)),
  ];
  const found = candidates.find(isExecutable);
  if (found) return { type: 'existing-path', path: found };
  if (env.TEMPORAL_ALLOW_DOWNLOAD === 'true') return { type: 'cached-download' };
  throw new TemporalBinaryNotFoundError(program, [`${envVar} (unset)`, '.tools/venv/bin', 'PATH']);
}
