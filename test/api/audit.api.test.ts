import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import { AuditService } from '../../platform/audit/audit-service';
import { WORKFLOW_BUNDLE_PATH } from '../../worker/workflow-bundle';
import { LIFECYCLES } from '../histories/lifecycles';
import { ApiHarness, followAuditJob, runAuditJob, type Caller } from './api-harness';

/** The workflow input's payload bytes as text (proto3-JSON carries them in base64). */
function requestInput(history: { events: Array<Record<string, any>> }): string {
  const [payload] = history.events[0].workflowExecutionStartedEventAttributes.input.payloads;
  return Buffer.from(payload.data, 'base64').toString('latin1');
}

describe('API: auditors export, replay and read the report of a request', () => {
  let sut: ApiHarness;
  let auditor: Caller;
  let requestId: string;

  before(async () => {
    sut = await ApiHarness.start();
    auditor = await sut.staff('auditor', 'ada.auditor');
    requestId = await LIFECYCLES['happy-path'](sut.h);
  });
  after(async () => { await sut?.stop(); });

  it('exports the request and host histories as proto3-JSON, sealed unless asked to decrypt', async () => {
    const res = await sut.call(auditor, 'GET', `/audit/requests/${requestId}/histories`);
    assert.equal(res.status, 200);
    assert.equal(res.body.histories.length, 2, 'the request and its one host');
    const [main] = res.body.histories;
    assert.equal(main.workflowId, `update-request-${requestId}`);
    assert.equal(main.history.events[0].eventType, 'EVENT_TYPE_WORKFLOW_EXECUTION_STARTED');
    assert.ok(historyFromJSON(main.history).events!.length > 10, 'loads back as a Temporal history');
    assert.doesNotMatch(requestInput(main.history), /LIC-4711/, 'licence keys stay encrypted');

    const opened = await sut.call(auditor, 'GET', `/audit/requests/${requestId}/histories?decrypt=true`);
    assert.equal(opened.status, 200);
    assert.match(requestInput(opened.body.histories[0].history), /LIC-4711/);
  });

  it('replays the request against the current workflow code', async () => {
    const res = await sut.call(auditor, 'GET', `/audit/requests/${requestId}/replay`);
    assert.equal(res.status, 200);
    assert.equal(res.body.deterministic, true);
    assert.deepEqual(res.body.verdicts.map((v: { deterministic: boolean }) => v.deterministic), [true, true]);
  });

  it('reports every step as JSON and as HTML, agreeing with the audit table', async () => {
    const res = await sut.call(auditor, 'GET', `/audit/requests/${requestId}/report`);
    assert.equal(res.status, 200);
    assert.equal(res.body.outcome, 'signed-off');
    assert.ok(res.body.steps.some((s: { action: string }) => s.action === 'signed-off'));
    assert.deepEqual(res.body.differences, []);
    const html = await sut.call(auditor, 'GET', `/audit/requests/${requestId}/report.html`);
    assert.equal(html.status, 200);
    assert.match(html.headers.get('content-type') ?? '', /^text\/html/);
    assert.match(html.body, new RegExp(requestId));
    // The printable page keeps its <style> block; scripts stay forbidden but for our own files.
    assert.match(html.headers.get('content-security-policy') ?? '', /script-src 'self';.*style-src 'self' 'unsafe-inline'/);
    assert.doesNotMatch(html.body, /<script/);
  });

  const runJob = (body: Record<string, string>) => runAuditJob(sut.url, auditor, body);

  it('verifies and replays the archive as jobs once the closed request is archived', async () => {
    const empty = await runJob({ kind: 'archive-verification' });
    assert.deepEqual([empty.status, empty.result.intact, empty.result.checked], ['succeeded', true, 0]);
    await new AuditService({ client: sut.h.env.client, dataSource: sut.h.db.dataSource, payloadKeys: sut.h.config.payloadKeys, workflowBundlePath: WORKFLOW_BUNDLE_PATH, replayConcurrency: sut.h.config.auditReplayConcurrency, replayLaneIdleMs: sut.h.config.auditReplayLaneIdleMs })
      .archiveClosed();
    const verified = await runJob({ kind: 'archive-verification' });
    assert.equal(verified.result.intact, true);
    assert.equal(verified.result.checked, 2);
    assert.deepEqual(verified.progress, { done: 2, total: 2 });
    assert.match(verified.result.headDigest, /^[0-9a-f]{64}$/);
    const stale = await runJob({ kind: 'archive-verification', expectHead: '0'.repeat(64) });
    assert.equal(stale.result.intact, false, 'a head recorded earlier that is no longer the head is reported');
    const replayed = await runJob({ kind: 'archive-replay' });
    assert.equal(replayed.status, 'succeeded');
    assert.deepEqual([replayed.result.deterministic, replayed.result.replayed, replayed.result.diverged], [true, 2, []]);
    assert.deepEqual(replayed.progress, { done: 2, total: 2 });
  });

  it('runs one archive job at a time and no longer replays the archive inside a GET', async () => {
    const first = await sut.call(auditor, 'POST', '/audit/jobs', { kind: 'archive-replay' });
    assert.equal(first.status, 202);
    const second = await sut.call(auditor, 'POST', '/audit/jobs', { kind: 'archive-verification' });
    assert.equal(second.status, 409);
    assert.equal(second.body.details.runningJobId, first.body.id);
    assert.equal((await followAuditJob(sut.url, auditor, first.body.id)).status, 'succeeded');
    for (const gone of ['/audit/archive/replay', '/audit/archive/verification']) {
      assert.equal((await sut.call(auditor, 'GET', gone)).status, 404, gone);
    }
    const invalid = await sut.call(auditor, 'POST', '/audit/jobs', { kind: 'replay-everything' });
    assert.equal(invalid.status, 400);
    assert.equal((await sut.call(auditor, 'GET', '/audit/jobs/no-such-job')).status, 404);
    const customer = await sut.customer('initech');
    assert.equal((await sut.call(customer, 'POST', '/audit/jobs', { kind: 'archive-replay' })).status, 403);
  });

  it('answers 404 for an unknown request and 409 for a report of a request still open', async () => {
    const unknown = await sut.call(auditor, 'GET', '/audit/requests/00000000-0000-0000-0000-000000000000/histories');
    assert.equal(unknown.status, 404);
    const customer = await sut.customer('acme');
    const { requestId: open } = await sut.submit(customer);
    const report = await sut.call(auditor, 'GET', `/audit/requests/${open}/report`);
    assert.equal(report.status, 409);
    assert.match(report.body.message, /./);
  });
});
