import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { HOST_STEPS, PRE_CHECKS } from '../../workflows/update-request.contract';
import { historyFacts } from '../support/update-harness';
import { ApiHarness, type Caller } from './api-harness';

const DAY_MS = 86_400_000;

describe("API: one customer's whole journey, driven only over HTTP", () => {
  let sut: ApiHarness;
  let customer: Caller & { customerId: string };
  let operator: Caller;
  let auditor: Caller;

  before(async () => {
    // Snapshots and the user check by hand, so the operator's attestations go through the API too.
    sut = await ApiHarness.start({ snapshotProvider: 'manual', sessionProvider: 'manual' });
    customer = await sut.customer('acme');
    operator = await sut.staff('operator', 'olga.operator');
    auditor = await sut.staff('auditor', 'ada.auditor');
  });
  after(async () => { await sut?.stop(); });

  const act = async (caller: Caller, path: string, body: unknown) => {
    const res = await sut.call(caller, 'POST', path, body);
    assert.equal(res.status, 200, `${caller.name} POST ${path}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  };

  it('submits, schedules, pre-checks, snapshots, installs, signs off, extends retention and closes', async () => {
    const submitted = await sut.call(customer, 'POST', '/requests', await sut.submission());
    assert.equal(submitted.status, 201);
    const id: string = submitted.body.requestId;
    assert.equal(submitted.headers.get('location'), `/requests/${id}`);
    assert.equal(submitted.body.customerId, 'acme');
    const base = `/requests/${id}`;

    // Step 2: the operator proposes a support-hours slot, the customer accepts it.
    let detail = await sut.untilStatus(operator, id, 'scheduling');
    assert.deepEqual(detail.live.pendingActions.map((a: { update: string }) => a.update), ['proposeSlot']);
    assert.deepEqual(detail.waitingFor, ['operator']);
    const slot = sut.h.supportSlotAfter(new Date(Date.parse(detail.submittedAt) + 15 * DAY_MS));
    await act(operator, `${base}/slot-proposals`, { ...slot, engineer: 'Erik Engineer' });
    detail = await sut.until(customer, id, (d) => d.waitingFor.includes('customer'), 'the proposal');
    assert.equal(detail.scheduledStart, slot.start);
    await act(customer, `${base}/slot-acceptance`, {});

    // Step 3: pre-checks.
    await sut.untilStatus(operator, id, 'pre-checks');
    for (const check of PRE_CHECKS) await act(operator, `${base}/pre-checks`, { check, passed: true, notes: `${check} ok` });
    await sut.untilStatus(operator, id, 'waiting-for-slot');

    // Steps 5–6 when the slot starts: snapshot ids and the user check, attested by the operator.
    await sut.h.skipPast(slot.start);
    await sut.untilStatus(operator, id, 'snapshots');
    const { body: { request } } = await sut.call(operator, 'GET', base);
    const host = request.targets[0].name;
    await act(operator, `${base}/snapshots`, { snapshots: [{ target: host, snapshotId: 'snap-001' }] });
    await sut.untilStatus(operator, id, 'user-activity');
    await act(operator, `${base}/user-activity-reports`, { activeUsers: 0, notes: 'no sessions on the server' });

    // Step 7: each host step on the target's own workflow.
    await sut.until(operator, id, (d) => d.status === 'installation' && d.live?.pendingActions.some((a: { target?: string }) => a.target === host), 'installation');
    for (const step of HOST_STEPS) {
      const checklist = step === 'technical-test' ? { applicationStarts: true, servicesRunning: true, eventLogClean: true } : undefined;
      const receipt = await act(operator, `${base}/hosts/${host}/steps`, { step, passed: true, notes: `${step} done`, ...(checklist ? { checklist } : {}) });
      assert.equal(receipt.target, host);
    }

    // Steps 8–9: the customer tests and signs off.
    await sut.untilStatus(customer, id, 'functional-testing');
    await act(customer, `${base}/sign-off`, { notes: 'all functional tests green' });

    // Step 10: retention, extended once by the operator, then the snapshots are deleted by hand.
    detail = await sut.untilStatus(operator, id, 'snapshot-retention');
    await act(operator, `${base}/retention-extension`, { days: 2, reason: 'customer audit next week' });
    detail = await sut.until(operator, id, (d) => d.live?.steps.retention?.extension?.days === 2, 'the extension');
    await sut.h.skipPast(detail.live.steps.retention.deleteAfter);
    await sut.untilStatus(operator, id, 'snapshot-deletion');
    await act(operator, `${base}/snapshots/deleted`, { snapshotIds: ['snap-001'], notes: 'deleted in the hypervisor console' });

    detail = await sut.untilStatus(auditor, id, 'completed');
    assert.equal(detail.outcome, 'signed-off');
    assert.deepEqual(detail.waitingFor, []);
    const actions = detail.timeline.map((e: { action: string }) => e.action);
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
});
