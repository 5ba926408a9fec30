import pg from 'pg';
import type { EntityManager, MigrationInterface, QueryRunner } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureDatabase, inTransaction, openDatabase } from '../src/db/index.js';
import { testDatabase } from '../src/testing/database.js';

class ServiceWidgets1765000000000 implements MigrationInterface {
  name = 'ServiceWidgets1765000000000';
  async up(q: QueryRunner): Promise<void> {
    // Fails unless the platform migration ran first: it relies on the outbox table.
    await q.query(`CREATE TABLE widget (id int PRIMARY KEY, outbox_id bigint REFERENCES outbox (id))`);
  }
  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE widget`);
  }
}

describe('database', () => {
  let db: { url: string; drop(): Promise<void> };

  beforeAll(async () => {
    db = await testDatabase();
  });
  afterAll(async () => {
    await db.drop();
  });

  it('runs the platform migrations before the service migrations and records both', async () => {
    const ds = await openDatabase({ url: db.url, migrations: [ServiceWidgets1765000000000], applicationName: 'db-test' });
    try {
      const ran: { name: string }[] = await ds.query('SELECT name FROM migrations ORDER BY id');
      expect(ran.map((r) => r.name)).toEqual(['PlatformTables1764000000000', 'RequestLogTable1764000000500', 'AuditChainedAfterCommit1764000000600', 'ServiceWidgets1765000000000']);
      const tables: { table_name: string }[] = await ds.query(
        `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name`,
      );
      expect(tables.map((t) => t.table_name)).toEqual(
        expect.arrayContaining(['audit_log', 'dead_letter', 'inbox', 'outbox', 'widget']),
      );
    } finally {
      await ds.destroy();
    }
  });

  it('opens an already migrated database without running anything again', async () => {
    const ds = await openDatabase({ url: db.url, migrations: [ServiceWidgets1765000000000] });
    try {
      const [row] = await ds.query('SELECT count(*)::int AS n FROM migrations');
      expect(row.n).toBe(4);
    } finally {
      await ds.destroy();
    }
  });

  it('lets replicas that start together migrate one fresh database without a clash', async () => {
    const fresh = await testDatabase();
    try {
      const sources = await Promise.all(
        [1, 2, 3].map(() => openDatabase({ url: fresh.url, migrations: [ServiceWidgets1765000000000], poolSize: 1 })),
      );
      const [row] = await sources[0]!.query('SELECT count(*)::int AS n FROM migrations');
      expect(row.n).toBe(4);
      await Promise.all(sources.map((s) => s.destroy()));
    } finally {
      await fresh.drop();
    }
  });

  it('commits a transaction whose function resolves and rolls back one whose function throws', async () => {
    const ds = await openDatabase({ url: db.url });
    try {
      await ds.query('CREATE TABLE IF NOT EXISTS tx_probe (v text)');
      await inTransaction(ds, (em) => em.query(`INSERT INTO tx_probe VALUES ('kept')`));
      await expect(
        inTransaction(ds, async (em) => {
          await em.query(`INSERT INTO tx_probe VALUES ('lost')`);
          throw new Error('boom');
        }),
      ).rejects.toThrow('boom');
      const rows: { v: string }[] = await ds.query('SELECT v FROM tx_probe');
      expect(rows.map((r) => r.v)).toEqual(['kept']);
    } finally {
      await ds.destroy();
    }
  });

  it('runs the transaction at the isolation level asked for', async () => {
    const ds = await openDatabase({ url: db.url });
    try {
      const level = await inTransaction(
        ds,
        async (em) => ((await em.query('SHOW transaction_isolation')) as { transaction_isolation: string }[])[0],
        { isolation: 'SERIALIZABLE' },
      );
      expect(level?.transaction_isolation).toBe('serializable');
    } finally {
      await ds.destroy();
    }
  });

  it('runs READ COMMITTED by default, with one statement to begin, even where the database defaults to another level', async () => {
    const name = new URL(db.url).pathname.slice(1);
    const admin = new pg.Client({ connectionString: db.url });
    await admin.connect();
    await admin.query(`ALTER DATABASE "${name}" SET default_transaction_isolation = 'serializable'`);
    const ds = await openDatabase({ url: db.url });
    try {
      // TypeORM sends START TRANSACTION, then SET TRANSACTION ISOLATION LEVEL when it is given a level: inTransaction
      // must give none at the default level.
      const levelsGiven: unknown[] = [];
      const transaction = ds.transaction.bind(ds) as (...args: unknown[]) => Promise<unknown>;
      ds.transaction = ((...args: unknown[]) => (levelsGiven.push(typeof args[0] === 'string' ? args[0] : null), transaction(...args))) as typeof ds.transaction;
      const show = async (em: EntityManager) => ((await em.query('SHOW transaction_isolation')) as { transaction_isolation: string }[])[0]?.transaction_isolation;
      // The session option wins over the database's default.
      expect(await inTransaction(ds, show)).toBe('read committed');
      expect(await inTransaction(ds, show, { isolation: 'REPEATABLE READ' })).toBe('repeatable read');
      expect(levelsGiven).toEqual([null, 'REPEATABLE READ']);
    } finally {
      await ds.destroy();
      await admin.query(`ALTER DATABASE "${name}" RESET default_transaction_isolation`);
      await admin.end();
    }
  });

  it('creates a missing database once even when several processes ask at the same time', async () => {
    const scratch = await testDatabase();
    await scratch.drop();
    try {
      await Promise.all([ensureDatabase(scratch.url), ensureDatabase(scratch.url), ensureDatabase(scratch.url)]);
      await ensureDatabase(scratch.url);
      const client = new pg.Client({ connectionString: scratch.url });
      await client.connect();
      const { rows } = await client.query('SELECT current_database() AS name');
      await client.end();
      expect(rows[0].name).toBe(new URL(scratch.url).pathname.slice(1));
    } finally {
      await scratch.drop();
    }
  });
});
