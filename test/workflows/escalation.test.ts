import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import type { UpdateRequest } from '../../workflows/update-request.contract';
import { recipientsOf } from '../support/calendar';
import { UpdateHarness } from '../support/update-harness';
import { agreeSlot } from './request-driver';

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;

describe('managed update: delivery failures and escalations', () => {
  let h: UpdateHarness;
  before(async () => { h = await UpdateHarness.start(); });
  beforeEach(() => { h.mailbox.refusal = undefined; });
  after(async () => { await h?.stop(); });

  const outbox = (request: UpdateRequest): Promise<Array<{ kind: string; status: string; attempts: number; last_error: string | null }>> =>
    h.db.dataSource.query(`SELECT kind, status, attempts, last_error FROM outbox_messages WHERE request_id = $1 ORDER BY kind`, [request.requestId]);

  /** Polls the outbox (real time, seconds at most) until `check` accepts the request's rows. */
  async function outboxUntil(request: UpdateRequest, check: (rows: Awaited<ReturnType<typeof outbox>>) => boolean, what: string) {
    const deadline = Date.now() + 15_000;
    for (;;) {
      const rows = await outbox(request);
      if (check(rows)) return rows;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(rows)}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  const mailsWithId = (request: UpdateRequest, kind: string) =>
    h.mailbox.messages.filter((m) => m.messageId?.startsWith(`<${request.requestId}.${kind}.`));

  it('retries while the relay refuses and, once it is back, delivers each message exactly once', async () => {
    h.mailbox.refusal = 'service not available, try later';
    const request = await h.request();
    const handle = await h.submit(request);
    await h.untilStatus(handle, 'scheduling');
    await outboxUntil(request, (rows) => rows.length === 2 && rows.every((r) => r.status === 'pending' && r.attempts >= 1), 'refused attempts');
    await h.skip(MINUTE_MS);
    const refused = await outboxUntil(request, (rows) => rows.every((r) => r.attempts >= 2), 'retries with backoff');
    assert.ok(refused.every((r) => /service not available/.test(r.last_error ?? '')));
    assert.equal(mailsWithId(request, 'request-received').length, 0);

    h.mailbox.refusal = undefined;
    await h.skip(10 * MINUTE_MS);
    await outboxUntil(request, (rows) => rows.every((r) => r.status === 'sent'), 'delivery');
    await h.mailbox.waitForMatch((m) => m.messageId?.startsWith(`<${request.requestId}.new-request.`) ?? false);
    await h.mailbox.waitForMatch((m) => m.messageId?.startsWith(`<${request.requestId}.request-received.`) ?? false);
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(mailsWithId(request, 'new-request').length, 1);
    assert.equal(mailsWithId(request, 'request-received').length, 1);
    assert.ok((await h.state(handle)).timeline.every((e) => e.action !== 'message-undeliverable'));
    await handle.terminate('test done');
  });

  it('gives a message up after its retries, records it and escalates it to operations, never dropping it', async () => {
    h.mailbox.refusal = 'mailbox unavailable';
    const request = await h.request();
    const handle = await h.submit(request);
    await h.untilStatus(handle, 'scheduling');
    // About three hours of backoff pass in skipped time; every attempt is refused.
    await h.skip(4 * HOUR_MS);
    let state = await h.until(handle, (s) => s.timeline.filter((e) => e.action === 'message-undeliverable').length === 2, 'both messages given up');
    assert.deepEqual(state.timeline.filter((e) => e.action === 'message-undeliverable').map((e) => e.evidence.kind).sort(),
      ['new-request', 'request-received']);
    const rows = await outbox(request);
    assert.deepEqual(rows.filter((r) => r.kind !== 'delivery-failed').map((r) => [r.kind, r.status, r.attempts]),
      [['new-request', 'failed', 12], ['request-received', 'failed', 12]]);

    // The escalation itself keeps trying until the relay takes it.
    h.mailbox.refusal = undefined;
    await h.skip(10 * MINUTE_MS);
    const escalation = await h.mailbox.waitForMatch((m) => (m.messageId?.startsWith(`<${request.requestId}.delivery-failed.`) ?? false)
      && /request-received to customer/.test(m.text ?? ''));
    assert.deepEqual(recipientsOf(escalation), ['operations@provider.test']);
    assert.match(escalation.text ?? '', /Error: .*mailbox unavailable/);
    await outboxUntil(request, (all) => all.filter((r) => r.kind === 'delivery-failed').length === 2
      && all.filter((r) => r.kind === 'delivery-failed').every((r) => r.status === 'sent'), 'both escalations sent');
    state = await h.state(handle);
    assert.equal(state.status, 'scheduling', 'the request goes on');
    await handle.terminate('test done');
  });

  it('alerts operations when the pre-checks are still open as the slot starts', async () => {
    const request = await h.request();
    const handle = await h.submit(request);
    const { slot } = await agreeSlot(h, handle, request);

    await h.skipPast(slot!.start);

    const alert = await h.mailbox.waitForMatch((m) => m.messageId?.startsWith(`<${request.requestId}.step-overdue.pre-checks-`) ?? false);
    assert.deepEqual(recipientsOf(alert), ['operations@provider.test']);
    assert.match(alert.text ?? '', /The pre-checks step is overdue/);
    const state = await h.state(handle);
    assert.equal(state.status, 'pre-checks');
    assert.equal(state.timeline.filter((e) => e.action === 'overdue').length, 1);
    await handle.terminate('test done');
  });
});
