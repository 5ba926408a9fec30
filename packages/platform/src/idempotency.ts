import type { EntityManager, MigrationInterface, QueryRunner } from 'typeorm';
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

/**
 * Runs `act` once per (caller department, request id) inside the caller's transaction `em`. A second call with the
 * same id waits for the first transaction (unique key) and returns its stored answer; if the first rolled back,
 * the second acts.
 */
export async function idempotent<T>(
  em: EntityManager,
  key: { caller: Caller; requestId: string; method: string },
  codec: ResponseCodec<T>,
  act: () => Promise<T>,
): Promise<T> {
  const requestId = key.requestId.trim();
  if (requestId === '' || requestId.length > MAX_REQUEST_ID) {
    throw invalidArgument([
      { field: 'request_id', reason: requestId === '' ? 'REQUIRED' : 'FIELD_TOO_LONG', message: `请求编号必填，且不超过${MAX_REQUEST_ID}个字符` },
    ]);
  }
  const claimed: unknown[] = await em.query(
    `INSERT INTO request_log (department, request_id, method) VALUES ($1, $2, $3)
     ON CONFLICT DO NOTHING RETURNING 1`,
    [key.caller.department, requestId, key.method],
  );
  if (claimed.length === 0) {
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
  const result = await act();
  // Sent with the command's other writes at COMMIT: the claimed row is locked until then anyway.
  await deferWrite(em, {
    sql: `UPDATE request_log SET response = $3 WHERE department = $1 AND request_id = $2`,
    params: [key.caller.department, requestId, Buffer.from(codec.encode(result))],
  });
  return result;
}
