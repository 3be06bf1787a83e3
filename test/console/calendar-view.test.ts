import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SupportHours } from '../../activities/support-hours';
import { calendarView } from '../../api/console/calendar-view';
import type { UpdateRequestRow } from '../../api/requests/request-read-model';
import { loadConfig } from '../../platform/config';

const { supportHours: config } = loadConfig({ SUPPORT_HOLIDAYS: 'CH-ZH' });

function row(id: string, start: string, end: string, targets: string[]): UpdateRequestRow {
  return {
    request_id: id, workflow_id: `update-request-${id}`, customer_id: 'acme', software_name: 'Abacus', target_version: '2', category: 'feature',
    priority: 3, status: 'pre-checks', outcome: null, current_step: 'pre-checks', scheduled_start: new Date(start), scheduled_end: new Date(end),
    next_deadline: null, pending_roles: [], submitted_at: new Date(start), updated_at: new Date(start), state_version: 1,
    request: { targets: targets.map((name) => ({ name, kind: 'application-server' })) } as UpdateRequestRow['request'],
  };
}

describe('Console calendar', () => {
  const rows = [
    row('a', '2026-12-21T08:00:00Z', '2026-12-21T10:00:00Z', ['erp-01', 'erp-02']),
    row('b', '2026-12-21T09:00:00Z', '2026-12-21T11:00:00Z', ['erp-02']),
    row('c', '2026-12-21T09:00:00Z', '2026-12-21T11:00:00Z', ['crm-01']),
    row('d', '2026-12-22T18:00:00Z', '2026-12-22T20:00:00Z', ['crm-01']),
  ];
  const sut = (span: 'week' | 'month', date: string) => calendarView(span, date, rows, config, new SupportHours(config));

  it('shows a week from Monday, shading the weekend and public holidays, with slots on their local day', () => {
    const view = sut('week', '2026-12-23');
    assert.equal(view.weeks.length, 1);
    const days = view.weeks[0];
    assert.deepEqual(days.map((d) => d.date), ['2026-12-21', '2026-12-22', '2026-12-23', '2026-12-24', '2026-12-25', '2026-12-26', '2026-12-27']);
    // Christmas and St Stephen's Day are Zurich public holidays; the 26th is also a Saturday.
    assert.deepEqual(days.map((d) => d.closed), [undefined, undefined, undefined, undefined, 'holiday', 'holiday', 'weekend']);
    assert.deepEqual(days[0].slots.map((s) => [s.requestId, s.time]), [['a', '09:00–11:00'], ['b', '10:00–12:00'], ['c', '10:00–12:00']]);
    assert.deepEqual([view.previous, view.next], ['2026-12-16', '2026-12-30']);
  });

  it('marks overlapping slots on a shared system as conflicts, and slots outside support hours', () => {
    const [monday, tuesday] = sut('week', '2026-12-21').weeks[0];
    assert.deepEqual(monday.slots.map((s) => [s.requestId, s.conflictsWith]), [['a', ['b']], ['b', ['a']], ['c', []]]);
    assert.deepEqual(monday.slots.map((s) => s.withinSupportHours), [true, true, true]);
    assert.deepEqual(tuesday.slots.map((s) => [s.requestId, s.withinSupportHours]), [['d', false]]);
  });

  it('shows a month as whole weeks, the days of other months marked', () => {
    const view = sut('month', '2026-12-10');
    assert.equal(view.title, 'December 2026');
    assert.equal(view.weeks.length, 5);
    assert.equal(view.weeks[0][0].date, '2026-11-30');
    assert.equal(view.weeks[0][0].inPeriod, false);
    assert.equal(view.weeks[4][6].date, '2027-01-03');
  });
});
