import { loadConfig } from '../platform/config';
import { migrateDatabase } from '../platform/database/migrate-database';
import { createLogger } from '../platform/logging';

/** `npm run migrate`: applies pending migrations to DATABASE_URL, in DATABASE_SCHEMA. */
async function main(): Promise<void> {
  const config = loadConfig();
  await migrateDatabase(config.database, createLogger('migrate', config.logLevel));
}

main().catch((err) => {
  process.stderr.write(`migrate failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
