import type { Logger } from 'pino';
import type { AppConfig } from '../config';
import { createDataSource, migrate } from './data-source';

/** Opens the database just long enough to apply pending migrations, logging what it applied. */
export async function migrateDatabase(database: AppConfig['database'], logger: Logger): Promise<string[]> {
  const dataSource = await createDataSource(database).initialize();
  try {
    const applied = await migrate(dataSource, database.schema);
    logger.info({ schema: database.schema, applied }, applied.length ? 'migrations applied' : 'database schema up to date');
    return applied;
  } finally {
    await dataSource.destroy();
  }
}
