import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { loadConfig } from '../platform/config';
import { projectRoot } from '../platform/project-root';
import { searchAttributeCliSpecs } from '../platform/search-attributes';

interface ComposeService {
  image?: string;
  build?: string;
  command?: string[];
  environment?: Record<string, string>;
  depends_on?: string[] | Record<string, { condition: string }>;
}

const root = projectRoot();
const compose = parse(readFileSync(path.join(root, 'docker-compose.yml'), 'utf8')) as { services: Record<string, ComposeService> };
const services = compose.services;

function dependencies(name: string): Record<string, string> {
  const declared = services[name].depends_on ?? [];
  return Array.isArray(declared)
    ? Object.fromEntries(declared.map((d) => [d, 'service_started']))
    : Object.fromEntries(Object.entries(declared).map(([d, { condition }]) => [d, condition]));
}

/** The services the README's Docker Compose section lists, as `- \`name\`:` items. */
function servicesNamedInReadme(): string[] {
  const readme = readFileSync(path.join(root, 'README.md'), 'utf8');
  const section = readme.split('## Running with Docker Compose')[1]?.split('\n## ')[0] ?? '';
  return [...section.matchAll(/^- `([a-z-]+)`:/gm)].map((m) => m[1]);
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
      const sut = loadConfig(service.environment ?? {});
      assert.ok(sut.database.urlGiven && sut.temporal.addressGiven && sut.mail.smtpUrlGiven, 'nothing falls back to a local default');
      assert.ok(services[new URL(sut.database.url).hostname], 'DATABASE_URL names a compose service');
      assert.ok(services[sut.temporal.address.split(':')[0]], 'TEMPORAL_ADDRESS names a compose service');
      assert.ok(services[new URL(sut.mail.smtpUrl).hostname], 'SMTP_URL names a compose service');
    });
  }

  it('lets the API listen beyond its container', () => {
    assert.equal(loadConfig(services.api.environment ?? {}).api.host, '0.0.0.0');
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
