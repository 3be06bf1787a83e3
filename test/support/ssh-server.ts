import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile, appendFile } from 'node:fs/promises';
import { existsSync, readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { Client } from 'ssh2';
import { closedPort } from './api';
import { startDaemon, type DaemonProcess } from './daemon-process';

const run = promisify(execFile);

export interface TestSshServer {
  host: string;
  port: number;
  /** Who the tests log in as (the test process's user, root on CI). */
  user: string;
  /** A known-hosts file holding exactly this server's host key. */
  knownHostsFile: string;
  /** A private key authorized at start; `addKey`/`removeKey` manage others. */
  privateKeyFile: string;
  publicKey: string;
  /** A new key pair (files in the server's folder), not yet authorized. */
  newKeyPair(name: string): Promise<{ privateKeyFile: string; publicKey: string }>;
  addKey(publicKey: string): Promise<void>;
  /** A user's interactive session (with a terminal, so `who` lists it) running `command` until closed. */
  openTerminalSession(command: string): Promise<{ close(): void }>;
  removeKey(publicKey: string): Promise<void>;
  stop(): Promise<void>;
}

/**
 * A real OpenSSH server on 127.0.0.1 and a free port, with its own host key and its own
 * authorized-keys file in a temporary folder (the machine's ~/.ssh is never touched). Started in
 * the foreground and stopped by its PID.
 */
export async function startTestSshServer(): Promise<TestSshServer> {
  // Runtime state a booted machine has: sshd's privilege-separation folder, and the utmp file in
  // which sshd records terminal sessions (what `who` lists).
  await mkdir('/run/sshd', { recursive: true });
  if (!existsSync('/run/utmp')) await writeFile('/run/utmp', '', { mode: 0o664 });
  const dir = await mkdtemp(path.join(tmpdir(), 'mu-sshd-'));
  const hostKey = path.join(dir, 'host_ed25519');
  await run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', hostKey]);
  const authorizedKeys = path.join(dir, 'authorized_keys');
  await writeFile(authorizedKeys, '', { mode: 0o600 });
  const port = await closedPort();
  const config = path.join(dir, 'sshd_config');
  await writeFile(config, [
    'ListenAddress 127.0.0.1', `Port ${port}`, `HostKey ${hostKey}`, `PidFile ${path.join(dir, 'sshd.pid')}`,
    `AuthorizedKeysFile ${authorizedKeys}`, 'StrictModes no', 'PasswordAuthentication no', 'KbdInteractiveAuthentication no',
    'PermitRootLogin prohibit-password', 'UsePAM no', 'UseDNS no', 'MaxStartups 50', 'MaxSessions 50', '',
  ].join('\n'));
  const daemon: DaemonProcess = await startDaemon('/usr/sbin/sshd', ['-D', '-e', '-f', config], path.join(dir, 'sshd.log'), () => listening(port));
  const knownHostsFile = path.join(dir, 'known_hosts');
  const hostPublicKey = (await readFile(`${hostKey}.pub`, 'utf8')).trim().split(' ').slice(0, 2).join(' ');
  await writeFile(knownHostsFile, `[127.0.0.1]:${port} ${hostPublicKey}\n`);

  const newKeyPair = async (name: string) => {
    const privateKeyFile = path.join(dir, name);
    await run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', name, '-f', privateKeyFile]);
    return { privateKeyFile, publicKey: (await readFile(`${privateKeyFile}.pub`, 'utf8')).trim() };
  };
  const addKey = (publicKey: string) => appendFile(authorizedKeys, `${publicKey.trim()}\n`);
  const removeKey = async (publicKey: string) => {
    const lines = (await readFile(authorizedKeys, 'utf8')).split('\n').filter((l) => l.trim() !== '' && l.trim() !== publicKey.trim());
    await writeFile(authorizedKeys, lines.map((l) => `${l}\n`).join(''));
  };
  const testKey = await newKeyPair('test_ed25519');
  await addKey(testKey.publicKey);
  return {
    host: '127.0.0.1',
    port,
    user: userInfo().username,
    knownHostsFile,
    privateKeyFile: testKey.privateKeyFile,
    publicKey: testKey.publicKey,
    newKeyPair,
    addKey,
    removeKey,
    async openTerminalSession(command) {
      const client = new Client();
      await new Promise<void>((resolve, reject) => {
        client.once('ready', () => resolve()).once('error', reject)
          .connect({ host: '127.0.0.1', port, username: userInfo().username, privateKey: readFileSync(testKey.privateKeyFile) });
      });
      await new Promise<void>((resolve, reject) => client.exec(command, { pty: true }, (err) => (err ? reject(err) : resolve())));
      return { close: () => client.end() };
    },
    async stop() {
      await removeKey(testKey.publicKey);
      await daemon.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => { socket.destroy(); resolve(true); });
    socket.once('error', () => resolve(false));
  });
}
