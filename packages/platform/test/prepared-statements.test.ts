// Repeated data statements run as named prepared statements (parsed and planned once per connection).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DataSource } from 'typeorm';
import { openDatabase } from '../src/db/index.js';
import { testDatabase } from '../src/testing/database.js';

let db: { url: string; drop(): Promise<void> };

beforeAll(async () => {
  db = await testDatabase();
});
afterAll(async () => {
  await db.drop();
});

/** The statements the (only) session of a pool of one holds prepared. */
async function preparedOf(ds: DataSource): Promise<string[]> {
  const rows: { statement: string }[] = await ds.query(`SELECT statement FROM pg_prepared_statements WHERE NOT from_sql ORDER BY prepare_time`);
  return rows.map((r) => r.statement);
}

describe('prepared statements', () => {
  it('prepares a parameterised data statement once per connection and leaves statements without parameters unnamed', async () => {
    const ds = await openDatabase({ url: db.url, poolSize: 1 });
    try {
      await ds.query(`CREATE TABLE IF NOT EXISTS gadget (id int PRIMARY KEY, name text)`);
      for (let i = 0; i < 3; i++) await ds.query(`INSERT INTO gadget (id, name) VALUES ($1, $2)`, [i, `g${i}`]);
      const rows: { name: string }[] = await ds.query(`SELECT name FROM gadget WHERE id = $1`, [2]);
      expect(rows).toEqual([{ name: 'g2' }]);
      await ds.query(`SELECT count(*) FROM gadget`);
      const prepared = await preparedOf(ds);
      expect(prepared).toEqual([`INSERT INTO gadget (id, name) VALUES ($1, $2)`, `SELECT name FROM gadget WHERE id = $1`]);
    } finally {
      await ds.destroy();
    }
  });

  it('prepares a statement afresh when a table changed under a prepared SELECT * (another replica migrated)', async () => {
    const ds = await openDatabase({ url: db.url, poolSize: 1 });
    try {
      await ds.query(`CREATE TABLE sprocket (id int PRIMARY KEY)`);
      await ds.query(`INSERT INTO sprocket (id) VALUES (1)`);
      expect(await ds.query(`SELECT * FROM sprocket WHERE id = $1`, [1])).toEqual([{ id: 1 }]);
      await ds.query(`ALTER TABLE sprocket ADD COLUMN teeth int NOT NULL DEFAULT 12`);
      // The statement prepared before the change can no longer run: PostgreSQL refuses it once (SQLSTATE 0A000)…
      await expect(ds.query(`SELECT * FROM sprocket WHERE id = $1`, [1])).rejects.toMatchObject({ code: '0A000' });
      // …and the next call prepares it again and sees the new column.
      expect(await ds.query(`SELECT * FROM sprocket WHERE id = $1`, [1])).toEqual([{ id: 1, teeth: 12 }]);
    } finally {
      await ds.destroy();
    }
  });

  it('prepares nothing when turned off (for a pooler that does not keep prepared statements)', async () => {
    const ds = await openDatabase({ url: db.url, poolSize: 1, prepareStatements: false });
    try {
      for (let i = 0; i < 3; i++) await ds.query(`SELECT $1::int + 1 AS n`, [i]);
      expect(await preparedOf(ds)).toEqual([]);
    } finally {
      await ds.destroy();
    }
  });
});
