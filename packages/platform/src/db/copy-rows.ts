// Rows into a table by COPY … FROM STDIN (text format) on a connection of the pool. For append-only batches written
// off a request's path: PostgreSQL spends less a row on COPY than on INSERT … SELECT FROM json_to_recordset (no plan,
// no JSON to parse; the credit check log's figures are in BENCHMARKS.md, ninth session), and the CPU it saves is CPU
// the service shares on the same cores. COPY is one statement: a batch is stored whole or not at all. COPY has no
// ON CONFLICT; a batch that may be sent twice asks for `skipExisting` (below).
import { once } from 'node:events';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { DataSource } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver.js';

/** A column's value: text, a number, a time, a text array, or SQL NULL. */
export type CopyValue = string | number | bigint | boolean | Date | null | readonly string[];

const IDENTIFIER = /^[a-z_][a-z0-9_]*$/;

export interface CopyOptions {
  /**
   * Rows that would break a unique constraint are skipped instead of failing the batch: for a batch sent again after
   * a failure that may have come after its commit (a connection lost on the way back). Only then does it cost more:
   * the batch goes through a temporary table and INSERT … ON CONFLICT DO NOTHING, in one transaction.
   */
  skipExisting?: boolean;
}

const UNIQUE_VIOLATION = '23505';

export async function copyRows(
  ds: DataSource,
  table: string,
  columns: readonly string[],
  rows: readonly (readonly CopyValue[])[],
  opts: CopyOptions = {},
): Promise<void> {
  for (const name of [table, ...columns]) {
    if (!IDENTIFIER.test(name)) throw new TypeError(`copyRows: "${name}" is not a plain lower-case SQL identifier`);
  }
  if (rows.length === 0) return;
  const data = Buffer.from(copyText(rows, columns.length), 'utf8');
  const list = columns.join(', ');
  const pool = (ds.driver as PostgresDriver).master as pg.Pool;
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    try {
      await copyInto(client, `${table} (${list})`, data);
    } catch (err) {
      if (!opts.skipExisting || (err as { code?: unknown }).code !== UNIQUE_VIOLATION) throw err;
      await client.query('BEGIN');
      try {
        await client.query(`CREATE TEMP TABLE copy_rows_incoming (LIKE ${table}) ON COMMIT DROP`);
        await copyInto(client, `copy_rows_incoming (${list})`, data);
        await client.query(`INSERT INTO ${table} (${list}) SELECT ${list} FROM copy_rows_incoming ON CONFLICT DO NOTHING`);
        await client.query('COMMIT');
      } catch (inner) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw inner;
      }
    }
  } catch (err) {
    // A refused statement leaves the connection ready for the next one (the server ends it with ReadyForQuery); a
    // connection that failed under it is not, and is dropped from the pool.
    if (!(err instanceof Error && 'code' in err && typeof err.code === 'string' && /^[0-9A-Z]{5}$/.test(err.code))) broken = err as Error;
    throw err;
  } finally {
    client.release(broken);
  }
}

async function copyInto(client: pg.PoolClient, target: string, data: Buffer): Promise<void> {
  const sink = client.query(copyFrom(`COPY ${target} FROM STDIN`));
  const done = once(sink, 'finish');
  sink.end(data);
  await done;
}

/** COPY's text format: tab between columns, newline after each row, `\N` for NULL, backslash escapes. */
function copyText(rows: readonly (readonly CopyValue[])[], width: number): string {
  let out = '';
  for (const row of rows) {
    if (row.length !== width) throw new TypeError(`copyRows: a row has ${row.length} values for ${width} columns`);
    for (let i = 0; i < width; i++) {
      if (i > 0) out += '\t';
      out += field(row[i]!);
    }
    out += '\n';
  }
  return out;
}

function field(value: CopyValue): string {
  if (value === null) return '\\N';
  if (typeof value === 'string') return escapeText(value);
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'object') return escapeText(arrayLiteral(value));
  return String(value);
}

// Backslash, and the characters that would end a field or a row.
const HAS_SPECIAL = /[\\\t\n\r]/;
const SPECIAL = /[\\\t\n\r]/g;
const ESCAPED: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };

function escapeText(s: string): string {
  return HAS_SPECIAL.test(s) ? s.replace(SPECIAL, (c) => ESCAPED[c]!) : s;
}

/** A text[] literal with every element quoted, so commas, braces, spaces and the word NULL stay text. */
function arrayLiteral(values: readonly string[]): string {
  return `{${values.map((v) => `"${v.replace(/["\\]/g, '\\$&')}"`).join(',')}}`;
}
