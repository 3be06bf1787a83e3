import assert from 'node:assert/strict';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { resolveTemporalExecutable, TemporalBinaryNotFoundError } from '../platform/temporal-binaries';

describe('Temporal binary resolver', () => {
  let emptyProject: string;
  let fakeCli: string;

  before(async () => {
    emptyProject = await mkdtemp(path.join(os.tmpdir(), 'no-tools-'));
    fakeCli = path.join(emptyProject, 'temporal');
    await writeFile(fakeCli, '#!/bin/sh\n');
    await chmod(fakeCli, 0o755);
  });
  after(async () => { await rm(emptyProject, { recursive: true, force: true }); });

  it('takes the path in the environment variable over everything else', () => {
    const sut = resolveTemporalExecutable('cli', { TEMPORAL_CLI_PATH: fakeCli, PATH: '/usr/bin' });
    assert.deepEqual(sut, { type: 'existing-path', path: fakeCli });
  });

  it('finds the toolchain installed by npm run toolchain', () => {
    const sut = resolveTemporalExecutable('test-server', { PATH: '' });
    assert.equal(sut.type, 'existing-path');
    assert.match(sut.type === 'existing-path' ? sut.path : '', /\.tools\/venv\/bin\/temporal-test-server$/);
  });

  it('fails at once when the variable names a missing file, saying how to install', () => {
    const started = Date.now();
    assert.throws(
      () => resolveTemporalExecutable('test-server', { TEMPORAL_TEST_SERVER_PATH: path.join(emptyProject, 'missing') }),
      (err: unknown) => err instanceof TemporalBinaryNotFoundError && /npm run toolchain/.test(err.message) && /TEMPORAL_TEST_SERVER_PATH/.test(err.message),
    );
    assert.ok(Date.now() - started < 1_000);
  });

  it('fails at once when nothing is found and downloading is not allowed', () => {
    const started = Date.now();
    assert.throws(() => resolveTemporalExecutable('cli', { PATH: os.tmpdir() }, emptyProject), /npm run toolchain/);
    assert.ok(Date.now() - started < 1_000);
  });

  it('leaves it to the SDK to download only when that is allowed', () => {
    const sut = resolveTemporalExecutable('cli', { PATH: os.tmpdir(), TEMPORAL_ALLOW_DOWNLOAD: 'true' }, emptyProject);
    assert.deepEqual(sut, { type: 'cached-download' });
  });
});
