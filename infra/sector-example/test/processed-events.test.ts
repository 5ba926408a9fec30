// The SDK's once() with its PostgreSQL store, on a real database: the event id and the work commit together.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { once, postgresProcessedEvents, type PgClientLike } from '@credit/sector-sdk';
import { testDatabase } from '@credit/platform/testing';
import { openDatabase } from '../src/db.js';

let db: { url: string; drop(): Promise<void> };
let pool: pg.Pool;

beforeAll(async () => {
  db = await testDatabase();
  pool = await openDatabase(db.url);
  await pool.query('CREATE TABLE work (event_id text)');
});

afterAll(async () => {
  await pool?.end();
  await db?.drop();
});

const count = async (sql: string) => Number((await pool.query<{ n: string }>(sql)).rows[0]!.n);

describe('once with postgresProcessedEvents', () => {
  it('does the work for the first delivery and nothing for a repeat', async () => {
    const store = postgresProcessedEvents(pool);
    const work = (tx: PgClientLike) => tx.query(`INSERT INTO work VALUES ('a')`);
    expect((await once(store, 'a', work)).done).toBe(true);
    expect((await once(store, 'a', work)).done).toBe(false);
    expect(await count(`SELECT count(*) AS n FROM work WHERE event_id = 'a'`)).toBe(1);
  });

  it('rolls back the event id with the work when the work fails', async () => {
    const store = postgresProcessedEvents(pool);
    await expect(
      once(store, 'b', async (tx) => {
        await tx.query(`INSERT INTO work VALUES ('b')`);
        throw new Error('business rule broken');
      }),
    ).rejects.toThrow('business rule broken');
    expect(await count(`SELECT count(*) AS n FROM processed_events WHERE event_id = 'b'`)).toBe(0);
    expect(await count(`SELECT count(*) AS n FROM work WHERE event_id = 'b'`)).toBe(0);
  });

  it('lets exactly one of two concurrent deliveries of one event do the work', async () => {
    const store = postgresProcessedEvents(pool);
    const results = await Promise.all(
      [1, 2].map(() =>
        once(store, 'c', async (tx) => {
          await tx.query(`INSERT INTO work VALUES ('c')`);
          await tx.query('SELECT pg_sleep(0.05)');
        }),
      ),
    );
    expect(results.filter((r) => r.done)).toHaveLength(1);
    expect(await count(`SELECT count(*) AS n FROM work WHERE event_id = 'c'`)).toBe(1);
  });

  it('refuses a table name that is not a plain identifier', () => {
    expect(() => postgresProcessedEvents(pool, { table: 'x; DROP TABLE work' })).toThrow('not a plain SQL identifier');
  });
});
