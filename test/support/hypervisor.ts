import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { startDaemon, type DaemonProcess } from './daemon-process';

const run = promisify(execFile);

/** The local libvirt daemon's connection, as a production worker on a KVM host would use it. */
export const LOCAL_HYPERVISOR_URI = 'qemu:///system';

export interface TestHypervisor {
  uri: string;
  /** The libvirt domain standing in for each target VM. */
  domainOf(target: string): string;
  /** The snapshot names libvirt holds for the target's domain. */
  snapshots(target: string): Promise<string[]>;
  stop(): Promise<void>;
}

/**
 * A real libvirt daemon with one defined, never-started QEMU domain per target, each with its own
 * qcow2 disk: internal snapshots then work without KVM, by the same calls as on a production host.
 * Domain names carry a random part, so files run one after another (or a daemon another test run
 * already started) never meet each other's domains. The daemon is started only when none answers,
 * and then stopped by its PID; the domains and disks are always removed.
 */
export async function startTestHypervisor(targets: string[]): Promise<TestHypervisor> {
  const dir = await mkdtemp(path.join(tmpdir(), 'mu-libvirt-'));
  let daemon: DaemonProcess | undefined;
  if (!(await answers())) {
    daemon = await startDaemon('libvirtd', ['--pid-file', path.join(dir, 'libvirtd.pid')], path.join(dir, 'libvirtd.log'), answers);
  }
  await undefineAbandonedDomains();
  const prefix = `${DOMAIN_PREFIX}${randomBytes(4).toString('hex')}`;
  const domains = new Map(targets.map((t) => [t, `${prefix}-${t}`]));
  for (const [target, domain] of domains) {
    const disk = path.join(dir, `${target}.qcow2`);
    await run('qemu-img', ['create', '-q', '-f', 'qcow2', disk, '64M']);
    const xml = path.join(dir, `${target}.xml`);
    await writeFile(xml, domainXml(domain, disk));
    await virsh('define', xml);
  }
  const domainOf = (target: string) => {
    const domain = domains.get(target);
    if (!domain) throw new Error(`no test domain for ${target}`);
    return domain;
  };
  return {
    uri: LOCAL_HYPERVISOR_URI,
    domainOf,
    async snapshots(target) {
      const { stdout } = await virsh('snapshot-list', '--domain', domainOf(target), '--name');
      return stdout.split('\n').map((l) => l.trim()).filter(Boolean);
    },
    async stop() {
      for (const domain of domains.values()) await virsh('undefine', '--domain', domain, '--snapshots-metadata').catch(() => undefined);
      await daemon?.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

const DOMAIN_PREFIX = 'mu-test-';

/**
 * Test domains whose disk is gone were left by a test run that was killed before its cleanup; a
 * running test's domains still have their disks and are left alone.
 */
async function undefineAbandonedDomains(): Promise<void> {
  const { stdout } = await virsh('list', '--all', '--name');
  for (const domain of stdout.split('\n').map((l) => l.trim()).filter((l) => l.startsWith(DOMAIN_PREFIX))) {
    const disks = (await virsh('domblklist', '--domain', domain)).stdout.split('\n').map((l) => l.trim().split(/\s+/)[1]).filter(Boolean);
    if (disks.every((disk) => !existsSync(disk))) await virsh('undefine', '--domain', domain, '--snapshots-metadata');
  }
}

function virsh(...args: string[]) {
  return run('virsh', ['-q', '-c', LOCAL_HYPERVISOR_URI, ...args]);
}

async function answers(): Promise<boolean> {
  try {
    await run('virsh', ['-c', LOCAL_HYPERVISOR_URI, 'version'], { timeout: 5_000 });
    return true;
  } catch {
    return false;
  }
}

function domainXml(name: string, disk: string): string {
  return `<domain type='qemu'>
  <name>${name}</name>
  <memory unit='MiB'>64</memory>
  <os><type arch='x86_64'>hvm</type></os>
  <devices>
    <disk type='file' device='disk'>
      <driver name='qemu' type='qcow2'/>
      <source file='${disk}'/>
      <target dev='vda' bus='virtio'/>
    </disk>
  </devices>
</domain>
`;
}
