import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { Client } from '@temporalio/client';
import { Worker } from '@temporalio/worker';
import { AuditService } from '../../platform/audit/audit-service';
import { decodePayload } from '../../platform/audit/history-payloads';
import { historyFileName, readHistoryFiles } from '../../platform/audit/history-replayer';
import { HistoryNotFoundError } from '../../platform/audit/history-store';
import { ReportUnavailableError } from '../../platform/audit/audit-report';
import { parseHistoryJson } from '../../platform/audit/workflow-history';
import { DEVELOPMENT_PAYLOAD_KEYS } from '../../platform/config';
import { payloadDataConverter } from '../../platform/payload-codec';
import { projectRoot } from '../../platform/project-root';
import { WORKFLOW_BUNDLE_PATH } from '../../worker/workflow-bundle';
import { updateRequestWorkflowId, type UpdateRequest } from '../../workflows/update-request.contract';
import { LIFECYCLES } from '../histories/lifecycles';
import { UpdateHarness } from '../support/update-harness';

const run = promisify(execFile);
const cli = path.join(projectRoot(), 'dist', 'scripts', 'audit.js');
/** The command refuses to run without a payload key; the tests' histories are sealed with the development key. */
const cliEnv = { ...process.env, PAYLOAD_KEYS: DEVELOPMENT_PAYLOAD_KEYS };

