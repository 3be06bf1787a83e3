import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { Worker } from '@temporalio/worker';
import { payloadDataConverter } from '../../platform/payload-codec';
import { WORKFLOW_BUNDLE_PATH } from '../../worker/workflow-bundle';
import {
  acceptSlotUpdate,
  proposeSlotUpdate,
  recordPreCheckUpdate,
  signOffUpdate,
  PRE_CHECKS,
} from '../../workflows/update-request.contract';
import { completeHost } from './request-driver';
import { customerOf, historyFacts, operator, UpdateHarness } from '../support/update-harness';

describe('managed update: the whole procedure, happy path', () => {
  let h: UpdateHarness;
  beforeEach(async () => { h = await UpdateHarness.start(); });
  afterEach(async () => { await h?.stop(); });

  it('runs from intake over 14+ days to sign-off and deletes the snapshots 7 days later', async () => {
    const request = await h.request();
    const customer = customerOf(request.customerId);
    const handle = await h.submit(request);

    let state = await h.untilStatus(handle, 'scheduling');
    assert.equal(state.leadTime?.verdict, 'guaranteed');
    assert.deepEqual(state.pendingActions.map((a) => [a.update, a.roles]), [['proposeSlot', ['operator']], ['cancelRequest', ['customer', 'operator']]]);

    const slot = h.supportSlotAfter(new Date(Date.parse(request.submittedAt) + 15 * 86_400_000));
    await handle.executeUpdate(proposeSlotUpdate, { args: [{ actor: operator, ...slot, engineer: 'Erik Engineer' }] });
    state = await h.state(handle);
    assert.equal(state.slot?.status, 'proposed');
    assert.equal(state.slot?.withinSupportHours, true);
    assert.equal(state.slot?.surcharge, false);

    await handle.executeUpdate(acceptSlotUpdate, { args: [{ actor: customer }] });
    await h.untilStatus(handle, 'pre-checks');
    for (const check of PRE_CHECKS) {
      await handle.executeUpdate(recordPreCheckUpdate, { args: [{ actor: operator, check, passed: true, notes: `${check} ok` }] });
    }
    state = await h.untilStatus(handle, 'waiting-for-slot');

    // Fourteen-plus days pass in skipped time; then snapshots and the user check run by provider.
    await h.skipPast(state.slot!.start);
    state = await h.until(handle, (s) => s.hosts.length === 1, 'the first host to start');
    assert.equal(state.status, 'installation');
    assert.equal(state.snapshots.length, 1);
    assert.equal(state.snapshots[0].target, request.targets[0].name);
    assert.equal(state.userActivity?.activeUsers, 0);
    assert.deepEqual(state.pendingActions.map((a) => a.workflowId), [state.hosts[0].workflowId]);

    await completeHost(h, state.hosts[0].workflowId, request.targets[0].name);
    state = await h.untilStatus(handle, 'functional-testing');
    await handle.executeUpdate(signOffUpdate, { args: [{ actor: customer, notes: 'all functional tests green' }] });
    state = await h.untilStatus(handle, 'snapshot-retention');
    const signedOffAt = Date.parse(state.signOff!.signedOffAt!);
    assert.equal(Date.parse(state.retention!.deleteAfter) - signedOffAt, 7 * 86_400_000);

    const result = await handle.result(); // awaiting the result lets the server skip the 7 days
    assert.equal(result.outcome, 'signed-off');
    state = await h.state(handle);
    assert.equal(state.status, 'completed');
    assert.equal(state.snapshots[0].status, 'deleted');
    assert.ok(Date.parse(state.snapshots[0].deletedAt!) >= Date.parse(state.retention!.deleteAfter));
    assert.deepEqual(state.pendingActions, []);

    const actions = state.timeline.map((e) => e.action);
    for (const expected of ['request-submitted', 'guaranteed', 'slot-proposed', 'slot-accepted', 'slot-started', 'snapshot-taken',
      'no-active-users', 'install-passed', 'configure-passed', 'technical-test-passed', 'signed-off', 'snapshots-deleted', 'closed-signed-off']) {
      assert.ok(actions.includes(expected), `timeline lacks ${expected}`);
    }
    assert.equal(new Set(state.timeline.map((e) => e.key)).size, state.timeline.length, 'timeline keys are unique');

    // Exactly these messages, to these people: kind and occurrence come from each Message-ID
    // (`<request.kind.occurrence@…>`), the slot's start in it written as "slot".
    const software = `${request.software.name} ${request.software.targetVersion}`;
    const customerMail = request.contacts[0].email;
    const expected = new Map([
      [`request-received intake → ${customerMail}`, `Update request received: ${software}`],
      ['new-request intake → operations@provider.test', `New update request: ${software}`],
      [`slot-proposed slot → ${customerMail}`, `Update slot proposed, please accept: ${software}`],
      [`update-announced slot → ${customerMail}`, `Update scheduled: ${software}`],
      [`update-reminder slot-2880m → ${customerMail}`, `Reminder: update coming up: ${software}`],
      [`update-reminder slot-1440m → ${customerMail}`, `Reminder: update coming up: ${software}`],
      ['slot-preparation slot → operations@provider.test', `Prepare: update in 24 hours: ${software}`],
      [`update-done 1 → ${customerMail}`, `Update installed, please test and sign off: ${software}`],
      [`update-completed completion → ${customerMail}`, `Update completed: ${software}`],
      [`snapshots-deleted deletion → ${customerMail}`, `Snapshots deleted: ${software}`],
    ]);
    const slotPart = state.slot!.start.replace(/[:.]/g, (c) => `=${c.charCodeAt(0).toString(16).toUpperCase()}`);
    const sent = new Map((await h.mailbox.waitFor(expected.size)).map((m) => {
      const [, kind, occurrence] = /^<[^.]+\.([^.]+)\.(.+)@managed-updates>$/.exec(m.messageId ?? '') ?? [];
      const to = [m.to ?? []].flat().flatMap((a) => a.value.map((v) => v.address)).join(', ');
      return [`${kind} ${occurrence?.replace(slotPart, 'slot')} → ${to}`, m.subject ?? ''];
    }));
    assert.deepEqual([...sent].sort(), [...expected].sort());
    const outbox: Array<{ kind: string; status: string }> = await h.db.dataSource.query(
      `SELECT kind, status FROM outbox_messages WHERE request_id = $1`, [request.requestId]);
    assert.deepEqual(outbox.map((m) => `${m.kind} ${m.status}`).sort(), [...expected.keys()].map((line) => `${line.split(' ')[0]} sent`).sort(),
      'the outbox holds these messages and no other, all sent');

    const { events } = await historyFacts(handle);
    assert.ok(events < 1000, `history has ${events} events`);

    // The completed history replays against the current workflow code without divergence.
    await Worker.runReplayHistory({ workflowBundle: { codePath: WORKFLOW_BUNDLE_PATH }, dataConverter: payloadDataConverter(h.config.payloadKeys) },
      await handle.fetchHistory(), handle.workflowId);
  });
});
