import pg from 'pg';
import type { EntityManager, MigrationInterface, QueryRunner } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DataSource } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver.js';
import { afterCommit, copyRows, deferWrite, ensureDatabase, inTransaction, jsonParameter, openDatabase } from '../src/db/index.js';
import { idempotent, jsonCodec } from '../src/idempotency.js';
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

/** The text of every statement the pool's connections send from now on. */
function statementsSent(ds: DataSource): string[] {
  const sent: string[] = [];
  const wrapped = new WeakSet<object>();
  ((ds.driver as PostgresDriver).master as pg.Pool).on('acquire', (client) => {
    if (wrapped.has(client)) return;
    wrapped.add(client);
    const query = client.query.bind(client) as (...args: unknown[]) => unknown;
    (client as unknown as { query: unknown }).query = (config: unknown, ...rest: unknown[]) => {
      sent.push(typeof config === 'string' ? config : (config as { text: string }).text);
      return query(config, ...rest);
    };
  });
  return sent;
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

  describe('deferred writes', () => {
    let ds: DataSource;
    beforeAll(async () => {
      ds = await openDatabase({ url: db.url });
      await ds.query('CREATE TABLE IF NOT EXISTS deferred_probe (id int PRIMARY KEY, v text NOT NULL)');
    });
    afterAll(async () => {
      await ds.destroy();
    });
    const probe = async () => ((await ds.query('SELECT id, v FROM deferred_probe ORDER BY id')) as { id: number; v: string }[]);

    it('sends the writes queued in a transaction as one statement before COMMIT, with each one’s RETURNING rows', async () => {
      await ds.query('TRUNCATE deferred_probe');
      await ds.query(`INSERT INTO deferred_probe VALUES (1, 'old')`);
      const sent = statementsSent(ds);
      const returned: unknown[] = [];
      await inTransaction(ds, async (em) => {
        await deferWrite(em, { sql: 'INSERT INTO deferred_probe (id, v) VALUES ($1, $2)', params: [2, 'two'] });
        await deferWrite(em, { sql: 'UPDATE deferred_probe SET v = $2 WHERE id = $1 RETURNING id, v', params: [1, 'new'], onRows: (rows) => returned.push(...rows) });
        await deferWrite(em, { sql: 'INSERT INTO deferred_probe (id, v) SELECT * FROM unnest($1::int[], $2::text[])', params: [[3, 4], ['three', 'four']] });
        // Nothing is sent until the function is done.
        expect(await probe()).toEqual([{ id: 1, v: 'old' }]);
      });
      expect(sent.filter((sql) => !/^\s*SELECT id, v FROM deferred_probe/.test(sql))).toEqual([
        'START TRANSACTION',
        expect.stringMatching(/^WITH w0 AS \(INSERT INTO deferred_probe/),
        'COMMIT',
      ]);
      expect(returned).toEqual([{ id: 1, v: 'new' }]);
      expect(await probe()).toEqual([{ id: 1, v: 'new' }, { id: 2, v: 'two' }, { id: 3, v: 'three' }, { id: 4, v: 'four' }]);
    });

    it('sends the queue before any later statement of the transaction, which therefore sees the writes', async () => {
      await ds.query('TRUNCATE deferred_probe');
      const seen = await inTransaction(ds, async (em) => {
        await deferWrite(em, { sql: 'INSERT INTO deferred_probe (id, v) VALUES ($1, $2)', params: [1, 'queued'] });
        return (await em.query('SELECT v FROM deferred_probe WHERE id = 1')) as { v: string }[];
      });
      expect(seen).toEqual([{ v: 'queued' }]);
    });

    it('rolls the whole transaction back when a queued write fails, and runs no commit hook', async () => {
      await ds.query('TRUNCATE deferred_probe');
      await ds.query(`INSERT INTO deferred_probe VALUES (1, 'there')`);
      let hooked = false;
      await expect(
        inTransaction(ds, async (em) => {
          await em.query(`INSERT INTO deferred_probe VALUES (2, 'sent at once')`);
          await deferWrite(em, { sql: 'INSERT INTO deferred_probe (id, v) VALUES ($1, $2)', params: [3, 'queued'] });
          await deferWrite(em, { sql: 'INSERT INTO deferred_probe (id, v) VALUES ($1, $2)', params: [1, 'duplicate'] });
          afterCommit(em, () => (hooked = true));
        }),
      ).rejects.toThrow(/duplicate key/);
      expect(hooked).toBe(false);
      expect(await probe()).toEqual([{ id: 1, v: 'there' }]);
    });

    it('rolls back when a write’s onRows refuses what came back', async () => {
      await ds.query('TRUNCATE deferred_probe');
      await expect(
        inTransaction(ds, async (em) => {
          await em.query(`INSERT INTO deferred_probe VALUES (1, 'kept?')`);
          await deferWrite(em, {
            sql: 'UPDATE deferred_probe SET v = $2 WHERE id = $1 RETURNING 1',
            params: [99, 'nobody'],
            onRows: (rows) => {
              if (rows.length === 0) throw new Error('row 99 is not there');
            },
          });
        }),
      ).rejects.toThrow('row 99 is not there');
      expect(await probe()).toEqual([]);
    });

    it('never sends the queue of a transaction whose function throws', async () => {
      await ds.query('TRUNCATE deferred_probe');
      const sent = statementsSent(ds);
      await expect(
        inTransaction(ds, async (em) => {
          await deferWrite(em, { sql: 'INSERT INTO deferred_probe (id, v) VALUES ($1, $2)', params: [1, 'never'] });
          throw new Error('changed my mind');
        }),
      ).rejects.toThrow('changed my mind');
      expect(sent).toEqual(['START TRANSACTION', 'ROLLBACK']);
    });

    it('refuses, where it is queued, a statement that cannot go in a WITH', async () => {
      let after = false;
      await expect(
        inTransaction(ds, async (em) => {
          await deferWrite(em, { sql: 'SELECT pg_notify($1, $2)', params: ['c', ''] });
          after = true;
        }),
      ).rejects.toThrow(/only INSERT, UPDATE or DELETE/);
      expect(after).toBe(false);
    });

    it('sends a write at once outside inTransaction, with its RETURNING rows', async () => {
      await ds.query('TRUNCATE deferred_probe');
      const returned: unknown[] = [];
      await deferWrite(ds.manager, { sql: 'INSERT INTO deferred_probe (id, v) VALUES ($1, $2) RETURNING id', params: [5, 'now'], onRows: (rows) => returned.push(...rows) });
      expect(returned).toEqual([{ id: 5 }]);
      expect(await probe()).toEqual([{ id: 5, v: 'now' }]);
    });
  });

  describe('idempotent with a first read', () => {
    let ds: DataSource;
    beforeAll(async () => {
      ds = await openDatabase({ url: db.url });
      await ds.query('CREATE TABLE IF NOT EXISTS counter (id int PRIMARY KEY, n int NOT NULL, at timestamptz NOT NULL)');
      await ds.query(`INSERT INTO counter VALUES (1, 0, '2026-11-27T08:00:00.123Z') ON CONFLICT DO NOTHING`);
    });
    afterAll(async () => {
      await ds.destroy();
    });
    const caller = { department: 'court', role: 'department' as const, subject: 'officer' };
    const counterRead = {
      sql: 'SELECT id, n, at FROM counter WHERE id = $1 FOR UPDATE',
      params: [1],
      map: (rows: Record<string, unknown>[]) => (rows[0] ? { n: rows[0].n as number, at: new Date(rows[0].at as string) } : undefined),
    };
    const bump = (requestId: string, acted: { n: number }) =>
      inTransaction(ds, (em) =>
        idempotent(em, { caller, requestId, method: 'Bump' }, jsonCodec<{ n: number }>(), async (row) => {
          acted.n += 1;
          await em.query('UPDATE counter SET n = $2 WHERE id = $1', [1, row!.n + 1]);
          return { n: row!.n + 1 };
        }, counterRead),
      );

    it('claims the request id and reads in one statement, and gives the read to the command', async () => {
      const sent = statementsSent(ds);
      let seen: unknown;
      await inTransaction(ds, (em) =>
        idempotent(em, { caller, requestId: 'read-once', method: 'Look' }, jsonCodec<boolean>(), async (row) => ((seen = row), true), counterRead),
      );
      expect(seen).toEqual({ n: expect.any(Number), at: new Date('2026-11-27T08:00:00.123Z') });
      expect(sent.filter((sql) => /request_log|counter/.test(sql))).toEqual([
        expect.stringMatching(/^WITH claim AS \(INSERT INTO request_log .*\), r AS \(SELECT id, n, at FROM counter WHERE id = \$4 FOR UPDATE\)/s),
        expect.stringMatching(/^UPDATE request_log SET response/),
      ]);
    });

    it('acts once for a request id sent many times at once, and answers every one with the first answer', async () => {
      const acted = { n: 0 };
      const [before] = (await ds.query('SELECT n FROM counter WHERE id = 1')) as { n: number }[];
      const answers = await Promise.all(Array.from({ length: 6 }, () => bump('bump-once', acted)));
      expect(acted.n).toBe(1);
      expect(answers).toEqual(Array(6).fill({ n: before!.n + 1 }));
      expect(await ds.query('SELECT n FROM counter WHERE id = 1')).toEqual([{ n: before!.n + 1 }]);
      // A later one with the same id: the stored answer, without acting.
      expect(await bump('bump-once', acted)).toEqual({ n: before!.n + 1 });
      expect(acted.n).toBe(1);
    });
  });

  it('passes a JSON parameter as bytes that PostgreSQL reads as json, strings kept exactly', async () => {
    const ds = await openDatabase({ url: db.url });
    try {
      const rows = [
        { name: `O'Brien "x" \\ 拉萨'); DROP TABLE outbox; --`, codes: ['a,b', '{c}'], n: 1 },
        { name: '', codes: [], n: 2 },
      ];
      const asJson: { name: string; codes: string[]; n: number }[] = await ds.query(
        `SELECT name, codes, n FROM json_to_recordset($1::json) AS r(name text, codes text[], n int) ORDER BY n`,
        [jsonParameter(rows)],
      );
      expect(asJson).toEqual(rows);
      const [asJsonb] = await ds.query(`SELECT $1::json::jsonb AS v`, [jsonParameter({ b: rows[0], a: null })]);
      expect(asJsonb.v).toEqual({ a: null, b: rows[0] });
      expect(() => jsonParameter(undefined)).toThrow(/no JSON form/);
    } finally {
      await ds.destroy();
    }
  });

  it('copies rows into a table whole or not at all, strings and arrays kept exactly', async () => {
    const ds = await openDatabase({ url: db.url });
    const pool = (ds.driver as PostgresDriver).master as pg.Pool;
    try {
      await ds.query(`CREATE TABLE copied (id int PRIMARY KEY, name text, codes text[] NOT NULL, at timestamptz, big bigint, ok boolean)`);
      const nasty = `O'Brien "x" \\ \\N \t tab \n line \r 拉萨'); DROP TABLE copied; --`;
      const at = new Date('2026-11-27T08:09:10.123Z');
      await copyRows(ds, 'copied', ['id', 'name', 'codes', 'at', 'big', 'ok'], [
        [1, nasty, ['a,b', '{c}', '"d"', 'NULL', 'back\\slash', 'tab\there', ' '], at, 9_007_199_254_740_993n, true],
        [2, null, [], null, null, false],
        [3, '', [nasty], at, 0, null],
      ]);
      expect(await ds.query(`SELECT id, name, codes, at, big, ok FROM copied ORDER BY id`)).toEqual([
        { id: 1, name: nasty, codes: ['a,b', '{c}', '"d"', 'NULL', 'back\\slash', 'tab\there', ' '], at, big: '9007199254740993', ok: true },
        { id: 2, name: null, codes: [], at: null, big: null, ok: false },
        { id: 3, name: '', codes: [nasty], at, big: '0', ok: null },
      ]);

      // A batch with one row the table refuses stores none of its rows, and the connection serves the next statement.
      const refused = copyRows(ds, 'copied', ['id', 'name', 'codes'], [
        [4, 'new', []],
        [1, 'again', []],
      ]);
      await expect(refused).rejects.toMatchObject({ code: '23505' });
      await expect(copyRows(ds, 'copied', ['id', 'codes'], [[5, null]])).rejects.toMatchObject({ code: '23502' });
      expect(await ds.query(`SELECT id FROM copied ORDER BY id`)).toEqual([{ id: 1 }, { id: 2 }, { id: 3 }]);
      expect(pool.totalCount - pool.idleCount).toBe(0);
      await copyRows(ds, 'copied', ['id', 'codes'], [[4, ['後']]]);
      expect(await ds.query(`SELECT codes FROM copied WHERE id = 4`)).toEqual([{ codes: ['後'] }]);

      // Names go into the statement as they are, so only plain identifiers are taken; rows must fit the columns.
      await expect(copyRows(ds, 'copied; DROP TABLE copied', ['id'], [[6]])).rejects.toThrow(/plain lower-case SQL identifier/);
      await expect(copyRows(ds, 'copied', ['id', '"name"'], [[6, 'x']])).rejects.toThrow(/plain lower-case SQL identifier/);
      await expect(copyRows(ds, 'copied', ['id', 'name'], [[6]])).rejects.toThrow(/1 values for 2 columns/);
      expect(await ds.query(`SELECT count(*)::int AS n FROM copied`)).toEqual([{ n: 4 }]);
    } finally {
      await ds.query(`DROP TABLE IF EXISTS copied`);
      await ds.destroy();
    }
  });

  it('skips the rows already stored when asked to, storing the rest once and leaving the stored ones as they were', async () => {
    const ds = await openDatabase({ url: db.url });
    const pool = (ds.driver as PostgresDriver).master as pg.Pool;
    try {
      await ds.query(`CREATE TABLE copied_again (id int PRIMARY KEY, name text NOT NULL)`);
      await copyRows(ds, 'copied_again', ['id', 'name'], [[1, 'first'], [2, 'first']]);
      // A batch sent again with new rows, one of them twice: the stored rows stay, the new ones are stored once.
      await copyRows(ds, 'copied_again', ['id', 'name'], [[1, 'again'], [2, 'again'], [3, 'new\tone'], [3, 'new\tone']], { skipExisting: true });
      expect(await ds.query(`SELECT id, name FROM copied_again ORDER BY id`)).toEqual([
        { id: 1, name: 'first' },
        { id: 2, name: 'first' },
        { id: 3, name: 'new\tone' },
      ]);
      // Other refusals still refuse the whole batch, and the connection goes back to the pool usable.
      await expect(copyRows(ds, 'copied_again', ['id', 'name'], [[1, 'x'], [4, null]], { skipExisting: true })).rejects.toMatchObject({ code: '23502' });
      expect(await ds.query(`SELECT count(*)::int AS n FROM copied_again`)).toEqual([{ n: 3 }]);
      expect(pool.totalCount - pool.idleCount).toBe(0);
      await copyRows(ds, 'copied_again', ['id', 'name'], [[4, 'four']], { skipExisting: true });
      expect(await ds.query(`SELECT count(*)::int AS n FROM copied_again`)).toEqual([{ n: 4 }]);
    } finally {
      await ds.query(`DROP TABLE IF EXISTS copied_again`);
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
