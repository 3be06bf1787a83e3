import 'reflect-metadata';
import { plainToInstance } from 'class-transformer';
import { validateSync, type ValidationError } from 'class-validator';
import { parseArgs } from 'node:util';
import { PutInstalledSoftwareBody } from '../api/inventory/installed-software.dto';
import { loadConfig } from '../platform/config';
import { createDataSource } from '../platform/database/data-source';
import { InstalledSoftwareStore, type InstalledSoftware } from '../platform/inventory/installed-software-store';
import { InventoryStore } from '../platform/inventory/inventory-store';
import { VendorStore } from '../platform/inventory/vendor-store';

const USAGE = `usage (after npm run migrate; DATABASE_URL and DATABASE_SCHEMA as for the API):
  npm run installed-software -- put --customer <id> --system <target> --software <name> --vendor <vendor> --version <version> [--component server|client]
  npm run installed-software -- remove --customer <id> --system <target> --software <name>
  npm run installed-software -- list [--customer <id>]
"put" records what is installed on a system of the inventory, or corrects it; requests' currentVersion must match it.`;

type Option = 'customer' | 'system' | 'software' | 'vendor' | 'version' | 'component';

/** `npm run installed-software`: which software, in which version, runs on each customer's systems. */
async function main(argv: string[]): Promise<void> {
  const { positionals: [command], values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      customer: { type: 'string' }, system: { type: 'string' }, software: { type: 'string' },
      vendor: { type: 'string' }, version: { type: 'string' }, component: { type: 'string' },
    },
  });
  const required = (option: Option): string => {
    const value = values[option];
    if (typeof value !== 'string' || value.trim() === '') throw new UsageError(`--${option} is required`);
    return value;
  };
  const dataSource = await createDataSource(loadConfig().database).initialize();
  try {
    const installed = new InstalledSoftwareStore(dataSource);
    switch (command) {
      case 'put': {
        const [customerId, system, software] = [required('customer'), required('system'), required('software')];
        const body = checked({ vendor: values.vendor, version: values.version, component: values.component });
        const scheme = await new VendorStore(dataSource).scheme(body.vendor);
        if (!scheme.read(body.version)) throw new UsageError(`--version must follow ${body.vendor}'s version scheme ${scheme.text}`);
        if ((await new InventoryStore(dataSource).unknownTargets(customerId, [system])).length > 0) {
          throw new Error(`customer ${customerId} has no system ${system}: add it first (npm run inventory -- put)`);
        }
        const entry = await installed.put({ customerId, system, software, vendor: body.vendor, version: body.version,
          component: body.component ?? 'server', updatedBy: process.env.USER ?? 'cli' });
        process.stdout.write(`${describe(entry)}\n`);
        return;
      }
      case 'remove': {
        const [customerId, system, software] = [required('customer'), required('system'), required('software')];
        if (!(await installed.remove(customerId, system, software))) throw new Error(`${software} is not recorded on system ${system} of customer ${customerId}`);
        process.stdout.write(`${software} on system ${system} of customer ${customerId} removed\n`);
        return;
      }
      case 'list':
        for (const entry of await installed.list(values.customer)) process.stdout.write(`${describe(entry)}\n`);
        return;
      default:
        throw new UsageError(command ? `unknown command ${command}` : 'a command is required');
    }
  } finally {
    await dataSource.destroy();
  }
}

/** The options as the API's body, checked by the API's own rules. */
function checked(options: Record<string, string | undefined>): PutInstalledSoftwareBody {
  const body = plainToInstance(PutInstalledSoftwareBody, options);
  const problems = validateSync(body, { whitelist: true, forbidNonWhitelisted: true }).flatMap(messages);
  if (problems.length > 0) throw new UsageError(problems.join('; '));
  return body;
}

function messages(error: ValidationError): string[] {
  return Object.values(error.constraints ?? {}).map((m) => `--${error.property}: ${m}`);
}

function describe(entry: InstalledSoftware): string {
  const support = entry.support ? ` support ${entry.support.status} (ends ${entry.support.endsOn})` : '';
  return `${entry.customerId} ${entry.system} ${entry.software} ${entry.version} (${entry.vendor}, ${entry.component})${support}`;
}

class UsageError extends Error {}

main(process.argv.slice(2)).catch((err) => {
  const message = err instanceof Error ? err.message : String(err);
  process.stderr.write(`installed-software failed: ${message}\n${err instanceof UsageError ? `${USAGE}\n` : ''}`);
  process.exit(err instanceof UsageError ? 2 : 1);
});