describe('audit trail of a completed request: export, replay, archive, report', () => {
  let h: UpdateHarness;
  let sut: AuditService;
  let requestId: string;
  let dir: string;
  const deps = () => ({ client: h.env.client, dataSource: h.db.dataSource, payloadKeys: h.config.payloadKeys, workflowBundlePath: WORKFLOW_BUNDLE_PATH, replayConcurrency: h.config.auditReplayConcurrency, replayLaneIdleMs: h.config.auditReplayLaneIdleMs });

  before(async () => {
    h = await UpdateHarness.start();
    sut = new AuditService(deps());
    requestId = await LIFECYCLES['happy-path'](h);
    dir = await mkdtemp(path.join(tmpdir(), 'audit-'));
  });
  after(async () => {
    await sut?.close();
    await h?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('keeps licence keys and contacts out of the server: the raw history holds only ciphertext', async () => {
    const raw = await h.env.client.workflow.getHandle(updateRequestWorkflowId(requestId)).fetchHistory();
    const payloads = JSON.stringify(raw, (_key, value) => (value instanceof Uint8Array ? Buffer.from(value).toString('latin1') : value));
    for (const secret of ['LIC-4711', 'clara@customer.test', 'Clara Kunde']) assert.ok(!payloads.includes(secret), `${secret} in the raw history`);
    const input = raw.events![0].workflowExecutionStartedEventAttributes!.input!.payloads![0];
    const request = await decodePayload<UpdateRequest>(input, payloadDataConverter(h.config.payloadKeys));
    assert.deepEqual(request?.licenceReferences, ['LIC-4711'], 'the codec opens it again');
  });

  it('exports proto3-JSON histories that load back and replay against the current code', async () => {
    const exported = await sut.exportRequest(requestId);
    assert.equal(exported.length, 2, 'the request and its one host');
    assert.equal(exported[0].source, 'temporal');
    for (const history of exported) await writeFile(path.join(dir, historyFileName(history.workflowId)), history.json);
    const loaded = await readHistoryFiles(dir);
    assert.deepEqual(loaded.map((l) => l.workflowId).sort(), exported.map((e) => e.workflowId).sort());
    const original = await h.env.client.workflow.getHandle(exported[0].workflowId).fetchHistory();
    const back = parseHistoryJson(exported[0].json);
    assert.equal(back.events!.length, original.events!.length);
    assert.equal(typeof JSON.parse(exported[0].json).events[0].eventTime, 'string', 'timestamps in proto3-JSON form');
    const verdicts = await sut.replay(loaded);
    assert.deepEqual(verdicts.map((v) => [v.workflowId, v.deterministic, v.divergence]).sort(),
      exported.map((e) => [e.workflowId, true, undefined]).sort());
  });

  it('exports with payloads opened on request: still a history that replays, now without the key', async () => {
    const [sealed] = await sut.exportRequest(requestId);
    const [opened] = await sut.exportRequest(requestId, { decrypt: true });
    const startInput = (json: string) => JSON.parse(json).events[0].workflowExecutionStartedEventAttributes.input.payloads[0];
    assert.equal(Buffer.from(startInput(sealed.json).metadata.encoding, 'base64').toString(), 'binary/encrypted');
    const input = startInput(opened.json);
    assert.equal(Buffer.from(input.metadata.encoding, 'base64').toString(), 'json/plain');
    assert.deepEqual(JSON.parse(Buffer.from(input.data, 'base64').toString()).licenceReferences, ['LIC-4711']);
    await Worker.runReplayHistory({ workflowBundle: { codePath: WORKFLOW_BUNDLE_PATH } }, parseHistoryJson(opened.json), opened.workflowId);
  });

  it('fails the replay, naming the divergence, when the code no longer does what the history recorded', async () => {
    const folder = path.join(dir, 'changed');
    const [main] = await sut.exportRequest(requestId);
    // As if the workflow now called a different activity: the recorded command no longer matches.
    const history = JSON.parse(main.json);
    const scheduled = history.events.find((e: { activityTaskScheduledEventAttributes?: unknown }) => e.activityTaskScheduledEventAttributes)
      .activityTaskScheduledEventAttributes;
    const activity: string = scheduled.activityType.name;
    scheduled.activityType.name = `${activity}V2`;
    const changed = JSON.stringify(history, null, 2);
    await mkdir(folder, { recursive: true });
    await writeFile(path.join(folder, historyFileName(main.workflowId)), changed);
    const [verdict] = await sut.replay(await readHistoryFiles(folder));
    assert.equal(verdict.deterministic, false);
    assert.match(verdict.divergence!, new RegExp(activity));

    // The command-line tool gates a deploy: non-zero exit, the workflow named with its divergence.
    const failed = await run(process.execPath, [cli, 'replay', folder], { env: cliEnv }).then(() => undefined, (err) => err);
    assert.equal(failed?.code, 1);
    assert.match(failed.stdout, new RegExp(`DIVERGED  ${main.workflowId}`));
    assert.match(failed.stdout, new RegExp(activity));
    const passed = await run(process.execPath, [cli, 'replay', dir], { env: cliEnv });
    assert.match(passed.stdout, /2 replayed, 0 diverged/);
  });

  it('archives the closed request with its host, exports from the archive, and replays the archive', async () => {
    const fromTemporal = await sut.exportRequest(requestId);
    const open = await h.submit(await h.request());
    await h.untilStatus(open, 'scheduling');
    const sweep = await sut.archiveClosed();
    assert.deepEqual(sweep.archived, [fromTemporal[1].workflowId, fromTemporal[0].workflowId], 'host first, then the request');
    assert.equal(sweep.open, 0, 'an open request is no candidate: the sweep never asks Temporal about it');
    assert.deepEqual((await sut.replayUnarchived()).map((v) => [v.workflowId, v.deterministic]), [[open.workflowId, true]]);
    assert.deepEqual((await sut.archiveClosed()).archived, [], 'a second sweep finds nothing new');
    const fromArchive = await sut.exportRequest(requestId);
    assert.deepEqual(fromArchive.map((x) => x.source), ['archive', 'archive']);
    assert.deepEqual(fromArchive.map((x) => x.json), fromTemporal.map((x) => x.json), 'the archive keeps the exact export');
    assert.equal((await sut.verifyArchive()).intact, true);
    const verdicts = await sut.replayArchive();
    assert.equal(verdicts.length, 2);
    assert.ok(verdicts.every((v) => v.deterministic && v.origin === 'archive'));
    // As after Temporal's retention: a client that finds nothing still exports the archived request.
    const forgetful = new AuditService({ ...deps(), client: new Client({ connection: h.env.connection, namespace: 'retention-expired' }) });
    assert.deepEqual((await forgetful.exportRequest(requestId)).map((x) => x.json), fromTemporal.map((x) => x.json));
    await assert.rejects(forgetful.exportWorkflow(open.workflowId), HistoryNotFoundError);
    await assert.rejects(sut.report(open.workflowId.replace('update-request-', '')), ReportUnavailableError);
    const [unreadable] = await sut.replay([{ workflowId: 'uploaded', runId: '', source: 'file', json: '{"history": []}' }]);
    assert.deepEqual(unreadable, {
      workflowId: 'uploaded', runId: '', origin: 'file', deterministic: false, divergence: 'not replayed: not a Temporal history: it has no "events" list',
    });
  });

  it('reports every step with actor, role, evidence, time and Temporal events, agreeing with audit_events', async () => {
    const report = await sut.report(requestId);
    assert.deepEqual(report.differences, []);
    assert.deepEqual(report.histories.map((x) => [x.source, x.archive?.seq]), [['archive', 2], ['archive', 1]], 'read from the sealed archive');
    const rows: Array<{ event_key: string }> = await h.db.dataSource.query('SELECT event_key FROM audit_events WHERE request_id = $1', [requestId]);
    assert.equal(report.steps.length, rows.length);
    assert.ok(report.steps.length > 10);
    const unplaced = report.steps.filter((s) => s.temporal.workflowTaskEventId === null || s.temporal.eventIds.length === 0);
    assert.deepEqual(unplaced.map((s) => `${s.key} ${s.action}`), [], 'every step is tied to the events it came from');

    const signedOff = report.steps.find((s) => s.action === 'signed-off')!;
    assert.equal(signedOff.role, 'customer');
    const history = parseHistoryJson((await sut.exportWorkflow(updateRequestWorkflowId(requestId))).json);
    const event = history.events!.find((e) => Number(e.eventId) === signedOff.temporal.eventIds[0])!;
    assert.equal(event.workflowExecutionUpdateAcceptedEventAttributes?.acceptedRequest?.input?.name, 'signOff');
    const hostStep = report.steps.find((s) => s.action === 'technical-test-passed')!;
    assert.match(hostStep.temporal.workflowId, /\/host\//);
    assert.equal(hostStep.evidence.applicationStarts, true);

    const html = await sut.reportHtml(requestId);
    assert.match(html, new RegExp(`Audit report: update request ${requestId}`));
    assert.match(html, /signed-off/);
    assert.match(html, /agrees with the audit_events table/);
  });

  it('does the same from the command line against the configured Temporal and database', async () => {
    const env = { ...cliEnv, TEMPORAL_ADDRESS: h.env.address, DATABASE_URL: h.db.url, DATABASE_SCHEMA: h.db.schema };
    const out = path.join(dir, 'cli');
    const exported = await run(process.execPath, [cli, 'export', requestId, '--out', out], { env });
    assert.match(exported.stdout, /from archive/);
    assert.match((await run(process.execPath, [cli, 'replay', out], { env })).stdout, /2 replayed, 0 diverged/);
    const verified = await run(process.execPath, [cli, 'verify-archive'], { env });
    assert.match(verified.stdout, /archive intact: 2 histories, head digest [0-9a-f]{64}/);
    const html = path.join(dir, 'report.html');
    const report = JSON.parse((await run(process.execPath, [cli, 'report', requestId, '--html', html], { env })).stdout);
    assert.deepEqual(report.differences, []);
    assert.match(await readFile(html, 'utf8'), /<h1>Audit report: update request/);
  });

  it('reports where the audit table differs from the history', async () => {
    await h.db.dataSource.query(
      `INSERT INTO audit_events (event_key, request_id, step, action, actor, role, evidence, occurred_at)
       VALUES ($1, $2, 'sign-off', 'signed-off', 'mallory', 'customer', '{}', now())`,
      [`${updateRequestWorkflowId(requestId)}#999`, requestId]);
    const report = await sut.report(requestId);
    assert.deepEqual(report.differences.map((d) => [d.key, d.problem]), [[`${updateRequestWorkflowId(requestId)}#999`, 'not-in-history']]);
    assert.match(await sut.reportHtml(requestId), /differs from the history in 1 place/);
  });
});
