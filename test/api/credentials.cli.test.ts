import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { hashApiKey } from '../../api/auth/api-keys';
import { ConsoleSessions } from '../../api/auth/console-sessions';
import { CredentialStore } from '../../api/auth/credential-store';
import { PeopleStore } from '../../api/auth/people-store';
import { hashToken } from '../../api/auth/secret-tokens';
import { CalendarFeeds } from '../../api/calendar/calendar-feeds';
import { projectRoot } from '../../platform/project-root';
import { createTestDatabase, type TestDatabase } from '../support/database';

const run = promisify(execFile);

describe('npm run credentials against PostgreSQL', () => {
  let db: TestDatabase;
  let store: CredentialStore;

  before(async () => {
    db = await createTestDatabase();
    store = new CredentialStore(db.dataSource);
  });
  after(async () => { await db?.drop(); });

  const sut = (...args: string[]) => run(process.execPath, [path.join(projectRoot(), 'dist/scripts/credentials.js'), ...args], {
    env: { ...process.env, DATABASE_URL: db.url, DATABASE_SCHEMA: db.schema, LOG_LEVEL: 'fatal', CONSOLE_URL: 'https://updates.example' },
  });
  const failure = (...args: string[]) => sut(...args).then(
    () => assert.fail(`credentials ${args.join(' ')} succeeded`),
    (err: { code: number; stderr: string }) => err,
  );
  const keyIn = (stdout: string) => /API key \(shown once, store it now\): (mu_\S+)/.exec(stdout)?.[1];

  it('creates a customer and a customer key that authenticates as that customer; only its hash is stored', async () => {
    await sut('add-customer', '--id', 'acme', '--name', 'Acme AG');

    const { stdout } = await sut('issue', '--role', 'customer', '--customer', 'acme', '--subject', 'clara@acme.example');

    const key = keyIn(stdout);
    assert.ok(key, stdout);
    assert.deepEqual(await store.actorForKey(key), { id: 'clara@acme.example', role: 'customer', customerId: 'acme' });
    const rows: Array<{ key_hash: string }> = await db.dataSource.query(`SELECT key_hash FROM api_credentials`);
    assert.deepEqual(rows, [{ key_hash: hashApiKey(key) }]);
  });

  it('issues operator keys and revokes them', async () => {
    const { stdout } = await sut('issue', '--role', 'operator', '--subject', 'olga');
    const key = keyIn(stdout)!;
    const id = /credential ([0-9a-f-]{36})/.exec(stdout)![1];
    assert.deepEqual(await store.actorForKey(key), { id: 'olga', role: 'operator' });

    await sut('revoke', '--id', id);

    assert.equal(await store.actorForKey(key), undefined);
  });

  it('refuses incomplete or wrong arguments with usage, creating nothing', async () => {
    const before = await db.dataSource.query(`SELECT count(*)::int AS n FROM api_credentials`);
    const noCustomer = await failure('issue', '--role', 'customer', '--subject', 'x');
    const badRole = await failure('issue', '--role', 'root', '--subject', 'x');
    const unknownCustomer = await failure('issue', '--role', 'customer', '--customer', 'nobody', '--subject', 'x');

    assert.equal(noCustomer.code, 2);
    assert.match(noCustomer.stderr, /--customer is required\n.*usage/s);
    assert.equal(badRole.code, 2);
    assert.match(badRole.stderr, /--role must be one of customer, operator, auditor/);
    assert.equal(unknownCustomer.code, 1);
    assert.match(unknownCustomer.stderr, /no customer nobody: create it first/);
    assert.deepEqual(await db.dataSource.query(`SELECT count(*)::int AS n FROM api_credentials`), before);
  });

  it('adds people who may sign in, signs them out everywhere and removes them', async () => {
    const people = new PeopleStore(db.dataSource);
    const sessions = new ConsoleSessions(db.dataSource);
    await sut('add-customer', '--id', 'globex', '--name', 'Globex');
    const added = await sut('add-person', '--email', 'Gina@Globex.example', '--role', 'customer', '--customer', 'globex');
    assert.match(added.stdout, /gina@globex.example may sign in to the console as customer of customer globex/);
    const gina = (await people.findActive('gina@globex.example'))!;
    assert.deepEqual(gina.actor, { id: 'gina@globex.example', role: 'customer', customerId: 'globex' });
    const opened = (await sessions.redeemLink(await sessions.issueLink(gina.id, 15), 1))!;
    assert.ok(await sessions.find(opened.token));

    assert.match((await sut('revoke-sessions', '--email', 'gina@globex.example')).stdout, /^1 session\(s\) of gina@globex.example ended/);
    assert.equal(await sessions.find(opened.token), undefined);
    const again = (await sessions.redeemLink(await sessions.issueLink(gina.id, 15), 1))!;
    await sut('remove-person', '--email', 'gina@globex.example');
    assert.equal(await sessions.find(again.token), undefined);
    assert.equal(await people.findActive('gina@globex.example'), undefined);

    const operatorWithTenant = await failure('add-person', '--email', 'olga@provider.example', '--role', 'operator', '--customer', 'globex');
    assert.equal(operatorWithTenant.code, 1);
    assert.match(operatorWithTenant.stderr, /operators and auditors take none/);
    const twice = await failure('add-person', '--email', 'GINA@globex.example', '--role', 'customer', '--customer', 'globex');
    assert.match(twice.stderr, /gina@globex.example is already a person here/);
  });

  it("issues a customer's calendar feed URL, storing only its token's hash, and revokes it", async () => {
    await sut('add-customer', '--id', 'initech', '--name', 'Initech');
    const feeds = new CalendarFeeds(db.dataSource);

    const { stdout } = await sut('issue-calendar-feed', '--customer', 'initech');

    const token = /: https:\/\/updates\.example\/calendar\/(mucal_[\w-]{43})\.ics\n$/.exec(stdout)?.[1];
    assert.ok(token, stdout);
    assert.deepEqual(await feeds.customerFor(token), { id: 'initech', name: 'Initech' });
    assert.deepEqual(await db.dataSource.query(`SELECT token_hash FROM calendar_feeds WHERE customer_id = 'initech'`), [{ token_hash: hashToken(token) }]);

    assert.match((await sut('revoke-calendar-feed', '--customer', 'initech')).stdout, /calendar feed of customer initech revoked/);
    assert.equal(await feeds.customerFor(token), undefined);
    assert.match((await failure('revoke-calendar-feed', '--customer', 'initech')).stderr, /customer initech has no calendar feed/);
    const unknown = await failure('issue-calendar-feed', '--customer', 'nobody');
    assert.deepEqual([unknown.code, /no customer nobody: create it first/.test(unknown.stderr)], [1, true]);
    assert.equal((await failure('issue-calendar-feed')).code, 2, 'no --customer: usage');
  });

  it("sets a customer's language when it is created and later; says when a language has no templates; refuses a malformed one", async () => {
    const languageOf = async (id: string) => (await db.dataSource.query(`SELECT language FROM customers WHERE id = $1`, [id]))[0]?.language;
    await sut('add-customer', '--id', 'hooli', '--name', 'Hooli');
    assert.equal(await languageOf('hooli'), 'en');

    const german = await sut('add-customer', '--id', 'bauer', '--name', 'Bauer GmbH', '--language', 'de');
    assert.equal(german.stdout, 'customer bauer created\n');
    assert.equal(await languageOf('bauer'), 'de');

    const french = await sut('set-language', '--customer', 'hooli', '--language', 'fr');
    assert.match(french.stdout, /customer hooli now reads fr \(no mail templates in fr yet: messages go out in en; templates exist in en, de\)/);
    assert.equal(await languageOf('hooli'), 'fr');

    const swiss = await sut('set-language', '--customer', 'hooli', '--language', 'de-CH');
    assert.match(swiss.stdout, /customer hooli now reads de-CH \(no mail templates in de-CH yet: messages go out in de;/);
    assert.equal(await languageOf('hooli'), 'de-CH');

    const malformed = await failure('set-language', '--customer', 'bauer', '--language', 'Deutsch!');
    assert.equal(malformed.code, 1);
    assert.match(malformed.stderr, /language must be a language tag such as en or de, not "Deutsch!"/);
    const unknown = await failure('set-language', '--customer', 'nobody', '--language', 'de');
    assert.match(unknown.stderr, /no customer nobody/);
    const missing = await failure('set-language', '--customer', 'bauer');
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /--language is required/);
    assert.equal(await languageOf('bauer'), 'de');
    const malformedNew = await failure('add-customer', '--id', 'x', '--name', 'X', '--language', 'DE_de');
    assert.match(malformedNew.stderr, /language must be a language tag/);
    assert.equal(await languageOf('x'), undefined);
  });
});
