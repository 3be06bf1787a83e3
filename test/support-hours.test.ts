import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SupportHours } from '../activities/support-hours';
import { loadConfig } from '../platform/config';

/** Zurich is UTC+1 in winter and UTC+2 in summer; the slots are written in UTC. */
function within(sut: SupportHours, start: string, end: string): boolean {
  return sut.isWithin(new Date(start), new Date(end));
}

describe('SupportHours (Mon-Fri 08:00-17:00 Europe/Zurich, CH-ZH holidays)', () => {
  const sut = new SupportHours(loadConfig({}).supportHours);

  it('accepts a Tuesday morning and a slot ending exactly at closing time', () => {
    assert.equal(within(sut, '2026-12-01T08:00:00Z', '2026-12-01T10:00:00Z'), true);
    assert.equal(within(sut, '2026-12-01T15:00:00Z', '2026-12-01T16:00:00Z'), true);
  });

  it('refuses a slot that runs past closing time or starts before opening', () => {
    assert.equal(within(sut, '2026-12-01T15:00:00Z', '2026-12-01T17:00:00Z'), false);
    assert.equal(within(sut, '2026-12-01T06:59:00Z', '2026-12-01T08:00:00Z'), false);
  });

  it('refuses a Saturday', () => {
    assert.equal(within(sut, '2026-12-05T08:00:00Z', '2026-12-05T10:00:00Z'), false);
  });

  it('refuses public holidays of the region, not ordinary Fridays', () => {
    assert.equal(within(sut, '2026-12-25T08:00:00Z', '2026-12-25T10:00:00Z'), false);
    assert.equal(within(sut, '2027-01-01T08:00:00Z', '2027-01-01T10:00:00Z'), false);
    assert.equal(within(sut, '2026-12-18T08:00:00Z', '2026-12-18T10:00:00Z'), true);
  });

  it('observes no holidays when SUPPORT_HOLIDAYS=none', () => {
    const noHolidays = new SupportHours(loadConfig({ SUPPORT_HOLIDAYS: 'none' }).supportHours);
    assert.equal(within(noHolidays, '2026-12-25T08:00:00Z', '2026-12-25T10:00:00Z'), true);
  });

  it('refuses a slot across local midnight even when both days are open all day', () => {
    const allDay = new SupportHours(loadConfig({ SUPPORT_HOURS: '00:00-23:59', SUPPORT_DAYS: 'Mon-Sun' }).supportHours);
    assert.equal(within(allDay, '2026-12-01T20:00:00Z', '2026-12-01T22:00:00Z'), true);
    assert.equal(within(allDay, '2026-12-01T22:00:00Z', '2026-12-02T00:30:00Z'), false);
  });

  it('refuses an empty or reversed slot', () => {
    assert.equal(within(sut, '2026-12-01T10:00:00Z', '2026-12-01T10:00:00Z'), false);
    assert.equal(within(sut, '2026-12-01T10:00:00Z', '2026-12-01T09:00:00Z'), false);
  });

  it('follows the change to summer time (28 March 2027, Easter Sunday)', () => {
    // Thursday before (Maundy Thursday: only an observance, so open): 08:00 CET = 07:00Z.
    assert.equal(within(sut, '2027-03-25T07:00:00Z', '2027-03-25T09:00:00Z'), true);
    assert.equal(within(sut, '2027-03-25T06:30:00Z', '2027-03-25T08:00:00Z'), false);
    // Tuesday after: 08:00 CEST = 06:00Z, 17:00 CEST = 15:00Z.
    assert.equal(within(sut, '2027-03-30T06:00:00Z', '2027-03-30T08:00:00Z'), true);
    assert.equal(within(sut, '2027-03-30T05:30:00Z', '2027-03-30T07:00:00Z'), false);
    assert.equal(within(sut, '2027-03-30T14:00:00Z', '2027-03-30T15:30:00Z'), false);
    // Easter Monday 29 March is a public holiday in Zurich; without holidays 06:00Z is 08:00 and open.
    assert.equal(within(sut, '2027-03-29T06:00:00Z', '2027-03-29T08:00:00Z'), false);
    const noHolidays = new SupportHours(loadConfig({ SUPPORT_HOLIDAYS: 'none' }).supportHours);
    assert.equal(within(noHolidays, '2027-03-29T06:00:00Z', '2027-03-29T08:00:00Z'), true);
    assert.equal(within(noHolidays, '2027-03-29T05:00:00Z', '2027-03-29T06:30:00Z'), false);
  });
});
