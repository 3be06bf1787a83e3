import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import { AuditService } from '../../platform/audit/audit-service';
import { WORKFLOW_BUNDLE_PATH } from '../../worker/workflow-bundle';
import { LIFECYCLES } from '../histories/lifecycles';
import { ApiHarness, type Caller } from './api-harness';

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
  });

  it('verifies and replays the archive once the closed request is archived', async () => {
    const empty = await sut.call(auditor, 'GET', '/audit/archive/verification');
    assert.deepEqual([empty.status, empty.body.intact, empty.body.checked], [200, true, 0]);
    await new AuditService({ client: sut.h.env.client, dataSource: sut.h.db.dataSource, payloadKeys: sut.h.config.payloadKeys, workflowBundlePath: WORKFLOW_BUNDLE_PATH })
      .archiveClosed();
    const verified = await sut.call(auditor, 'GET', '/audit/archive/verification');
    assert.equal(verified.body.intact, true);
    assert.equal(verified.body.checked, 2);
    assert.match(verified.body.headDigest, /^[0-9a-f]{64}$/);
    const stale = await sut.call(auditor, 'GET', '/audit/archive/verification?expectHead=' + '0'.repeat(64));
    assert.equal(stale.body.intact, false, 'a head recorded earlier that is no longer the head is reported');
    const replayed = await sut.call(auditor, 'GET', '/audit/archive/replay');
    assert.deepEqual([replayed.status, replayed.body.deterministic, replayed.body.verdicts.length], [200, true, 2]);
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
