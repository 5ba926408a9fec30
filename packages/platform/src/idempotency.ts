import type { EntityManager, MigrationInterface, QueryRunner } from 'typeorm';
import { renumberParameters } from './db/deferred-writes.js';
import { deferWrite } from './db/transaction.js';
import { alreadyExists, invalidArgument } from './errors.js';
import type { Caller } from './identity.js';

// Mutating RPCs carry a request id; repeating it returns the first answer instead of acting twice. The key is the
// caller's department plus the request id, so two departments can never collide.
export class RequestLogTable1764000000500 implements MigrationInterface {
  name = 'RequestLogTable1764000000500';
  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE request_log (
        department text NOT NULL,
        request_id text NOT NULL,
        method     text NOT NULL,
        response   bytea,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (department, request_id)
      )`);
  }
  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE request_log`);
  }
}

export interface ResponseCodec<T> {
  encode(value: T): Uint8Array;
  decode(bytes: Uint8Array): T;
}

/** Stores an answer as JSON; `revive` restores what JSON cannot carry (dates). */
export function jsonCodec<T>(revive: (plain: T) => T = (plain) => plain): ResponseCodec<T> {
  return {
    encode: (value) => Buffer.from(JSON.stringify(value), 'utf8'),
    decode: (bytes) => revive(JSON.parse(Buffer.from(bytes).toString('utf8')) as T),
  };
}

const MAX_REQUEST_ID = 128;

export interface IdempotencyKey {
  caller: Caller;
  requestId: string;
  method: string;
}

// The claim: a row per (department, request id). A concurrent claim of the same key waits here for the first one's
// transaction to end.
const CLAIM = `INSERT INTO request_log (department, request_id, method) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING RETURNING 1`;

/**
 * The first read of a command, sent in the statement that claims its request id: a round trip less per command.
 * `map` receives the rows as `json_agg` gives them (timestamps as ISO text, bigint as numbers) and in no promised
 * order: meant for a read of one row, or of rows whose order does not matter.
 */
export interface FirstRead<R> {
  sql: string;
  params: unknown[];
  map(rows: Record<string, unknown>[]): R;
}

/**
 * Runs `act` once per (caller department, request id) inside the caller's transaction `em`. A second call with the
 * same id waits for the first transaction (unique key) and returns its stored answer; if the first rolled back,
 * the second acts. With `firstRead`, the command's first read goes in the claim's statement and `act` gets its result
 * (a replay discards it; a lock the read took is held to the end of the transaction either way).
 */
export async function idempotent<T>(em: EntityManager, key: IdempotencyKey, codec: ResponseCodec<T>, act: () => Promise<T>): Promise<T>;
export async function idempotent<T, R>(
  em: EntityManager,
  key: IdempotencyKey,
  codec: ResponseCodec<T>,
  act: (read: R) => Promise<T>,
  firstRead: FirstRead<R>,
): Promise<T>;
export async function idempotent<T, R>(
  em: EntityManager,
  key: IdempotencyKey,
  codec: ResponseCodec<T>,
  act: (read?: R) => Promise<T>,
  firstRead?: FirstRead<R>,
): Promise<T> {
  const requestId = key.requestId.trim();
  if (requestId === '' || requestId.length > MAX_REQUEST_ID) {
    throw invalidArgument([
      { field: 'request_id', reason: requestId === '' ? 'REQUIRED' : 'FIELD_TOO_LONG', message: `请求编号必填，且不超过${MAX_REQUEST_ID}个字符` },
    ]);
  }
  const claimParams = [key.caller.department, requestId, key.method];
  let claimed: boolean;
  let read: R | undefined;
  if (firstRead) {
    const [row] = (await em.query(
      `WITH claim AS (${CLAIM}), r AS (${renumberParameters(firstRead.sql, claimParams.length)})
       SELECT (SELECT count(*)::int FROM claim) AS claimed, (SELECT coalesce(json_agg(r), '[]'::json) FROM r) AS rows`,
      [...claimParams, ...firstRead.params],
    )) as { claimed: number; rows: Record<string, unknown>[] }[];
    claimed = row!.claimed > 0;
    if (claimed) read = firstRead.map(row!.rows);
  } else {
    claimed = ((await em.query(CLAIM, claimParams)) as unknown[]).length > 0;
  }
  if (!claimed) {
    const [seen] = (await em.query(
      `SELECT method, response FROM request_log WHERE department = $1 AND request_id = $2`,
      [key.caller.department, requestId],
    )) as Array<{ method: string; response: Buffer | null }>;
    if (!seen || seen.method !== key.method || seen.response === null) {
      throw alreadyExists('REQUEST_ID_REUSED', `请求编号 ${requestId} 已用于另一操作`, [
        { field: 'request_id', reason: 'REQUEST_ID_REUSED', message: '请求编号已被使用' },
      ]);
    }
    return codec.decode(seen.response);
  }
  const result = await act(read);
  // Sent with the command's other writes at COMMIT: the claimed row is locked until then anyway.
  await deferWrite(em, {
    sql: `UPDATE request_log SET response = $3 WHERE department = $1 AND request_id = $2`,
    params: [key.caller.department, requestId, Buffer.from(codec.encode(result))],
  });
  return result;
}
