import { execFile } from 'node:child_process';

/** A virsh command that failed: its arguments, exit code and libvirt's message. */
export class VirshError extends Error {
  constructor(readonly args: string[], readonly exitCode: number | null, readonly stderr: string) {
    super(`virsh ${args.join(' ')} failed (exit ${exitCode ?? 'none'}): ${stderr.trim() || 'no message'}`);
    this.name = 'VirshError';
  }

  /** libvirt's error codes reach virsh's users only as text: these are its fixed messages. */
  get snapshotNotFound(): boolean {
    return /Domain snapshot not found|no domain snapshot with matching name/i.test(this.stderr);
  }

  get snapshotExists(): boolean {
    return /already exists/i.test(this.stderr);
  }

  get domainNotFound(): boolean {
    return /Domain not found|failed to get domain/i.test(this.stderr);
  }
}

/**
 * Runs `virsh -c <uri> <args…>` with an argument list (no shell, so nothing in a domain or snapshot
 * name is interpreted) and answers its stdout; never interactive. Snapshots of large VMs take minutes, hence the
 * generous limit, kept below the activity's 30-minute timeout.
 */
export function virsh(uri: string, args: string[], timeoutMs = 25 * 60_000): Promise<string> {
  const all = ['-q', '-c', uri, ...args];
  return new Promise((resolve, reject) => {
    const child = execFile('virsh', all, { timeout: timeoutMs, maxBuffer: 4 * 1024 * 1024 }, (err, stdout, stderr) => {
      if (!err) return resolve(stdout);
      const code = typeof err.code === 'number' ? err.code : null;
      reject(new VirshError(all, code, stderr || err.message));
    });
    // Nobody can answer a prompt (an unknown host key over qemu+libssh would ask): with stdin
    // closed, libvirt refuses instead of waiting.
    child.stdin?.end();
  });
}
