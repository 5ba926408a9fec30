import { createHash } from 'node:crypto';
import { trace } from '@opentelemetry/api';
import type { DataSource, EntityManager } from 'typeorm';
import type { Caller } from './identity.js';
import { afterCommit, deferWrite, inTransaction } from './db/transaction.js';
import { InterruptibleSleep } from './events/interruptible-sleep.js';
import type { Logger } from './logger.js';

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
  /** Committed entries not chained yet, hence not checked; reported when verifying without chaining (read-only). */
  unchained?: number;
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
// Any fixed int8, the same in every replica: chainers take turns on it.
const AUDIT_LOCK_KEY = 7_312_002;
const PAGE = 1000;
const COLUMNS = 10;

// The chainer of each open DataSource, woken by the commit of a transaction that appended.
const chainers = new WeakMap<DataSource, AuditChainer>();

/**
 * Appends entries to the audit log in the caller's transaction, so the record and the change commit together. The
 * entries take their place in the hash chain right after commit (AuditChainer): holding the chain's lock from the
 * append to COMMIT made every command of a service wait for every other one.
 */
export async function appendAudit(em: EntityManager, entries: AuditEntry[]): Promise<void> {
  if (entries.length === 0) return;
  if (!em.queryRunner?.isTransactionActive) {
    throw new Error('appendAudit needs the EntityManager of an open transaction (use inTransaction)');
  }
  const at = new Date().toISOString();
  const traceId = trace.getActiveSpan()?.spanContext().traceId ?? null;
  for (let i = 0; i < entries.length; i += PAGE) {
    const params: unknown[] = [];
    const tuples = entries.slice(i, i + PAGE).map((e, j) => {
      params.push(
        at, e.actor.department, e.actor.role, e.actor.subject, e.requestId, traceId,
        e.command, e.target, jsonParam(e.before), jsonParam(e.after),
      );
      const base = j * COLUMNS;
      return `(${Array.from({ length: COLUMNS }, (_, k) => `$${base + k + 1}`).join(', ')})`;
    });
    // Nothing in the transaction reads it back: it goes with the command's other writes at COMMIT.
    await deferWrite(em, {
      sql: `INSERT INTO audit_log (at, actor_department, actor_role, actor_subject, request_id, trace_id, command,
                              target, before, after)
       VALUES ${tuples.join(', ')}`,
      params,
    });
  }
  const chainer = chainers.get(em.connection);
  if (chainer) afterCommit(em, () => chainer.wake());
}

/**
 * Gives committed, unchained entries their place in the chain, oldest insertion first: seq, the previous entry's
 * hash and their own. Replicas take turns on an advisory lock. Returns how many entries it chained (at most `max`).
 */
export async function chainAudit(ds: DataSource, max = PAGE): Promise<number> {
  return inTransaction(ds, async (em) => {
    await em.query('SELECT pg_advisory_xact_lock($1)', [AUDIT_LOCK_KEY]);
    // Read after the lock: a statement's snapshot is taken when it starts, and the last chainer has committed by now.
    const pending: (AuditRow & { id: string })[] = await em.query(
      `SELECT id, at, actor_department, actor_role, actor_subject, request_id, trace_id, command, target, before, after
         FROM audit_log WHERE seq IS NULL ORDER BY id LIMIT $1`,
      [max],
    );
    if (pending.length === 0) return 0;
    const last: { seq: string; hash: string }[] = await em.query(
      'SELECT seq, hash FROM audit_log WHERE seq IS NOT NULL ORDER BY seq DESC LIMIT 1',
    );
    let seq = Number(last[0]?.seq ?? 0);
    let prevHash = last[0]?.hash ?? AUDIT_GENESIS;
    const ids: string[] = [];
    const seqs: number[] = [];
    const prevs: string[] = [];
    const hashes: string[] = [];
    for (const row of pending) {
      seq += 1;
      const hash = chainHash(prevHash, recordOf(row, seq));
      ids.push(row.id);
      seqs.push(seq);
      prevs.push(prevHash);
      hashes.push(hash);
      prevHash = hash;
    }
    await em.query(
      `UPDATE audit_log AS a SET seq = c.seq, prev_hash = c.prev_hash, hash = c.hash
         FROM unnest($1::bigint[], $2::bigint[], $3::text[], $4::text[]) AS c(id, seq, prev_hash, hash)
        WHERE a.id = c.id`,
      [ids, seqs, prevs, hashes],
    );
    return pending.length;
  });
}

