import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { parse } from 'yaml';
import { loadConfig, SECRET_VARIABLES } from '../platform/config';
import { projectRoot } from '../platform/project-root';
import { searchAttributeCliSpecs } from '../platform/search-attributes';

interface ComposeService {
  image?: string;
  build?: string;
  command?: string[];
  environment?: Record<string, string>;
  secrets?: string[];
  depends_on?: string[] | Record<string, { condition: string }>;
}

const root = projectRoot();
const compose = parse(readFileSync(path.join(root, 'docker-compose.yml'), 'utf8'), { merge: true }) as {
  services: Record<string, ComposeService>;
  secrets: Record<string, { file: string }>;
};
const services = compose.services;
const readme = readFileSync(path.join(root, 'README.md'), 'utf8');
const composeSection = readme.split('## Running with Docker Compose')[1]?.split('\n## ')[0] ?? '';

/** What an operator puts into each secret file, as the README's commands make them. */
const SECRET_CONTENT: Record<string, string> = {
  postgres_password: randomBytes(24).toString('hex'),
  database_url: 'postgres://postgres:pw@postgresql:5432/managed_updates',
  smtp_url: 'smtp://mailpit:1025',
  payload_keys: `k1:${randomBytes(32).toString('base64')}`,
};
const secretsDir = mkdtempSync(path.join(tmpdir(), 'compose-secrets-'));
after(() => rmSync(secretsDir, { recursive: true, force: true }));

/** The service's environment, with each /run/secrets/ path replaced by a file holding what the README puts there. */
function environmentWithSecrets(service: ComposeService): Record<string, string> {
  return Object.fromEntries(Object.entries(service.environment ?? {}).map(([name, value]) => {
    const secret = /^\/run\/secrets\/(\w+)$/.exec(value)?.[1];
    if (!secret) return [name, value];
    assert.ok(service.secrets?.includes(secret), `${name} reads secret ${secret}, which the service does not mount`);
    const file = path.join(secretsDir, secret);
    writeFileSync(file, `${SECRET_CONTENT[secret]}\n`);
    return [name, file];
  }));
}

function dependencies(name: string): Record<string, string> {
  const declared = services[name].depends_on ?? [];
  return Array.isArray(declared)
    ? Object.fromEntries(declared.map((d) => [d, 'service_started']))
    : Object.fromEntries(Object.entries(declared).map(([d, { condition }]) => [d, condition]));
}

/** The services the README's Docker Compose section lists, as `- \`name\`:` items. */
function servicesNamedInReadme(): string[] {
  return [...composeSection.matchAll(/^- `([a-z-]+)`:/gm)].map((m) => m[1]);
}

describe('docker-compose.yml', () => {
  it('has exactly the services the README names', () => {
    const named = servicesNamedInReadme();
    assert.ok(named.length >= 8, `README names ${named.length} services`);
    assert.deepEqual([...named].sort(), Object.keys(services).sort());
  });

  for (const name of ['api', 'worker', 'migrate']) {
    it(`gives ${name} a valid configuration pointing at the compose services`, () => {
      const service = services[name];
      assert.equal(service.build, '.');
      assert.ok(existsSync(path.join(root, 'Dockerfile')));
      const entry = service.command?.at(-1) ?? '';
      assert.match(entry, /^dist\/.+\.js$/);
      assert.ok(existsSync(path.join(root, entry.replace(/^dist\//, '').replace(/\.js$/, '.ts'))), `${name} runs a file of ours: ${entry}`);
      const sut = loadConfig(environmentWithSecrets(service), { requirePayloadKeys: true });
      assert.ok(sut.database.urlGiven && sut.temporal.addressGiven && sut.mail.smtpUrlGiven, 'nothing falls back to a local default');
      assert.ok(services[new URL(sut.database.url).hostname], 'DATABASE_URL names a compose service');
      assert.ok(services[sut.temporal.address.split(':')[0]], 'TEMPORAL_ADDRESS names a compose service');
      assert.ok(services[new URL(sut.mail.smtpUrl).hostname], 'SMTP_URL names a compose service');
    });
  }

  it('lets the API listen beyond its container', () => {
    assert.equal(loadConfig(environmentWithSecrets(services.api)).api.host, '0.0.0.0');
  });

  it('gives every secret as a file, which the README says how to make and git ignores', () => {
    for (const name of ['api', 'worker', 'migrate']) {
      const environment = services[name].environment ?? {};
      for (const variable of SECRET_VARIABLES) {
        assert.equal(environment[variable], undefined, `${name} sets ${variable} in plain text`);
        assert.match(environment[`${variable}_FILE`] ?? '', /^\/run\/secrets\//, `${name} reads ${variable} from a secret`);
      }
    }
    assert.equal(services.postgresql.environment?.POSTGRES_PASSWORD, undefined);
    assert.ok(services.temporal.secrets?.includes('postgres_password'));
    for (const [secret, { file }] of Object.entries(compose.secrets)) {
      assert.equal(file, `./secrets/${secret}`);
      assert.ok(SECRET_CONTENT[secret], `the test knows secret ${secret}`);
      assert.match(composeSection, new RegExp(`> secrets/${secret}\\b`), `the README makes secrets/${secret}`);
    }
    assert.match(readFileSync(path.join(root, '.gitignore'), 'utf8'), /^secrets\/$/m);
  });

  it('starts api and worker only after the migrations and the search attributes are done', () => {
    for (const name of ['api', 'worker']) {
      const needs = dependencies(name);
      assert.equal(needs.migrate, 'service_completed_successfully', `${name} waits for migrate`);
      assert.equal(needs['temporal-search-attributes'], 'service_completed_successfully', `${name} waits for the search attributes`);
      assert.ok(needs.mailpit, `${name} needs mailpit`);
    }
    assert.equal(dependencies('migrate').postgresql, 'service_healthy');
    assert.equal(dependencies('temporal').postgresql, 'service_healthy');
    assert.ok(dependencies('temporal-search-attributes').temporal);
    assert.ok(dependencies('temporal-ui').temporal);
    for (const name of Object.keys(services)) {
      for (const needed of Object.keys(dependencies(name))) assert.ok(services[needed], `${name} depends on a missing service ${needed}`);
    }
  });

  it('registers every custom search attribute of platform/search-attributes.ts', () => {
    const registered = services['temporal-search-attributes'].environment?.SEARCH_ATTRIBUTES.split(/\s+/);
    assert.deepEqual(registered, searchAttributeCliSpecs());
  });
});
