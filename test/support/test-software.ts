import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { appendFile, chmod, copyFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CommandCatalogue, catalogueFileName } from '../../activities/ssh/command-catalogue';

/**
 * A stand-in for the customer's software on the test host: its program (a copy of `sleep` under a
 * name unique to this run, since `ps` sees every process on the machine), one service (a process
 * of that kind, as there is no systemd here), an application log of ISO-stamped lines, and its
 * catalogue entry. Sessions and the software's processes use the catalogue's Linux defaults.
 */
export class TestSoftware {
  private service?: ChildProcess;

  private constructor(
    readonly name: string,
    readonly folder: string,
    readonly processName: string,
    readonly serviceName: string,
  ) {}

  static async install(): Promise<TestSoftware> {
    const suffix = randomBytes(4).toString('hex');
    const folder = await mkdtemp(path.join(tmpdir(), 'mu-software-'));
    // Readable by every user: the software also runs as a service account in some tests.
    await chmod(folder, 0o755);
    const sut = new TestSoftware(`Test ERP ${suffix}`, folder, `mu${suffix}`, `mus${suffix}`);
    await copyFile('/bin/sleep', sut.program);
    await copyFile('/bin/sleep', path.join(folder, sut.serviceName));
    await writeFile(sut.logFile, '');
    await writeFile(path.join(folder, `${catalogueFileName(sut.name)}.json`), JSON.stringify({
      software: sut.name,
      linux: {
        processName: sut.processName,
        application: `${sut.program} 0`,
        services: [sut.serviceName],
        service: 'pgrep -x {service}',
        logErrors: `awk -v since={since} '$1 >= since && / ERROR /' ${sut.logFile}`,
      },
    }));
    sut.startService();
    return sut;
  }

  get program(): string {
    return path.join(this.folder, this.processName);
  }

  get logFile(): string {
    return path.join(this.folder, 'app.log');
  }

  get catalogue(): CommandCatalogue {
    return new CommandCatalogue(this.folder);
  }

  /** The command that runs the software for `seconds`, e.g. in a user's session. */
  runCommand(seconds = 600): string {
    return `${this.program} ${seconds}`;
  }

  /** Whether the software's process runs on this machine (as anyone). */
  isRunning(): Promise<boolean> {
    return new Promise((resolve) => execFile('pgrep', ['-x', this.processName], (err) => resolve(!err)));
  }

  async logError(at: Date, message: string): Promise<void> {
    await appendFile(this.logFile, `${at.toISOString()} ERROR ${message}\n`);
  }

  startService(): void {
    this.service = spawn(path.join(this.folder, this.serviceName), ['600'], { stdio: 'ignore' });
  }

  async stopService(): Promise<void> {
    const service = this.service;
    if (!service || service.exitCode !== null || service.signalCode !== null) return;
    const gone = new Promise((r) => service.once('exit', r));
    service.kill('SIGTERM');
    await gone;
  }

  async remove(): Promise<void> {
    await this.stopService();
    await rm(this.folder, { recursive: true, force: true });
  }
}