/** Chains every entry that committed unchained, a page per transaction. */
async function chainAllAudit(ds: DataSource): Promise<void> {
  while ((await chainAudit(ds)) === PAGE) {
    // a full page: more are waiting
  }
}

/**
 * Chains what commits, promptly: woken after each commit that appended in this process, and every `pollMs` for
 * entries of other replicas or of a process that died between its commit and its chaining.
 */
export class AuditChainer {
  private readonly sleeper = new InterruptibleSleep();
  private running?: Promise<void>;
  private stopping = false;
  private woken = false;

  /**
   * `settleMs`: after a wake-up, how long to let further commits land before chaining, so that under load one round
   * (six statements) chains the entries of many commands instead of a round chasing each commit.
   */
  constructor(
    private readonly ds: DataSource,
    private readonly logger: Logger,
    private readonly pollMs = 1000,
    private readonly settleMs = 20,
  ) {}

  start(): void {
    if (this.running) return;
    this.stopping = false;
    chainers.set(this.ds, this);
    this.running = this.loop();
  }

  wake(): void {
    this.woken = true;
    this.sleeper.wake();
  }

  /** Stops after chaining what had committed. */
  async stop(): Promise<void> {
    if (chainers.get(this.ds) === this) chainers.delete(this.ds);
    this.stopping = true;
    this.sleeper.wake();
    await this.running;
    this.running = undefined;
    await chainAllAudit(this.ds).catch((err: unknown) => this.logger.warn({ err }, 'audit entries left unchained at stop; the next start chains them'));
  }

  private async loop(): Promise<void> {
    while (!this.stopping) {
      this.woken = false;
      try {
        await chainAllAudit(this.ds);
      } catch (err) {
        this.logger.error({ err }, 'chaining audit entries failed');
      }
      if (!this.woken && !this.stopping) await this.sleeper.sleep(this.pollMs);
      if (this.woken && !this.stopping && this.settleMs > 0) await new Promise((r) => setTimeout(r, this.settleMs));
    }
  }

}

/**
 * Re-computes the chain from the first entry, a page at a time (constant memory, no long transaction).
 * Reports the first entry whose hash, link or sequence number does not match.
 */
export async function verifyAuditChain(ds: DataSource, opts: { chainPending?: boolean } = {}): Promise<AuditVerification> {
  // Entries committed but not chained yet are chained first, so that verification covers everything that committed;
  // a read-only verifier (the CLI) cannot, and reports how many it left out instead.
  const chainPending = opts.chainPending ?? true;
  if (chainPending) await chainAllAudit(ds);
  const unchained = async (): Promise<Pick<AuditVerification, 'unchained'>> => {
    if (chainPending) return {};
    const [row] = (await ds.query('SELECT count(*)::int AS n FROM audit_log WHERE seq IS NULL')) as { n: number }[];
    return { unchained: row?.n ?? 0 };
  };
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
      const record = recordOf(row, seq);
      // A gap in seq is a deleted row; a wrong prev_hash a re-linked one; a wrong hash an edited one.
      if (seq !== prevSeq + 1 || row.prev_hash !== prevHash || chainHash(prevHash, record) !== row.hash) {
        return { ok: false, checked, firstBrokenSeq: seq, ...(await unchained()) };
      }
      prevSeq = seq;
      prevHash = row.hash;
    }
    if (rows.length < PAGE) return { ok: true, checked, ...(await unchained()) };
  }
}

function recordOf(row: Omit<AuditRow, 'seq' | 'prev_hash' | 'hash'>, seq: number): AuditRecord {
  return {
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
}

function chainHash(prevHash: string, record: AuditRecord): string {
  return createHash('sha256').update(prevHash).update(canonicalJson(record)).digest('hex');
}

/**
 * A before/after value as its jsonb parameter (dates become strings, undefined members vanish; the chainer hashes
 * what was stored). A top-level null is stored as SQL NULL, as "absent" is: they read back the same.
 */
function jsonParam(value: unknown): string | null {
  return value === undefined || value === null ? null : (JSON.stringify(value) ?? null);
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
