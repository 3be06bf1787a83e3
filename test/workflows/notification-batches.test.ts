import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import type { WorkflowHandle } from '@temporalio/client';
import type { UpdateRequest, UpdateRequestState } from '../../workflows/update-request.contract';
import { recipientsOf } from '../support/calendar';
import { UpdateHarness } from '../support/update-harness';

const HOUR_MS = 3_600_000;

describe('managed update: the messages of one moment go out as one activity', () => {
  let h: UpdateHarness;
  beforeEach(async () => { h = await UpdateHarness.start(); });
  afterEach(async () => { await h?.stop(); });

  /** The activities the workflow scheduled, by type, in order. */
  async function scheduled(handle: WorkflowHandle): Promise<string[]> {
    return ((await handle.fetchHistory()).events ?? [])
      .map((e) => e.activityTaskScheduledEventAttributes?.activityType?.name)
      .filter((name): name is string => !!name);
  }

  const outbox = (request: UpdateRequest): Promise<Array<{ kind: string; status: string; attempts: number; last_error: string | null }>> =>
    h.db.dataSource.query(`SELECT kind, status, attempts, last_error FROM outbox_messages WHERE request_id = $1 ORDER BY kind`, [request.requestId]);

  const mailsOf = (request: UpdateRequest, kind: string) =>
    h.mailbox.messages.filter((m) => m.messageId?.startsWith(`<${request.requestId}.${kind}.`));

  const arrived = (request: UpdateRequest, kind: string) =>
    h.mailbox.waitForMatch((m) => m.messageId?.startsWith(`<${request.requestId}.${kind}.`) ?? false);

  const undeliverable = (state: UpdateRequestState) => state.timeline.filter((e) => e.action === 'message-undeliverable');

  it('sends the three messages of a short-notice intake as one activity', async () => {
    const request = await h.request({}, 3);
    const handle = await h.submit(request);
    await h.untilStatus(handle, 'lead-time-review');
    for (const kind of ['new-request', 'request-received', 'short-notice-review']) await arrived(request, kind);

    const mailActivities = (await scheduled(handle)).filter((type) => type === 'deliverNotifications' || type === 'notify');
    assert.deepEqual(mailActivities, ['deliverNotifications']);
    assert.deepEqual((await outbox(request)).map((r) => `${r.kind} ${r.status} ${r.attempts}`),
      ['new-request sent 1', 'request-received sent 1', 'short-notice-review sent 1']);
    await handle.terminate('test done');
  });

  it('records and escalates a message refused for good while the others of its batch arrive', async () => {
    // No contacts: the customer's message has nobody to go to, which no retry can change.
    const request = await h.request({ contacts: [] }, 3);
    const handle = await h.submit(request);
    await h.untilStatus(handle, 'lead-time-review');
    const state = await h.until(handle, (s) => undeliverable(s).length > 0, 'the refused message recorded');
    assert.deepEqual(undeliverable(state).map((e) => e.evidence.kind), ['request-received']);
    assert.match(String(undeliverable(state)[0].evidence.reason), /no contacts/);

    await arrived(request, 'new-request');
    await arrived(request, 'short-notice-review');
    const escalation = await arrived(request, 'delivery-failed');
    assert.match(escalation.text ?? '', /request-received to customer/);
    await new Promise((r) => setTimeout(r, 300));
    assert.deepEqual(['new-request', 'short-notice-review', 'delivery-failed'].map((kind) => mailsOf(request, kind).length), [1, 1, 1]);
    assert.deepEqual((await outbox(request)).map((r) => `${r.kind} ${r.status}`),
      ['delivery-failed sent', 'new-request sent', 'request-received failed', 'short-notice-review sent']);
    assert.deepEqual((await scheduled(handle)).filter((type) => type !== 'loadPolicy'), ['deliverNotifications', 'escalateUndeliverable']);
    await handle.terminate('test done');
  });

  it('once the retries are spent, escalates only the messages of the batch that were not sent', async () => {
    h.mailbox.refusedRecipient = 'clara@customer.test';
    const request = await h.request();
    const handle = await h.submit(request);
    await h.untilStatus(handle, 'scheduling');
    await arrived(request, 'new-request');
    // About three hours of backoff pass in skipped time; the customer's relay refuses every attempt.
    await h.skip(4 * HOUR_MS);
    const state = await h.until(handle, (s) => undeliverable(s).length > 0, 'the message given up');
    assert.deepEqual(undeliverable(state).map((e) => e.evidence.kind), ['request-received']);
    assert.match(String(undeliverable(state)[0].evidence.reason), /mailbox clara@customer.test unavailable/);

    const escalation = await arrived(request, 'delivery-failed');
    assert.deepEqual(recipientsOf(escalation), ['operations@provider.test']);
    assert.match(escalation.text ?? '', /request-received to customer/);
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(mailsOf(request, 'new-request').length, 1, 'the message sent on the first attempt is not sent again');
    assert.equal(mailsOf(request, 'delivery-failed').length, 1, 'the message sent is not escalated');
    assert.deepEqual((await outbox(request)).map((r) => [r.kind, r.status, r.attempts]),
      [['delivery-failed', 'sent', 1], ['new-request', 'sent', 1], ['request-received', 'failed', 12]]);
    assert.deepEqual((await scheduled(handle)).filter((type) => type !== 'loadPolicy'),
      ['deliverNotifications', 'unsentNotifications', 'escalateUndeliverable']);
    await handle.terminate('test done');
  });
});
