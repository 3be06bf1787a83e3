import { DataSource } from 'typeorm';
import type { PostgresConnectionOptions } from 'typeorm/driver/postgres/PostgresConnectionOptions';
import type { AppConfig } from '../config';
import { DATABASE_ENTITIES } from './entities';
import { MIGRATIONS } from '../../migrations';

/**
 * The one set of TypeORM options the API (through @nestjs/typeorm), the worker, the migration
 * command and the tests use. Every connection's search_path is the configured schema, so raw-SQL
 * migrations and queries stay unqualified and a test can own a schema of its own.
 */
export function dataSourceOptions(database: AppConfig['database']): PostgresConnectionOptions {
  return {
    type: 'postgres',
    url: database.url,
    schema: database.schema,
    entities: DATABASE_ENTITIES,
    migrations: MIGRATIONS,
    migrationsTableName: 'schema_migrations',
    synchronize: false,
    // `min`: the pool closes connections idle for 10 s but these two, so the first request after a
    // quiet spell (a person's action usually is one) does not open one (~2 ms here, more across a network).
    extra: { options: `-c search_path=${database.schema}`, max: 10, min: 2, connectionTimeoutMillis: 5_000 },
  };
}

/** The data source of the processes that use TypeORM without Nest. */
export function createDataSource(database: AppConfig['database']): DataSource {
  return new DataSource(dataSourceOptions(database));
}

/** Creates the schema when missing and applies pending migrations; returns the names applied. */
export async function migrate(dataSource: DataSource, schema: string): Promise<string[]> {
  await dataSource.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
  const applied = await dataSource.runMigrations({ transaction: 'each' });
  return applied.map((m) => m.name);
}
