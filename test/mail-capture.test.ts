import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startMailCapture } from '../local/mail-capture';
import { createMailTransport } from '../platform/mail/mail-transport';
import { createTestDataDir, freePort, testLogger, type TestDataDir } from './support/local-runtime';

describe('mail capture of npm start', () => {
  let dataDir: TestDataDir;

  before(async () => { dataDir = await createTestDataDir(); });
  after(async () => { await dataDir?.remove(); });

  it('keeps every message as an .eml file under DATA_DIR/mail', async () => {
    const capture = await startMailCapture({ dataDir: dataDir.path, logger: testLogger, port: await freePort() });
    const mailer = createMailTransport({ smtpUrl: capture.url, from: 'updates@example.test', operationsEmail: 'ops@example.test', smtpUrlGiven: true });
    try {
      await mailer.sendMail({ to: 'ops@example.test', subject: 'Captured as a file', text: 'hello' });
    } finally {
      mailer.close();
      await capture.close();
    }
    const mailDir = path.join(dataDir.path, 'mail');
    const files = await readdir(mailDir);
    assert.equal(files.length, 1);
    assert.match(files[0], /\.eml$/);
    const raw = await readFile(path.join(mailDir, files[0]), 'utf8');
    assert.match(raw, /^Subject: Captured as a file$/m);
    assert.match(raw, /^To: ops@example\.test$/m);
  });
});
