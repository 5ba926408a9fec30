import { describe, expect, it } from 'vitest';
import { combineWrites } from './deferred-writes.js';

describe('combineWrites', () => {
  it('sends a lone write as it is', () => {
    const [c, ...rest] = combineWrites([{ sql: 'INSERT INTO t (a) VALUES ($1)', params: [1] }]);
    expect(rest).toEqual([]);
    expect(c!.sql).toBe('INSERT INTO t (a) VALUES ($1)');
    expect(c!.params).toEqual([1]);
  });

  it('runs the earlier writes as WITH queries of the last, renumbering their parameters', () => {
    const [c] = combineWrites([
      { sql: 'INSERT INTO t (a, b) VALUES ($1, $2)', params: ['x', 'y'] },
      { sql: 'UPDATE u SET v = $2 WHERE id = $1 AND w = $1', params: [7, 'z'] },
      { sql: 'DELETE FROM d WHERE id = $1', params: [9] },
    ]);
    expect(c!.sql).toBe(
      'WITH w0 AS (INSERT INTO t (a, b) VALUES ($1, $2)), w1 AS (UPDATE u SET v = $4 WHERE id = $3 AND w = $3) DELETE FROM d WHERE id = $5',
    );
    expect(c!.params).toEqual(['x', 'y', 7, 'z', 9]);
  });

  it('hands each write that asks for them its own RETURNING rows', () => {
    const got: Record<number, unknown[]> = {};
    const [c] = combineWrites([
      { sql: 'INSERT INTO a VALUES ($1) RETURNING id', params: [1], onRows: (rows) => (got[0] = rows) },
      { sql: 'INSERT INTO b VALUES ($1)', params: [2] },
      { sql: 'UPDATE c SET x = $1 RETURNING 1', params: [3], onRows: (rows) => (got[2] = rows) },
    ]);
    expect(c!.sql).toBe(
      'WITH w0 AS (INSERT INTO a VALUES ($1) RETURNING id), w1 AS (INSERT INTO b VALUES ($2)), w2 AS (UPDATE c SET x = $3 RETURNING 1) ' +
        'SELECT 0 AS w, to_json(w0) AS r FROM w0 UNION ALL SELECT 2 AS w, to_json(w2) AS r FROM w2',
    );
    c!.deliver([
      { w: 0, r: { id: 10 } },
      { w: 0, r: { id: 11 } },
    ]);
    expect(got).toEqual({ 0: [{ id: 10 }, { id: 11 }], 2: [] });
  });

  it('splits where one statement would pass PostgreSQL’s 65,535 parameters', () => {
    const big = { sql: 'INSERT INTO t SELECT * FROM unnest($1::int[])', params: new Array(40_000).fill(0) };
    const out = combineWrites([big, big, { sql: 'DELETE FROM t WHERE a = $1', params: [1] }]);
    expect(out.map((c) => c.params.length)).toEqual([40_000, 40_001]);
    expect(out[1]!.sql).toContain('DELETE FROM t WHERE a = $40001');
  });

  it('refuses anything but one INSERT, UPDATE or DELETE', () => {
    expect(() => combineWrites([{ sql: 'SELECT pg_notify($1, $2)', params: ['a', ''] }])).toThrow(/only INSERT, UPDATE or DELETE/);
  });
});
