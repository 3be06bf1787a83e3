import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { HOST_STEPS, PRE_CHECKS, type HostStep } from '../../workflows/update-request.contract';
import { historyFacts } from '../support/update-harness';
import { ApiHarness, type Caller } from './api-harness';

const DAY_MS = 86_400_000;

describe("API: one customer's whole journey, driven only over HTTP", () => {
  let sut: ApiHarness;
  let customer: Caller & { customerId: string };
  let operator: Caller;
  let auditor: Caller;

  beforeEach(async () => {
    // Snapshots and the user check by hand, so the operator's attestations go through the API too.
    sut = await ApiHarness.start({ snapshotProvider: 'manual', sessionProvider: 'manual' });
    customer = await sut.customer('acme');
    operator = await sut.staff('operator', 'olga.operator');
    auditor = await sut.staff('auditor', 'ada.auditor');
  });
  afterEach(async () => { await sut?.stop(); });

  const act = async (caller: Caller, path: string, body: unknown) => {
    const res = await sut.call(caller, 'POST', path, body);
    assert.equal(res.status, 200, `${caller.name} POST ${path}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  };

  const GOOD_CHECKLIST = { applicationStarts: true, servicesRunning: true, eventLogClean: true };

  /** Records one host step on `host`; the technical test carries its checklist (one item failing when it failed). */
  const hostStep = (base: string, host: string, step: HostStep, passed = true) => act(operator, `${base}/hosts/${host}/steps`, {
    step, passed, notes: `${step} ${passed ? 'done' : 'failed'}`,
    ...(step === 'technical-test' ? { checklist: passed ? GOOD_CHECKLIST : { ...GOOD_CHECKLIST, eventLogClean: false } } : {}),
  });

  const untilHostRuns = (id: string, host: string) => sut.until(operator, id,
    (d) => d.status === 'installation' && d.live?.pendingActions.some((a: { target?: string }) => a.target === host), `installation on ${host}`);

  /**
   * Steps 2–6 over HTTP: a support-hours slot proposed and accepted, pre-checks passed, then at the
   * slot's start the snapshot id and the user check attested. Returns the request's path and host.
   */
  async function prepareUntilInstallation(id: string): Promise<{ base: string; host: string }> {
    const base = `/requests/${id}`;
    let detail = await sut.untilStatus(operator, id, 'scheduling');
    assert.deepEqual(detail.live.pendingActions.map((a: { update: string }) => a.update), ['proposeSlot', 'cancelRequest']);
    assert.deepEqual(detail.waitingFor, ['operator']);
    const slot = sut.h.supportSlotAfter(await slotBase(detail.submittedAt));
    await act(operator, `${base}/slot-proposals`, { ...slot, engineer: 'Erik Engineer' });
    detail = await sut.until(customer, id, (d) => d.waitingFor.includes('customer'), 'the proposal');
    assert.equal(detail.scheduledStart, slot.start);
    await act(customer, `${base}/slot-acceptance`, {});

    await sut.untilStatus(operator, id, 'pre-checks');
    for (const check of PRE_CHECKS) await act(operator, `${base}/pre-checks`, { check, passed: true, notes: `${check} ok` });
    await sut.untilStatus(operator, id, 'waiting-for-slot');

    await sut.h.skipPast(slot.start);
    detail = await sut.untilStatus(operator, id, 'snapshots');
    const host: string = detail.request.targets[0].name;
    await act(operator, `${base}/snapshots`, { snapshots: [{ target: host, snapshotId: `snap-${id}` }] });
    await sut.untilStatus(operator, id, 'user-activity');
    await act(operator, `${base}/user-activity-reports`, { activeUsers: 0, notes: 'no sessions on the server' });
    await untilHostRuns(id, host);
    return { base, host };
  }

  /**
   * Fifteen days after submission: past the lead time. Later in a file the test server's clock is
   * ahead of the API's (which stamps submissions), after the time skipped by earlier tests.
   */
  const slotBase = async (submittedAt: string) =>
    new Date(Math.max(Date.parse(submittedAt), (await sut.h.now()).getTime()) + 15 * DAY_MS);

  const actionsOf = (detail: { timeline: Array<{ action: string }> }) => detail.timeline.map((e) => e.action);

  it('submits, schedules, pre-checks, snapshots, installs, signs off, extends retention and closes', async () => {
    const submitted = await sut.call(customer, 'POST', '/requests', await sut.submission());
    assert.equal(submitted.status, 201);
    const id: string = submitted.body.requestId;
    assert.equal(submitted.headers.get('location'), `/requests/${id}`);
    assert.equal(submitted.body.customerId, 'acme');

    // Steps 2–6, then step 7: each host step on the target's own workflow.
    const { base, host } = await prepareUntilInstallation(id);
    for (const step of HOST_STEPS) assert.equal((await hostStep(base, host, step)).target, host);

    // Steps 8–9: the customer tests and signs off.
    await sut.untilStatus(customer, id, 'functional-testing');
    await act(customer, `${base}/sign-off`, { notes: 'all functional tests green' });

    // Step 10: retention, extended once by the operator, then the snapshots are deleted by hand.
    let detail = await sut.untilStatus(operator, id, 'snapshot-retention');
    // Before retention begins, what the host runs now is the signed-off version, so the next request is checked against it.
    const onHost = await sut.call(operator, 'GET', '/installed-software?customerId=acme');
    assert.deepEqual(onHost.body.filter((e: { system: string }) => e.system === host).map((e: { version: string; updatedBy: string }) => [e.version, e.updatedBy]),
      [['2025.2', `request ${id}`]]);
    await act(operator, `${base}/retention-extension`, { days: 2, reason: 'customer audit next week' });
    detail = await sut.until(operator, id, (d) => d.live?.steps.retention?.extension?.days === 2, 'the extension');
    await sut.h.skipPast(detail.live.steps.retention.deleteAfter);
    await sut.untilStatus(operator, id, 'snapshot-deletion');
    await act(operator, `${base}/snapshots/deleted`, { snapshotIds: [`snap-${id}`], notes: 'deleted in the hypervisor console' });

    detail = await sut.untilStatus(auditor, id, 'completed');
    assert.equal(detail.outcome, 'signed-off');
    assert.deepEqual(detail.waitingFor, []);
    const actions = actionsOf(detail);
    for (const expected of ['request-submitted', 'slot-proposed', 'slot-accepted', 'snapshots-recorded', 'no-active-users',
      'install-passed', 'configure-passed', 'technical-test-passed', 'signed-off', 'retention-extended', 'snapshots-deleted', 'closed-signed-off']) {
      assert.ok(actions.includes(expected), `timeline lacks ${expected}: ${actions.join(', ')}`);
    }
    const signedOff = detail.timeline.find((e: { action: string }) => e.action === 'signed-off');
    assert.deepEqual([signedOff.actor, signedOff.role], ['acme.it-lead', 'customer']);
    const installed = detail.timeline.find((e: { action: string }) => e.action === 'install-passed');
    assert.deepEqual([installed.actor, installed.role, installed.evidence.target], ['olga.operator', 'operator', host]);

    // The customer's own list shows it closed; every action above reached the workflow as an Update.
    const list = await sut.call(customer, 'GET', '/requests');
    assert.deepEqual(list.body.items.map((r: { requestId: string; status: string }) => [r.requestId, r.status]), [[id, 'completed']]);
    const { acceptedUpdates } = await historyFacts(sut.h.env.client.workflow.getHandle(`update-request-${id}`));
    assert.deepEqual(acceptedUpdates, ['proposeSlot', 'acceptSlot', 'recordPreCheck', 'recordPreCheck', 'recordPreCheck', 'recordSnapshots',
      'reportUserActivity', 'signOff', 'extendRetention', 'confirmSnapshotsDeleted']);

    // Prometheus saw the workflow start and timed each route by its pattern.
    const metrics = await sut.call(undefined, 'GET', '/metrics');
    assert.equal(metrics.status, 200);
    assert.match(metrics.body, /^update_workflows_started_total 1$/m);
    assert.match(metrics.body, /^http_request_duration_seconds_count\{[^}]*route="\/requests\/:requestId\/sign-off"[^}]*status="200"[^}]*\} 1$/m);
    assert.match(metrics.body, /^http_requests_total\{method="POST",route="\/requests\/:requestId\/pre-checks",status="200"\} 3$/m);
  });

  it('rolls back a failed technical test on the operator\'s decision, the snapshots restored by hand', async () => {
    const { requestId: id } = await sut.submit(customer);
    const { base, host } = await prepareUntilInstallation(id);
    await hostStep(base, host, 'install');
    await hostStep(base, host, 'configure');

    const failed = await hostStep(base, host, 'technical-test', false);
    assert.deepEqual([failed.target, failed.currentStep], [host, 'technical-test']);
    await act(operator, `${base}/hosts/${host}/failure-decision`, { decision: 'rollback', reason: 'event log shows driver errors' });
    await sut.untilStatus(operator, id, 'rollback');
    await act(operator, `${base}/snapshots/restored`, { snapshotIds: [`snap-${id}`], notes: 'restored in the hypervisor console' });

    const detail = await sut.untilStatus(customer, id, 'snapshot-retention');
    const actions = actionsOf(detail);
    for (const expected of ['technical-test-failed', 'failure-rollback', 'snapshots-restored']) assert.ok(actions.includes(expected), expected);
  });

  it('fixes a target after the customer reports a functional failure, then signs off', async () => {
    const { requestId: id } = await sut.submit(customer);
    const { base, host } = await prepareUntilInstallation(id);
    for (const step of HOST_STEPS) await hostStep(base, host, step);
    await sut.untilStatus(customer, id, 'functional-testing');

    await act(customer, `${base}/rejection`, { description: 'invoices print without the logo' });
    await sut.until(operator, id, (d) => d.waitingFor.includes('operator'), 'the rejection to reach operations');
    await act(operator, `${base}/rejection-resolution`, { decision: 'fix', targets: [host], reason: 'reinstall the print module' });
    await untilHostRuns(id, host);
    for (const step of HOST_STEPS) await hostStep(base, host, step);
    await sut.untilStatus(customer, id, 'functional-testing');
    await act(customer, `${base}/sign-off`, {});

    const detail = await sut.untilStatus(customer, id, 'snapshot-retention');
    const actions = actionsOf(detail);
    for (const expected of ['functional-test-failed', 'fix-decided', 'signed-off']) assert.ok(actions.includes(expected), expected);
    assert.equal(actions.filter((a) => a === 'install-passed').length, 2);
  });

  it('accepts an off-hours slot only with written confirmation; the customer then moves it and cancels', async () => {
    const { requestId: id } = await sut.submit(customer);
    const base = `/requests/${id}`;
    const detail = await sut.untilStatus(operator, id, 'scheduling');
    const evening = sut.h.eveningSlotAfter(await slotBase(detail.submittedAt));
    await act(operator, `${base}/slot-proposals`, { ...evening, engineer: 'Erik Engineer' });
    await sut.until(customer, id, (d) => d.waitingFor.includes('customer'), 'the proposal');

    const unconfirmed = await sut.call(customer, 'POST', `${base}/slot-acceptance`, {});
    assert.deepEqual([unconfirmed.status, unconfirmed.body.message],
      [409, 'the slot is outside support hours: written confirmation is required (surcharged)']);
    await act(customer, `${base}/slot-acceptance`, { writtenConfirmation: {
      name: 'Clara Kunde', statement: 'We accept the evening slot and its surcharge.', confirmedAt: new Date().toISOString() } });
    await sut.untilStatus(customer, id, 'pre-checks');
    await act(customer, `${base}/slot-change-requests`, { reason: 'our accountants work late that day' });
    await sut.untilStatus(customer, id, 'scheduling');
    await act(customer, `${base}/cancellation`, { reason: 'postponed to next year' });

    const closed = await sut.untilStatus(customer, id, 'cancelled');
    assert.equal(closed.outcome, 'cancelled');
    const accepted = closed.timeline.find((e: { action: string }) => e.action === 'slot-accepted');
    assert.deepEqual([accepted.evidence.surcharge, accepted.evidence.confirmedBy], [true, 'Clara Kunde']);
    assert.ok(actionsOf(closed).includes('another-slot-requested'));
  });
});
