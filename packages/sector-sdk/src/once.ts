// Delivery is at least once: after a crash between your commit and the ack, the same event comes again. Doing the
// work exactly once in effect needs the event id recorded in the SAME transaction as the work, so both commit or
// neither does. These helpers make that the easy path.

/** Where you record the ids of events you have handled, inside your own transactions. */
export interface ProcessedEvents<Tx> {
  /** Runs `fn` in one transaction of your store: commit when it resolves, roll back when it throws. */
  transaction<T>(fn: (tx: Tx) => Promise<T>): Promise<T>;
  /** Inside `tx`: records the id; false when it was recorded before (this delivery is a repeat). */
  add(tx: Tx, eventId: string): Promise<boolean>;
}

export type OnceResult<T> = { done: true; result: T } | { done: false };

/**
 * Runs `work` at most once per event id: records the id and does the work in one transaction. A repeat finds the
 * id and returns `{ done: false }` without running `work`. Anything you must do only after the commit (a feedback
 * report, a message to another system) goes after this call.
 */
export async function once<Tx, T>(store: ProcessedEvents<Tx>, eventId: string, work: (tx: Tx) => Promise<T>): Promise<OnceResult<T>> {
  if (!eventId) throw new TypeError('once: eventId is required');
  return store.transaction(async (tx): Promise<OnceResult<T>> => {
    if (!(await store.add(tx, eventId))) return { done: false };
    return { done: true, result: await work(tx) };
  });
}

/** In-memory transaction of MemoryProcessedEvents: ids staged until commit. */
export interface MemoryTransaction {
  readonly staged: Set<string>;
}

/**
 * For tests and for handlers whose work is itself idempotent: remembers the last `capacity` ids (default 10,000)
 * in this process. Forgets everything on restart: production handlers use a table (see postgresProcessedEvents).
 */
export class MemoryProcessedEvents implements ProcessedEvents<MemoryTransaction> {
  private readonly seen = new Set<string>();

  constructor(private readonly capacity = 10_000) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new TypeError('MemoryProcessedEvents: capacity must be a positive integer');
  }

  has(eventId: string): boolean {
    return this.seen.has(eventId);
  }

  get size(): number {
    return this.seen.size;
  }

  async transaction<T>(fn: (tx: MemoryTransaction) => Promise<T>): Promise<T> {
    const tx: MemoryTransaction = { staged: new Set() };
    const result = await fn(tx);
    for (const id of tx.staged) this.remember(id);
    return result;
  }

  async add(tx: MemoryTransaction, eventId: string): Promise<boolean> {
    if (this.seen.has(eventId) || tx.staged.has(eventId)) return false;
    tx.staged.add(eventId);
    return true;
  }

  private remember(id: string): void {
    this.seen.add(id);
    // A Set iterates in insertion order, so the first key is the oldest.
    while (this.seen.size > this.capacity) this.seen.delete(this.seen.values().next().value as string);
  }
}

/** The slice of node-postgres's Pool this needs; the SDK does not depend on `pg` itself. */
export interface PgPoolLike {
  connect(): Promise<PgClientLike>;
}
export interface PgClientLike {
  query(text: string, values?: unknown[]): Promise<{ rowCount: number | null; rows: unknown[] }>;
  release(err?: Error | boolean): void;
}

const IDENTIFIER = /^[a-z_][a-z0-9_]{0,62}(\.[a-z_][a-z0-9_]{0,62})?$/;

/**
 * ProcessedEvents in a PostgreSQL table of yours, created beforehand:
 *   CREATE TABLE processed_events (event_id text PRIMARY KEY, processed_at timestamptz NOT NULL DEFAULT now());
 * The transaction's client is what your work gets, so your own INSERTs and UPDATEs join the same transaction.
 */
export function postgresProcessedEvents(pool: PgPoolLike, opts: { table?: string } = {}): ProcessedEvents<PgClientLike> {
  const table = opts.table ?? 'processed_events';
  if (!IDENTIFIER.test(table)) throw new TypeError(`postgresProcessedEvents: table "${table}" is not a plain SQL identifier`);
  return {
    async transaction<T>(fn: (tx: PgClientLike) => Promise<T>): Promise<T> {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const result = await fn(client);
        await client.query('COMMIT');
        client.release();
        return result;
      } catch (err) {
        await client.query('ROLLBACK').catch(() => undefined);
        // A client whose connection broke must not go back to the pool.
        client.release(err instanceof Error ? err : true);
        throw err;
      }
    },
    async add(tx, eventId) {
      // A concurrent duplicate waits on the first one's row lock and then conflicts: never both.
      const r = await tx.query(`INSERT INTO ${table} (event_id) VALUES ($1) ON CONFLICT DO NOTHING`, [eventId]);
      return r.rowCount === 1;
    },
  };
}
