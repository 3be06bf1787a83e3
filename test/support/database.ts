import { randomBytes } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { LOCAL_DEFAULTS } from '../../platform/config';
import { createDataSource, migrate } from '../../platform/database/data-source';

export interface TestDatabase {
  dataSource: DataSource;
  url: string;
  schema: string;
  drop(): Promise<void>;
}

/** The machine's real PostgreSQL (DATABASE_URL), in a fresh schema that this test owns and drops. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const url = process.env.DATABASE_URL ?? LOCAL_DEFAULTS.databaseUrl;
  const schema = `t_${randomBytes(6).toString('hex')}`;
  const dataSource = await createDataSource({ url, schema, urlGiven: true }).initialize();
  await migrate(dataSource, schema);
  return {
    dataSource,
    url,
    schema,
    async drop() {
      await dataSource.query(`DROP SCHEMA "${schema}" CASCADE`);
      await dataSource.destroy();
    },
  };
}
