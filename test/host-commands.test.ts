import assert from 'node:assert/strict';
import { createHmac, randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ApplicationFailure } from '@temporalio/common';
import { CommandCatalogue, catalogueFileName, fillPlaceholders, remoteInvocation } from '../activities/ssh/command-catalogue';
import { KnownHosts } from '../activities/ssh/known-hosts';
import { projectRoot } from '../platform/project-root';

describe('command catalogue', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'mu-catalogue-'));
    await writeFile(path.join(dir, 'abacus-erp.json'), JSON.stringify({
      software: 'Abacus ERP',
      windows: { processName: 'abacus', application: 'Start-Process abacus.exe -ArgumentList /selftest -Wait', services: ['AbacusServer'] },
      linux: { processName: 'abacus' },
    }));
  });
  after(async () => { await rm(dir, { recursive: true, force: true }); });

  it('names files after the software and fills in the family defaults', async () => {
    assert.equal(catalogueFileName('Abacus ERP'), 'abacus-erp');
    const sut = new CommandCatalogue(dir);
    const windows = await sut.commandsFor('Abacus ERP', 'windows');
    assert.deepEqual(windows.services, ['AbacusServer']);
    assert.match(windows.processes, /^Get-Process -Name \{process\} -IncludeUserName/);
    assert.match(windows.logErrors, /Get-WinEvent/);
  });

  it('ships an example entry that serves both host families', async () => {
    const shipped = new CommandCatalogue(path.join(projectRoot(), 'catalogue'));
    assert.deepEqual((await shipped.commandsFor('Example ERP', 'linux')).services, ['example-erp-server', 'example-erp-print']);
    assert.equal((await shipped.commandsFor('Example ERP', 'windows')).processName, 'ExampleERP');
  });

  it('refuses an entry without a required command, and a software without an entry, naming the file', async () => {
    const sut = new CommandCatalogue(dir);
    await assert.rejects(sut.commandsFor('Abacus ERP', 'linux'),
      (err: unknown) => err instanceof ApplicationFailure && err.nonRetryable && /application is required/.test(err.message));
    await assert.rejects(sut.commandsFor('Sage 200', 'linux'), (err: unknown) => err instanceof ApplicationFailure && /sage-200\.json/.test(err.message));
  });

  it('quotes placeholder values for the host shell, so a value stays one literal word', () => {
    assert.equal(fillPlaceholders('systemctl is-active {service}', { service: "a b'; rm -rf /" }, 'linux'), `systemctl is-active 'a b'\\''; rm -rf /'`);
    assert.equal(fillPlaceholders('Get-Service -Name {service}', { service: "it's" }, 'windows'), `Get-Service -Name 'it''s'`);
    assert.equal(fillPlaceholders('awk \'{print}\' {unknown}', {}, 'linux'), 'awk \'{print}\' {unknown}');
  });

  it('sends Windows commands to PowerShell encoded, as UTF-16LE base64', () => {
    const command = `Get-Service -Name 'Spooler' | Select-Object Status`;
    const invocation = remoteInvocation(command, 'windows');
    const [, encoded] = invocation.match(/^powershell -NoProfile -NonInteractive -EncodedCommand (\S+)$/)!;
    assert.equal(Buffer.from(encoded, 'base64').toString('utf16le'), command);
    assert.equal(remoteInvocation('who', 'linux'), 'who');
  });
});

describe('known hosts', () => {
  const key = randomBytes(51);
  const other = randomBytes(51);
  const line = (hosts: string, k = key) => `${hosts} ssh-ed25519 ${k.toString('base64')}`;

  it('trusts a listed host and port with its key only', () => {
    const sut = KnownHosts.parse(`# comment\n${line('app-01.example,10.0.0.5')}\n${line('[127.0.0.1]:2222')}\n`);
    assert.equal(sut.trusts('app-01.example', 22, key), true);
    assert.equal(sut.trusts('10.0.0.5', 22, key), true);
    assert.equal(sut.trusts('127.0.0.1', 2222, key), true);
    assert.equal(sut.trusts('127.0.0.1', 22, key), false);
    assert.equal(sut.trusts('app-01.example', 22, other), false);
    assert.equal(sut.trusts('app-02.example', 22, key), false);
  });

  it('matches hashed host names and honours @revoked', () => {
    const salt = randomBytes(20);
    const hash = createHmac('sha1', salt).update('[kvm-01]:2200').digest('base64');
    const sut = KnownHosts.parse(`${line(`|1|${salt.toString('base64')}|${hash}`)}\n${line('app-01')}\n@revoked ${line('app-01')}\n`);
    assert.equal(sut.trusts('kvm-01', 2200, key), true);
    assert.equal(sut.trusts('kvm-02', 2200, key), false);
    assert.equal(sut.trusts('app-01', 22, key), false);
  });
});
