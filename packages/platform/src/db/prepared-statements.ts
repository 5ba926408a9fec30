// Named prepared statements for the statements a service sends again and again. With the unnamed statement that
// node-postgres uses by default, PostgreSQL parses and plans every execution: on the reference machine that was two
// thirds of the server time of a list decision's statements (parse 158 ms, bind/plan 167 ms, execute 162 ms per 100
// decisions). A named statement is parsed once per connection and its plan is cached.
import { createHash } from 'node:crypto';
import type pg from 'pg';

// Only data statements are worth preparing; DDL and transaction control are sent as they are.
const PREPARABLE = /^\s*(SELECT|INSERT|UPDATE|DELETE|WITH)\b/i;
// A service's statements are a fixed set; a text generated with varying shape (an IN list of n values) would each get
// a statement on every connection, so naming stops at this many distinct texts (the rest go unnamed).
const MAX_NAMED_TEXTS = 1_000;
// SQLSTATE 0A000, "cached plan must not change result type": a `SELECT *` prepared before another replica's
// migration changed the table. The statement is prepared afresh under a new name on that connection.
const PLAN_RESULT_CHANGED = '0A000';

const names = new Map<string, string>();

function nameOf(text: string): string | undefined {
  const known = names.get(text);
  if (known !== undefined || names.size >= MAX_NAMED_TEXTS) return known;
  const name = `s_${createHash('sha1').update(text).digest('hex').slice(0, 16)}`;
  names.set(text, name);
  return name;
}

type Query = (config: unknown, values?: unknown, callback?: unknown) => unknown;

function prepareOn(client: pg.PoolClient): void {
  const plain = client.query.bind(client) as Query;
  let generation = 0;
  const query: Query = (config, values, callback) => {
    if (typeof config !== 'string' || !Array.isArray(values) || values.length === 0 || callback !== undefined || !PREPARABLE.test(config)) {
      return plain(config, values, callback);
    }
    const name = nameOf(config);
    if (name === undefined) return plain(config, values);
    const result = plain({ name: generation === 0 ? name : `${name}_${generation}`, text: config, values }) as Promise<unknown>;
    return result.catch((err: unknown) => {
      if ((err as { code?: string }).code === PLAN_RESULT_CHANGED) generation += 1;
      throw err;
    });
  };
  (client as unknown as { query: Query }).query = query;
}

/** Makes every connection of the pool prepare its repeated data statements (see the top of this file). */
export function prepareRepeatedStatements(pool: pg.Pool): void {
  const prepared = new WeakSet<object>();
  pool.on('acquire', (client) => {
    if (prepared.has(client)) return;
    prepared.add(client);
    prepareOn(client);
  });
}
