import 'reflect-metadata';
import { plainToInstance } from 'class-transformer';
import { validateSync, type ValidationError } from 'class-validator';
import { parseArgs } from 'node:util';
import { CredentialStore } from '../api/auth/credential-store';
import { isSystemName, PutSystemBody } from '../api/inventory/inventory.dto';
import { loadConfig } from '../platform/config';
import { createDataSource } from '../platform/database/data-source';
import { InventoryStore, type InventorySystem } from '../platform/inventory/inventory-store';

const USAGE = `usage (after npm run migrate; DATABASE_URL and DATABASE_SCHEMA as for the API):
  npm run inventory -- put --customer <id> --name <target> [--hypervisor-uri <libvirt URI> --domain <domain>]
                           [--ssh-host <host> --ssh-user <user> [--ssh-port 22] [--os linux|windows]]
  npm run inventory -- remove --customer <id> --name <target>
  npm run inventory -- list [--customer <id>]
"put" adds the system or replaces how it is reached; requests may name only listed systems.`;

/** `npm run inventory`: which systems each customer has and how the worker reaches them. */
async function main(argv: string[]): Promise<void> {
  const { positionals: [command], values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      customer: { type: 'string' }, name: { type: 'string' }, 'hypervisor-uri': { type: 'string' }, domain: { type: 'string' },
      'ssh-host': { type: 'string' }, 'ssh-port': { type: 'string' }, 'ssh-user': { type: 'string' }, os: { type: 'string' },
    },
  });
  const required = (option: 'customer' | 'name'): string => {
    const value = values[option];
    if (typeof value !== 'string' || value.trim() === '') throw new UsageError(`--${option} is required`);
    return value;
  };
  const dataSource = await createDataSource(loadConfig().database).initialize();
  try {
    const inventory = new InventoryStore(dataSource);
    switch (command) {
      case 'put': {
        const customerId = required('customer');
        const name = required('name');
        if (!isSystemName(name)) throw new UsageError('--name must be a host name (letters, digits, dots, hyphens)');
        const body = systemBody(values);
        if (!(await new CredentialStore(dataSource).customerExists(customerId))) throw new Error(`no customer ${customerId}: create it first (npm run credentials -- add-customer)`);
        const system = await inventory.put({ customerId, name, hypervisor: body.hypervisor,
          ssh: body.ssh && { host: body.ssh.host, port: body.ssh.port ?? 22, user: body.ssh.user, osFamily: body.ssh.osFamily ?? 'linux' } });
        process.stdout.write(`${describe(system)}\n`);
        return;
      }
      case 'remove': {
        const customerId = required('customer');
        const name = required('name');
        if (!(await inventory.remove(customerId, name))) throw new Error(`customer ${customerId} has no system ${name}`);
        process.stdout.write(`system ${name} of customer ${customerId} removed\n`);
        return;
      }
      case 'list':
        for (const system of await inventory.list(values.customer)) process.stdout.write(`${describe(system)}\n`);
        return;
      default:
        throw new UsageError(command ? `unknown command ${command}` : 'a command is required');
    }
  } finally {
    await dataSource.destroy();
  }
}

/** The options as the API's body, checked by the API's own rules. */
function systemBody(values: Record<string, string | boolean | undefined>): PutSystemBody {
  const given = (key: string) => (typeof values[key] === 'string' ? values[key] as string : undefined);
  const hypervisor = given('hypervisor-uri') !== undefined || given('domain') !== undefined
    ? { uri: given('hypervisor-uri'), domain: given('domain') } : undefined;
  const port = given('ssh-port');
  const ssh = given('ssh-host') !== undefined || given('ssh-user') !== undefined
    ? { host: given('ssh-host'), user: given('ssh-user'), port: port === undefined ? undefined : Number(port), osFamily: given('os') } : undefined;
  const body = plainToInstance(PutSystemBody, { hypervisor, ssh });
  const problems = validateSync(body, { whitelist: true, forbidNonWhitelisted: true }).flatMap((e) => messages(e, ''));
  if (problems.length > 0) throw new UsageError(problems.join('; '));
  return body;
}

function messages(error: ValidationError, parent: string): string[] {
  const path = parent ? `${parent}.${error.property}` : error.property;
  return [...Object.values(error.constraints ?? {}).map((m) => `${path}: ${m}`), ...(error.children ?? []).flatMap((c) => messages(c, path))];
}

function describe(system: InventorySystem): string {
  const hypervisor = system.hypervisor ? ` hypervisor ${system.hypervisor.uri} domain ${system.hypervisor.domain}` : '';
  const ssh = system.ssh ? ` ssh ${system.ssh.user}@${system.ssh.host}:${system.ssh.port} (${system.ssh.osFamily})` : '';
  return `${system.customerId} ${system.name}${hypervisor}${ssh}`;
}

class UsageError extends Error {}

main(process.argv.slice(2)).catch((err) => {
  const message = err instanceof Error ? err.message : String(err);
  process.stderr.write(`inventory failed: ${message}\n${err instanceof UsageError ? `${USAGE}\n` : ''}`);
  process.exit(err instanceof UsageError ? 2 : 1);
});
