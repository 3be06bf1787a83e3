import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { historyFacts } from '../support/update-harness';
import { ApiHarness, type Caller } from './api-harness';

const OFFSET_MESSAGE = 'must be an ISO-8601 date-time with offset, e.g. 2026-12-01T08:00:00Z';

/**
 * The bad input that once got through the edge: each is refused with 400 (415 for a body that is
 * not JSON) naming the field, and leaves neither a row nor a trace in the workflow's history.
 */
describe('API: every body and query field is checked for type, range and shape', () => {
  let sut: ApiHarness;
  let customer: Caller & { customerId: string };
  let operator: Caller;
  let requestId: string;

  before(async () => {
    sut = await ApiHarness.start();
    customer = await sut.customer('acme');
    operator = await sut.staff('operator', 'olga');
    ({ requestId } = await sut.submit(customer));
    await sut.untilStatus(operator, requestId, 'scheduling');
  });
  after(async () => { await sut?.stop(); });

  const rows = async () => (await sut.h.db.dataSource.query(`SELECT count(*)::int AS n FROM update_requests`))[0].n as number;
  const acceptedUpdates = async () =>
    (await historyFacts(sut.h.env.client.workflow.getHandle(`update-request-${requestId}`))).acceptedUpdates;

  async function assertSubmissionRefused(overrides: Record<string, unknown>, message: string): Promise<void> {
    const before = await rows();
    const res = await sut.call(customer, 'POST', '/requests', { ...(await sut.submission()), ...overrides });
    assert.deepEqual([res.status, res.body.message], [400, [message]], JSON.stringify(overrides));
    assert.equal(await rows(), before);
  }

  async function assertActionRefused(action: string, body: unknown, message: string, caller: Caller = operator): Promise<void> {
    const res = await sut.call(caller, 'POST', `/requests/${requestId}/${action}`, body);
    assert.deepEqual([res.status, res.body.message], [400, [message]], `${action} ${JSON.stringify(body)}`);
    assert.deepEqual(await acceptedUpdates(), []);
  }

  describe('a date-time without a UTC offset is refused wherever the API takes one', () => {
    it('desiredStart of a submission', async () => {
      await assertSubmissionRefused({ desiredStart: '2030-01-14T10:00:00' }, `desiredStart ${OFFSET_MESSAGE}`);
    });

    it('start of a slot proposal', async () => {
      await assertActionRefused('slot-proposals', { start: '2030-01-14T10:00:00', durationMinutes: 60, engineer: 'Erik' }, `start ${OFFSET_MESSAGE}`);
    });

    it('preferredStart of a slot change request', async () => {
      await assertActionRefused('slot-change-requests', { reason: 'later', preferredStart: '2030-01-14T10:00' }, `preferredStart ${OFFSET_MESSAGE}`, customer);
    });

    it('confirmedAt of a written confirmation', async () => {
      const writtenConfirmation = { name: 'Clara', statement: 'We accept the surcharge', confirmedAt: '2030-01-14T10:00:00.000' };
      await assertActionRefused('slot-acceptance', { writtenConfirmation }, `writtenConfirmation.confirmedAt ${OFFSET_MESSAGE}`, customer);
    });

    it('the submittedFrom and submittedTo filters of the list', async () => {
      for (const filter of ['submittedFrom', 'submittedTo']) {
        const res = await sut.call(operator, 'GET', `/requests?${filter}=2026-01-01T00:00:00`);
        assert.deepEqual([res.status, res.body.message], [400, [`${filter} ${OFFSET_MESSAGE}`]]);
      }
      const withOffset = await sut.call(operator, 'GET', `/requests?submittedFrom=${encodeURIComponent('2026-01-01T00:00:00+01:00')}`);
      assert.equal(withOffset.status, 200);
    });
  });

  it('refuses software given as an array (once a 500 from PostgreSQL)', async () => {
    const software = { name: 'Abacus ERP', vendor: 'Abacus', currentVersion: '1', targetVersion: '2' };
    await assertSubmissionRefused({ software: [software] }, 'software must be an object');
    await assertSubmissionRefused({ software: [] }, 'software must be an object');
  });

  it('requires release notes: a summary of what changes, and only an https link to the vendor\'s notes', async () => {
    await assertSubmissionRefused({ releaseNotes: undefined }, 'releaseNotes should not be null or undefined');
    await assertSubmissionRefused({ releaseNotes: { summary: '' } }, 'releaseNotes.summary must be longer than or equal to 1 characters');
    await assertSubmissionRefused({ releaseNotes: { summary: 'Fixes', link: 'javascript:alert(1)' } }, 'releaseNotes.link must be an https:// URL');
    await assertSubmissionRefused({ downgrade: null }, 'downgrade must be an object');
    await assertSubmissionRefused({ firstInstallation: 'yes' }, 'firstInstallation must be a boolean value');
  });

  it('refuses a desiredStart in the past', async () => {
    await assertSubmissionRefused({ desiredStart: '2020-01-01T08:00:00Z' }, 'desiredStart must not be in the past');
  });

  it('refuses a time zone Intl does not know, also once valid zones were seen (they are remembered)', async () => {
    await assertSubmissionRefused({ timeZone: 'Europe/Zurichberg' }, 'timeZone must be a valid IANA time-zone');
    await assertSubmissionRefused({ timeZone: 'Mars/Olympus_Mons' }, 'timeZone must be a valid IANA time-zone');
    assert.equal((await sut.call(customer, 'POST', '/requests', { ...(await sut.submission()), timeZone: 'europe/zurich' })).status, 201);
  });

  it('refuses numbers beyond sane maxima', async () => {
    await assertActionRefused('user-activity-reports', { activeUsers: 1e20, notes: 'n' }, 'activeUsers must not be greater than 100000');
    await assertActionRefused('retention-extension', { days: 1e20, reason: 'r' }, 'days must not be greater than 3650');
    const page = await sut.call(operator, 'GET', '/requests?page=100000000000000000000');
    assert.deepEqual([page.status, page.body.message], [400, ['page must not be greater than 100000']]);
  });

  it('refuses an array, a string or null where a nested object goes', async () => {
    for (const writtenConfirmation of [[], 'yes', null]) {
      await assertActionRefused('slot-acceptance', { writtenConfirmation }, 'writtenConfirmation must be an object', customer);
    }
  });

  it('refuses a body that is not JSON with 415 and does not run the action', async () => {
    const res = await sut.call(customer, 'POST', `/requests/${requestId}/cancellation`, 'reason=budget', { 'content-type': 'text/plain' });

    assert.deepEqual(res.body, { statusCode: 415, error: 'Unsupported Media Type', message: 'the body must be application/json' });
    assert.deepEqual(await acceptedUpdates(), []);
    assert.equal((await sut.call(customer, 'GET', `/requests/${requestId}`)).body.status, 'scheduling');
  });

  it('judges an empty body (a bodiless POST from a browser) by the route, not as a wrong media type', async () => {
    const res = await fetch(`${sut.url}/requests/${requestId}/cancellation`, {
      method: 'POST', headers: { authorization: `Bearer ${customer.key}`, 'content-length': '0' },
    });
    assert.equal(res.status, 400, 'the reason is missing; the empty body is no 415');
    assert.deepEqual(await acceptedUpdates(), []);
  });

  it('refuses a JSON body that is not an object', async () => {
    for (const body of ['[]', '[{"reason":"r"}]']) {
      const res = await sut.call(customer, 'POST', `/requests/${requestId}/cancellation`, body);
      assert.deepEqual(res.body, { statusCode: 400, error: 'Bad Request', message: 'the body must be a JSON object' });
    }
    assert.deepEqual(await acceptedUpdates(), []);
  });
});
