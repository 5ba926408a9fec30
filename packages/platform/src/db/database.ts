import pg from 'pg';
import { DataSource } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver.js';
import type { Logger } from '../logger.js';
import type { ClassRef } from './class-ref.js';
import { platformEntities } from './entities/index.js';
import { platformMigrations } from './migrations/index.js';
import { PinoTypeOrmLogger } from './typeorm-logger.js';
import { prepareRepeatedStatements } from './prepared-statements.js';
import { DEFAULT_ISOLATION_SESSIONS } from './transaction.js';

export interface DatabaseOptions {
  url: string;
  /** The service's TypeORM entities (the platform's own are added in front). */
  entities?: ClassRef[];
  /** The service's migrations; their timestamps must be newer than the platform's (1764000000000). */
  migrations?: ClassRef[];
  poolSize?: number;
  applicationName?: string;
  logger?: Logger;
  /** Slow-query threshold for the logger, in ms (default 1000). */
  slowQueryMs?: number;
  /**
   * Named prepared statements for repeated data statements (default true). Off behind a pooler that does not keep
   * prepared statements across transactions (PgBouncer in transaction mode before 1.21).
   */
  prepareStatements?: boolean;
}

// Any fixed int8 will do; it only has to be the same in every replica of every service.
const MIGRATION_LOCK_KEY = 7_312_001;

/**
 * Opens the service's database and brings its schema up to date. `synchronize` is never on: the schema changes only
 * through checked-in migrations, each in its own transaction.
 */
export async function openDatabase(opts: DatabaseOptions): Promise<DataSource> {
  const ds = new DataSource({
    type: 'postgres',
    url: opts.url,
    applicationName: opts.applicationName,
    poolSize: opts.poolSize,
    entities: [...platformEntities, ...(opts.entities ?? [])],
    migrations: [...platformMigrations, ...(opts.migrations ?? [])],
    migrationsRun: false,
    migrationsTransactionMode: 'each',
    synchronize: false,
    maxQueryExecutionTime: opts.slowQueryMs ?? 1000,
    // Every session starts READ COMMITTED whatever the server's default, so a READ COMMITTED transaction is begun
    // with one statement instead of two (see inTransaction): a round trip saved on every command of every service.
    extra: { options: DEFAULT_ISOLATION_SESSIONS },
    ...(opts.logger ? { logger: new PinoTypeOrmLogger(opts.logger), logging: ['error', 'warn', 'migration'] as const } : {}),
  });
  await ds.initialize();
  try {
    await runMigrationsExclusively(ds, opts.url);
  } catch (err) {
    await ds.destroy();
    throw err;
  }
  // After the migrations: a statement prepared before them could see a table change under it.
  if (opts.prepareStatements ?? true) prepareRepeatedStatements((ds.driver as PostgresDriver).master as pg.Pool);
  return ds;
}

/**
 * Replicas starting together would otherwise race on the same migration. The lock sits on a connection of its own,
 * outside the pool, so even a pool of one cannot deadlock against it.
 */
async function runMigrationsExclusively(ds: DataSource, url: string): Promise<void> {
  const lock = new pg.Client({ connectionString: url, application_name: 'migration-lock' });
  await lock.connect();
  try {
    await lock.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    await ds.runMigrations({ transaction: 'each' });
  } finally {
    // Closing the session releases the advisory lock as well.
    await lock.end();
  }
}
