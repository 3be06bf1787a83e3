import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import {
  acceptSlotUpdate,
  proposeSlotUpdate,
  requestAnotherSlotUpdate,
} from '../../workflows/update-request.contract';
import { customerOf, historyFacts, operator, UpdateHarness } from '../support/update-harness';
import { agreeSlot, passPreChecks } from './request-driver';

const DAY_MS = 86_400_000;

describe('managed update: scheduling', () => {
  let h: UpdateHarness;
  beforeEach(async () => { h = await UpdateHarness.start(); });
  afterEach(async () => { await h?.stop(); });

  it('needs written confirmation for an off-hours slot and flags it as surcharged', async () => {
    const request = await h.request();
    const customer = customerOf(request.customerId);
    const handle = await h.submit(request);
    await h.untilStatus(handle, 'scheduling');
    const evening = h.eveningSlotAfter(new Date(Date.parse(request.submittedAt) + 15 * DAY_MS));
    await handle.executeUpdate(proposeSlotUpdate, { args: [{ actor: operator, ...evening, engineer: 'Erik' }] });
    let state = await h.state(handle);
    assert.equal(state.slot?.withinSupportHours, false);
    assert.equal(state.slot?.surcharge, true);

    const reason = await h.refusal(handle, acceptSlotUpdate, { actor: customer });
    assert.match(reason, /outside support hours: written confirmation is required/);
    const confirmation = { name: 'Clara Kunde', statement: 'We order the evening update and accept the surcharge.', confirmedAt: new Date().toISOString() };
    await handle.executeUpdate(acceptSlotUpdate, { args: [{ actor: customer, writtenConfirmation: confirmation }] });
    state = await h.untilStatus(handle, 'pre-checks');
    assert.deepEqual(state.slot?.writtenConfirmation, confirmation);
    assert.ok(state.timeline.some((e) => e.action === 'slot-accepted' && e.evidence.confirmedBy === 'Clara Kunde'));
    assert.deepEqual((await historyFacts(handle)).acceptedUpdates, ['proposeSlot', 'acceptSlot']);
    await handle.terminate('test done');
  });

  it('refuses slots that break the lead time, end before they start, or overlap another update on a target', async () => {
    const request = await h.request();
    const handle = await h.submit(request);
    await h.untilStatus(handle, 'scheduling');
    const early = h.supportSlotAfter(new Date(Date.parse(request.submittedAt) + 10 * DAY_MS));
    assert.match(await h.refusal(handle, proposeSlotUpdate, { actor: operator, ...early, engineer: 'Erik' }), /violates the 14-day lead time/);
    const good = h.supportSlotAfter(new Date(Date.parse(request.submittedAt) + 15 * DAY_MS));
    assert.match(await h.refusal(handle, proposeSlotUpdate, { actor: operator, start: good.start, durationMinutes: -30, engineer: 'Erik' }),
      /must end after it starts/);
    assert.deepEqual((await historyFacts(handle)).acceptedUpdates, [], 'validator refusals never reach history');
    await handle.executeUpdate(proposeSlotUpdate, { args: [{ actor: operator, ...good, engineer: 'Erik' }] });

    // A second request for the same VM cannot take an overlapping slot, but may take the next one.
    const rival = await h.request({ targets: request.targets });
    const rivalHandle = await h.submit(rival);
    await h.untilStatus(rivalHandle, 'scheduling');
    const overlapping = { start: new Date(Date.parse(good.start) + 60 * 60_000).toISOString(), durationMinutes: 60 };
    assert.match(await h.refusal(rivalHandle, proposeSlotUpdate, { actor: operator, ...overlapping, engineer: 'Erik' }),
      new RegExp(`overlaps another update on the same target: ${request.targets[0].name} is reserved by request ${request.requestId}`));
    assert.equal((await h.state(rivalHandle)).slot, undefined);
    const after = { start: new Date(Date.parse(good.start) + good.durationMinutes * 60_000).toISOString(), durationMinutes: 60 };
    await rivalHandle.executeUpdate(proposeSlotUpdate, { args: [{ actor: operator, ...after, engineer: 'Erik' }] });
    assert.equal((await h.state(rivalHandle)).slot?.start, after.start);
    await Promise.all([handle.terminate('test done'), rivalHandle.terminate('test done')]);
  });

  it('lets the customer move an accepted slot until 24 h before its start, then no more', async () => {
    const request = await h.request();
    const customer = customerOf(request.customerId);
    const handle = await h.submit(request);
    await agreeSlot(h, handle, request);
    await handle.executeUpdate(requestAnotherSlotUpdate, { args: [{ actor: customer, reason: 'month-end closing that week' }] });
    let state = await h.untilStatus(handle, 'scheduling');
    assert.equal(state.slot, undefined);
    assert.deepEqual(state.pendingActions.map((a) => a.update), ['proposeSlot', 'cancelRequest']);

    const later = h.supportSlotAfter(new Date(Date.parse(request.submittedAt) + 20 * DAY_MS));
    await handle.executeUpdate(proposeSlotUpdate, { args: [{ actor: operator, ...later, engineer: 'Erik' }] });
    await handle.executeUpdate(acceptSlotUpdate, { args: [{ actor: customer }] });
    await h.untilStatus(handle, 'pre-checks');
    state = await passPreChecks(h, handle);
    await h.skip(Date.parse(later.start) - (await h.env.currentTimeMs()) - 12 * 3_600_000);
    assert.match(await h.refusal(handle, requestAnotherSlotUpdate, { actor: customer, reason: 'too late now' }),
      /can no longer be moved: less than 24 h before its start/);
    assert.match(await h.refusal(handle, proposeSlotUpdate, { actor: operator, ...h.supportSlotAfter(new Date(Date.parse(later.start) + 7 * DAY_MS)), engineer: 'Erik' }),
      /can no longer be moved/);
    assert.equal((await h.state(handle)).status, 'waiting-for-slot');
    await handle.terminate('test done');
  });
});
