import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { ParsedMail } from 'mailparser';
import {
  acceptSlotUpdate,
  cancelRequestUpdate,
  decideShortNoticeUpdate,
  proposeSlotUpdate,
  recordPreCheckUpdate,
  type UpdateRequest,
} from '../../workflows/update-request.contract';
import { recipientsOf } from '../support/calendar';
import { customerOf, operator, UpdateHarness } from '../support/update-harness';
import { agreeSlot, passPreChecks } from './request-driver';

const MINUTE_MS = 60_000;
const DAY_MS = 24 * 60 * MINUTE_MS;

describe("managed update: operations' notice 24 hours before the slot", () => {
  let h: UpdateHarness;
  before(async () => { h = await UpdateHarness.start(); });
  after(async () => { await h?.stop(); });

  /** The request's preparation notices received so far. */
  const notices = (request: UpdateRequest): ParsedMail[] =>
    h.mailbox.messages.filter((m) => m.messageId?.startsWith(`<${request.requestId}.slot-preparation.`));

  const noticeEntries = async (handle: Awaited<ReturnType<UpdateHarness['submit']>>) =>
    (await h.state(handle)).timeline.filter((e) => e.action === 'preparation-notice-sent');

  it('arrives once, 24 hours before the slot, listing what to prepare; none for a request cancelled after it', async () => {
    const client = `client-${randomUUID().slice(0, 6)}`;
    const request = await h.request({
      targets: [{ name: `app-${randomUUID().slice(0, 6)}`, kind: 'application-server' }, { name: client, kind: 'client-host' }],
      clientUpdateIncluded: true, licenceReferences: ['LIC-4711', 'LIC-4712'], classification: 'minor-release',
    });
    const handle = await h.submit(request);
    const { slot } = await agreeSlot(h, handle, request);
    const start = Date.parse(slot!.start);
    await handle.executeUpdate(recordPreCheckUpdate, { args: [{ actor: operator, check: 'system-requirements', passed: true, notes: 'ok' }] });

    await h.skipPast(new Date(start - DAY_MS - 5 * MINUTE_MS).toISOString());
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(notices(request).length, 0, 'not before 24 hours ahead');

    await h.skipPast(new Date(start - DAY_MS).toISOString());
    const notice = await h.mailbox.waitForMatch((m) => notices(request).includes(m));
    assert.deepEqual(recipientsOf(notice), ['operations@provider.test']);
    assert.equal(notice.subject, 'Prepare: update in 24 hours: Abacus ERP 2025.2');
    const text = notice.text ?? '';
    assert.match(text, /^Engineer: Erik Engineer$/m);
    assert.match(text, new RegExp(`^Client hosts: ${client} \\(client update included: yes\\)$`, 'm'));
    assert.match(text, /^Installer: https:\/\/downloads\.abacus\.example\/erp\/2025\.2\/setup\.exe$/m);
    assert.match(text, new RegExp(`^SHA-256: ${'a'.repeat(64)}$`, 'm'));
    assert.match(text, /^Licences: LIC-4711, LIC-4712$/m);
    assert.match(text, /^Snapshots: taken automatically at the slot's start, one per target \(2\)$/m);
    // The pre-checks as they stand when the notice goes out.
    assert.match(text, /^Pre-checks: system-requirements: passed; compatibility: open; prerequisites: open$/m);
    assert.match(text, /^Slot: \w+day \d+ \w+ \d{4}, 09:00 Europe\/Zurich to .* \(within support hours\)$/m);
    assert.match(text, /^Kind of update: minor release$/m);
    assert.match(text, /^Changes: New: payroll export to Swissdec 5\. Fixed: VAT rounding\./m);
    const [entry] = await noticeEntries(handle);
    const late = Date.parse(entry.at) - (start - DAY_MS);
    assert.ok(late >= 0 && late < MINUTE_MS, `notice at ${entry.at}`);

    await h.skip(12 * 60 * MINUTE_MS);
    await handle.executeUpdate(cancelRequestUpdate, { args: [{ actor: customerOf(request.customerId), reason: 'project stopped' }] });
    assert.equal((await handle.result()).outcome, 'cancelled');
    assert.equal(notices(request).length, 1, 'sent once');
    assert.equal((await noticeEntries(handle)).length, 1);
  });

  it('a moved slot is noticed for its new time only; a cancelled request gets none', async () => {
    const request = await h.request();
    const handle = await h.submit(request);
    const { slot: first } = await agreeSlot(h, handle, request);
    await passPreChecks(h, handle);
    const moved = h.supportSlotAfter(new Date(Date.parse(first!.start) + 5 * DAY_MS));
    await handle.executeUpdate(proposeSlotUpdate, { args: [{ actor: operator, ...moved, engineer: 'Ebba Engineer' }] });
    await handle.executeUpdate(acceptSlotUpdate, { args: [{ actor: customerOf(request.customerId) }] });

    await h.skipPast(first!.start);
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(notices(request).length, 0, 'the old slot gets no notice');
    await h.skipPast(new Date(Date.parse(moved.start) - DAY_MS).toISOString());
    await h.mailbox.waitForMatch((m) => notices(request).includes(m));
    assert.match(notices(request)[0].text ?? '', /^Engineer: Ebba Engineer$/m);
    assert.match(notices(request)[0].messageId!, new RegExp(`slot-preparation\\.${new Date(moved.start).toISOString().replace(/[^A-Za-z0-9_-]/g, (c) => `=${c.charCodeAt(0).toString(16).toUpperCase()}`)}@`));

    const other = await h.request();
    const cancelled = await h.submit(other);
    const { slot } = await agreeSlot(h, cancelled, other);
    await cancelled.executeUpdate(cancelRequestUpdate, { args: [{ actor: operator, reason: 'customer withdrew' }] });
    assert.equal((await cancelled.result()).outcome, 'cancelled');
    await h.skipPast(slot!.start);
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(notices(other).length, 0);
    assert.equal(notices(request).length, 1);
  });

  it('a slot agreed less than 24 hours ahead is noticed at once', async () => {
    const request = await h.request({ category: 'security', criticalSecurity: true, severity: 'blocker' }, 2);
    const handle = await h.submit(request);
    await h.untilStatus(handle, 'lead-time-review');
    await handle.executeUpdate(decideShortNoticeUpdate, { args: [{ actor: operator, decision: 'expedite', reason: 'actively exploited' }] });
    await h.untilStatus(handle, 'scheduling');
    const slot = h.supportSlotAfter(new Date(Date.parse(request.submittedAt) + DAY_MS));
    await handle.executeUpdate(proposeSlotUpdate, { args: [{ actor: operator, ...slot, engineer: 'Erik' }] });
    await h.skipPast(new Date(Date.parse(slot.start) - 20 * 60 * MINUTE_MS).toISOString());
    assert.equal(notices(request).length, 0, 'a proposed slot is not noticed');

    await handle.executeUpdate(acceptSlotUpdate, { args: [{ actor: customerOf(request.customerId) }] });
    await h.mailbox.waitForMatch((m) => notices(request).includes(m));
    const [entry] = await noticeEntries(handle);
    assert.ok(Date.parse(slot.start) - Date.parse(entry.at) > 19 * 60 * MINUTE_MS, `sent at ${entry.at}, at the acceptance`);
    await handle.executeUpdate(cancelRequestUpdate, { args: [{ actor: operator, reason: 'done by hand' }] });
    assert.equal((await handle.result()).outcome, 'cancelled');
    assert.equal(notices(request).length, 1);
  });
});
