import { createHash } from 'node:crypto';
import { trace } from '@opentelemetry/api';
import type { DataSource, EntityManager } from 'typeorm';
import type { Caller } from './identity.js';

/** One state-changing command, as the audit log records it. */
export interface AuditEntry {
  actor: Caller;
  requestId: string;
  /** The RPC or command name, e.g. 'RegisterEntity'. */
  command: string;
  /** What it acted on, e.g. the USCC. */
  target: string;
  before?: unknown;
  after?: unknown;
}

export interface AuditVerification {
  ok: boolean;
  checked: number;
  firstBrokenSeq?: number;
}

interface AuditRecord {
  seq: number;
  at: string;
  actor: { department: string; role: string; subject: string };
  requestId: string;
  traceId: string | null;
  command: string;
  target: string;
  before: unknown;
  after: unknown;
}

interface AuditRow {
  seq: string;
  at: Date;
  actor_department: string;
  actor_role: string;
  actor_subject: string;
  request_id: string;
  trace_id: string | null;
  command: string;
  target: string;
  before: unknown;
  after: unknown;
  prev_hash: string;
  hash: string;
}

/** The chain's anchor: the first entry's prev_hash. */
export const AUDIT_GENESIS = '0'.repeat(64);
// Any fixed int8, the same in every replica: appends to the chain are serialised on it.
const AUDIT_LOCK_KEY = 7_312_002;
const PAGE = 1000;
const COLUMNS = 13;

/**
 * Appends entries to the audit log in the caller's transaction. Each entry's hash covers the previous hash and the
 * entry, so changing or deleting any row breaks the chain from there on. The transaction-scoped advisory lock makes
 * concurrent appenders take turns; it is released by their commit or rollback.
 */
export async function appendAudit(em: EntityManager, entries: AuditEntry[]): Promise<void> {
  if (entries.length === 0) return;
  if (!em.queryRunner?.isTransactionActive) {
    throw new Error('appendAudit needs the EntityManager of an open transaction (use inTransaction)');
  }
  await em.query('SELECT pg_advisory_xact_lock($1)', [AUDIT_LOCK_KEY]);
  const last: { seq: string; hash: string }[] = await em.query(
    'SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1',
  );
  let seq = Number(last[0]?.seq ?? 0);
  let prevHash = last[0]?.hash ?? AUDIT_GENESIS;
  const at = new Date().toISOString();
  const traceId = trace.getActiveSpan()?.spanContext().traceId ?? null;

  for (let i = 0; i < entries.length; i += PAGE) {
    const params: unknown[] = [];
    const tuples = entries.slice(i, i + PAGE).map((e, j) => {
      seq += 1;
      const record: AuditRecord = {
        seq,
        at,
        actor: { department: e.actor.department, role: e.actor.role, subject: e.actor.subject },
        requestId: e.requestId,
        traceId,
        command: e.command,
        target: e.target,
        before: normalise(e.before),
        after: normalise(e.after),
      };
      const hash = chainHash(prevHash, record);
      params.push(
        seq, at, record.actor.department, record.actor.role, record.actor.subject, e.requestId, traceId,
        e.command, e.target, jsonParam(record.before), jsonParam(record.after), prevHash, hash,
      );
      prevHash = hash;
      const base = j * COLUMNS;
      return `(${Array.from({ length: COLUMNS }, (_, k) => `$${base + k + 1}`).join(', ')})`;
    });
    await em.query(
      `INSERT INTO audit_log (seq, at, actor_department, actor_role, actor_subject, request_id, trace_id, command,
                              target, before, after, prev_hash, hash)
       VALUES ${tuples.join(', ')}`,
      params,
    );
  }
}

/**
 * Re-computes the chain from the first entry, a page at a time (constant memory, no long transaction).
 * Reports the first entry whose hash, link or sequence number does not match.
 */
export async function verifyAuditChain(ds: DataSource): Promise<AuditVerification> {
  let prevHash = AUDIT_GENESIS;
  let prevSeq = 0;
  let checked = 0;
  for (;;) {
    const rows: AuditRow[] = await ds.query(
      `SELECT seq, at, actor_department, actor_role, actor_subject, request_id, trace_id, command, target,
              before, after, prev_hash, hash
         FROM audit_log WHERE seq > $1 ORDER BY seq LIMIT $2`,
      [prevSeq, PAGE],
    );
    for (const row of rows) {
      checked += 1;
      const seq = Number(row.seq);
      const record: AuditRecord = {
        seq,
        at: row.at.toISOString(),
        actor: { department: row.actor_department, role: row.actor_role, subject: row.actor_subject },
        requestId: row.request_id,
        traceId: row.trace_id,
        command: row.command,
        target: row.target,
        before: row.before ?? undefined,
        after: row.after ?? undefined,
      };
      // A gap in seq is a deleted row; a wrong prev_hash a re-linked one; a wrong hash an edited one.
      if (seq !== prevSeq + 1 || row.prev_hash !== prevHash || chainHash(prevHash, record) !== row.hash) {
        return { ok: false, checked, firstBrokenSeq: seq };
      }
      prevSeq = seq;
      prevHash = row.hash;
    }
    if (rows.length < PAGE) return { ok: true, checked };
  }
}

function chainHash(prevHash: string, record: AuditRecord): string {
  return createHash('sha256').update(prevHash).update(canonicalJson(record)).digest('hex');
}

/**
 * What the value looks like after a trip through jsonb (dates become strings, undefined members vanish), so the
 * hash computed on append equals the one recomputed from the stored row.
 */
function normalise(value: unknown): unknown {
  // A top-level null is stored as SQL NULL, indistinguishable from "absent" when read back.
  return value === undefined || value === null ? undefined : JSON.parse(JSON.stringify(value));
}

function jsonParam(value: unknown): string | null {
  return value === undefined ? null : JSON.stringify(value);
}

/** JSON with object keys sorted at every level: jsonb does not keep key order, the hash must not depend on it. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}
