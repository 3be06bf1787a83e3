import { readFileSync } from 'node:fs';
import { Client } from 'ssh2';
import { KnownHosts } from './known-hosts';

/** How the worker logs in to hosts: a key (never a password), and the hosts it trusts. */
export interface SshSettings {
  privateKeyFile: string;
  passphrase?: string;
  /** Read at each connection, so a host added to the file is trusted without a restart. */
  knownHostsFile: string;
  connectTimeoutMs: number;
  commandTimeoutMs: number;
  /** Connection attempts before a host counts as unreachable; the delay doubles after each. */
  connectAttempts: number;
  retryDelayMs: number;
}

export interface SshAddress {
  host: string;
  port: number;
  user: string;
}

export interface CommandResult {
  /** null when the command ended by a signal or ran past its time limit. */
  exitCode: number | null;
  stdout: string;
  stderr: string;
}

/** A host that could not be reached: the last error and how many connections were tried. */
export class HostUnreachable extends Error {
  constructor(readonly address: SshAddress, readonly lastError: string, readonly attempts: number) {
    super(`${address.user}@${address.host}:${address.port} unreachable after ${attempts} attempts: ${lastError}`);
    this.name = 'HostUnreachable';
  }
}

/** One logged-in SSH connection to a host. */
export class SshConnection {
  private constructor(private readonly client: Client, private readonly commandTimeoutMs: number) {}

  /**
   * Connects, retrying with a doubling delay; after the last attempt throws HostUnreachable. A host
   * key not in the known-hosts file is refused like an unreachable host, never accepted.
   */
  static async open(address: SshAddress, settings: SshSettings): Promise<SshConnection> {
    let lastError = '';
    for (let attempt = 1; attempt <= settings.connectAttempts; attempt++) {
      try {
        return new SshConnection(await connectOnce(address, settings), settings.commandTimeoutMs);
      } catch (err) {
        lastError = err instanceof Error ? err.message : String(err);
      }
      if (attempt < settings.connectAttempts) await new Promise((r) => setTimeout(r, settings.retryDelayMs * 2 ** (attempt - 1)));
    }
    throw new HostUnreachable(address, lastError, settings.connectAttempts);
  }

  /** Runs a command in the login shell; a command that overruns the time limit is abandoned with exit code null. */
  run(command: string): Promise<CommandResult> {
    return new Promise((resolve, reject) => {
      this.client.exec(command, (err, channel) => {
        if (err) return reject(err);
        const stdout: Buffer[] = [];
        const stderr: Buffer[] = [];
        let exitCode: number | null = null;
        const limit = setTimeout(() => {
          stderr.push(Buffer.from(`\n[abandoned after ${this.commandTimeoutMs} ms]`));
          channel.close();
        }, this.commandTimeoutMs);
        channel.on('data', (d: Buffer) => stdout.push(d));
        channel.stderr.on('data', (d: Buffer) => stderr.push(d));
        channel.on('exit', (code: number | null) => { exitCode = typeof code === 'number' ? code : null; });
        channel.on('close', () => {
          clearTimeout(limit);
          resolve({ exitCode, stdout: Buffer.concat(stdout).toString('utf8'), stderr: Buffer.concat(stderr).toString('utf8') });
        });
      });
    });
  }

  close(): void {
    this.client.end();
  }
}

function connectOnce(address: SshAddress, settings: SshSettings): Promise<Client> {
  const knownHosts = KnownHosts.parse(readFileSync(settings.knownHostsFile, 'utf8'));
  return new Promise((resolve, reject) => {
    const client = new Client();
    let hostKeyRefused = false;
    client.once('ready', () => resolve(client));
    client.once('error', (err) => {
      client.end();
      reject(hostKeyRefused ? new Error(`host key of ${address.host}:${address.port} is not in ${settings.knownHostsFile}`) : err);
    });
    client.connect({
      host: address.host,
      port: address.port,
      username: address.user,
      privateKey: readFileSync(settings.privateKeyFile),
      passphrase: settings.passphrase,
      readyTimeout: settings.connectTimeoutMs,
      // Only the key; never a password or keyboard-interactive prompt.
      authHandler: ['publickey'],
      hostVerifier: (key: Buffer) => {
        hostKeyRefused = !knownHosts.trusts(address.host, address.port, key);
        return !hostKeyRefused;
      },
    });
  });
}
