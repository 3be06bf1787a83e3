import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigurationError, loadConfig } from '../platform/config';

describe('policy, support-hours and provider configuration', () => {
  it('defaults to the documented values', () => {
    const sut = loadConfig({});

    assert.deepEqual(sut.policy, {
      leadTimeDays: 14,
      responseHours: { blocker: 4, high: 24, major: 48, minor: 120 },
      rescheduleCutoffHours: 24,
      userActivityRecheckMinutes: 15,
      userActivityLimitMinutes: 120,
      signOffReminderHours: 24,
      signOffEscalationHours: 120,
      snapshotRetentionDays: 7,
      maxRetentionExtensionDays: 30,
      communication: {
        feature: { announce: true, announceMinDaysAhead: 10, remindMinutesBefore: [2880, 1440], confirmCompletion: true },
        maintenance: { announce: true, announceMinDaysAhead: 0, remindMinutesBefore: [1440], confirmCompletion: true },
        server: { announce: false, announceMinDaysAhead: 0, remindMinutesBefore: [1440, 30], confirmCompletion: false },
        security: { announce: true, announceMinDaysAhead: 0, remindMinutesBefore: [], confirmCompletion: true },
      },
    });
    assert.deepEqual(sut.supportHours, {
      timeZone: 'Europe/Zurich',
      days: [1, 2, 3, 4, 5],
      opensAtMinute: 8 * 60,
      closesAtMinute: 17 * 60,
      holidays: { country: 'CH', state: 'ZH' },
    });
    assert.deepEqual(sut.providers, { snapshot: 'none', session: 'none' });
  });

  it('parses given values', () => {
    const sut = loadConfig({
      LEAD_TIME_DAYS: '10',
      SUPPORT_TIME_ZONE: 'America/New_York',
      SUPPORT_DAYS: 'Mon,Wed-Thu,sat',
      SUPPORT_HOURS: '07:30-19:15',
      SUPPORT_HOLIDAYS: 'none',
      SNAPSHOT_PROVIDER: 'simulated',
      SESSION_PROVIDER: 'simulated',
      COMMUNICATION_SERVER: 'announce>=3d remind=30m,2h,1d confirm',
      COMMUNICATION_SECURITY: 'none',
    });

    assert.equal(sut.policy.leadTimeDays, 10);
    assert.deepEqual(sut.supportHours, {
      timeZone: 'America/New_York',
      days: [1, 3, 4, 6],
      opensAtMinute: 7 * 60 + 30,
      closesAtMinute: 19 * 60 + 15,
      holidays: null,
    });
    assert.deepEqual(sut.providers, { snapshot: 'simulated', session: 'simulated' });
    assert.deepEqual(sut.policy.communication.server, { announce: true, announceMinDaysAhead: 3, remindMinutesBefore: [1440, 120, 30], confirmCompletion: true });
    assert.deepEqual(sut.policy.communication.security, { announce: false, announceMinDaysAhead: 0, remindMinutesBefore: [], confirmCompletion: false });
    assert.deepEqual(loadConfig({ SUPPORT_HOLIDAYS: 'DE' }).supportHours.holidays, { country: 'DE' });
  });

  it('reads response times per severity and the on-call escalation path', () => {
    const sut = loadConfig({ RESPONSE_HOURS_BLOCKER: '2', RESPONSE_HOURS_MINOR: '72', ON_CALL_EMAIL: 'pager@provider.test', ON_CALL_SEVERITIES: 'blocker, high,major' });

    assert.deepEqual(sut.policy.responseHours, { blocker: 2, high: 24, major: 48, minor: 72 });
    assert.deepEqual(sut.mail.onCall, { email: 'pager@provider.test', severities: ['blocker', 'high', 'major'] });
    assert.equal(loadConfig({}).mail.onCall, undefined, 'no on-call address: operations alone');
    assert.deepEqual(loadConfig({ ON_CALL_EMAIL: 'pager@provider.test', ON_CALL_SEVERITIES: 'none' }).mail.onCall?.severities, []);
  });

  const badValues: Array<[string, string]> = [
    ['LEAD_TIME_DAYS', 'two weeks'],
    ['SNAPSHOT_RETENTION_DAYS', '0'],
    ['SUPPORT_TIME_ZONE', 'Mars/Olympus_Mons'],
    ['SUPPORT_DAYS', 'Mon-Funday'],
    ['SUPPORT_DAYS', 'Fri-Mon'],
    ['SUPPORT_HOURS', '17:00-08:00'],
    ['SUPPORT_HOURS', '8-17'],
    ['SUPPORT_HOLIDAYS', 'XX'],
    ['SUPPORT_HOLIDAYS', 'CH-QQ'],
    ['SNAPSHOT_PROVIDER', 'vmware'],
    ['SESSION_PROVIDER', 'rdp'],
    ['COMMUNICATION_FEATURE', 'announce remind=2 days'],
    ['COMMUNICATION_MAINTENANCE', 'announce announce>=3d'],
    ['COMMUNICATION_SERVER', 'remind=0m'],
    ['COMMUNICATION_SECURITY', 'shout'],
    ['RESPONSE_HOURS_BLOCKER', '0'],
    ['RESPONSE_HOURS_MINOR', 'five days'],
    ['ON_CALL_EMAIL', 'pager'],
    ['ON_CALL_SEVERITIES', 'blocker,urgent'],
  ];
  for (const [variable, value] of badValues) {
    it(`refuses ${variable}=${value}, naming the variable`, () => {
      assert.throws(
        () => loadConfig({ [variable]: value }),
        (err: unknown) => err instanceof ConfigurationError && err.problems.length > 0 && err.problems.every((p) => p.startsWith(variable)),
      );
    });
  }
});
