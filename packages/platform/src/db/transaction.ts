import type { DataSource, EntityManager, QueryRunner } from 'typeorm';
import { assertDeferrable, combineWrites, type DeferredWrite } from './deferred-writes.js';

export type IsolationLevel = 'READ COMMITTED' | 'REPEATABLE READ' | 'SERIALIZABLE';

/** The level every session of openDatabase starts with; transactions at this level need no SET TRANSACTION. */
export const DEFAULT_ISOLATION: IsolationLevel = 'READ COMMITTED';
/** The PostgreSQL startup options that make it so (libpq escapes the space with a backslash). */
export const DEFAULT_ISOLATION_SESSIONS = '-c default_transaction_isolation=read\\ committed';

function sessionsDefaultTo(ds: DataSource): boolean {
  return (ds.options as { extra?: { options?: string } }).extra?.options === DEFAULT_ISOLATION_SESSIONS;
}

// What each open inTransaction keeps, by its query runner: the hooks to run once it has committed, and the writes
// queued to go with its next statement or its COMMIT.
interface OpenTransaction {
  hooks: (() => void)[];
  deferred: DeferredWrite[];
  send(): Promise<void>;
}
const open = new WeakMap<object, OpenTransaction>();

/** Runs `fn` in one transaction: it commits when `fn` resolves and rolls back when it throws. */
export async function inTransaction<T>(
  ds: DataSource,
  fn: (em: EntityManager) => Promise<T>,
  opts?: { isolation?: IsolationLevel },
): Promise<T> {
  const hooks: (() => void)[] = [];
  const isolation = opts?.isolation ?? DEFAULT_ISOLATION;
  // TypeORM begins with START TRANSACTION and then, given a level, a SET TRANSACTION round trip of its own.
  const run = (work: (em: EntityManager) => Promise<T>) =>
    isolation === DEFAULT_ISOLATION && sessionsDefaultTo(ds) ? ds.transaction(work) : ds.transaction(isolation, work);
  const result = await run(async (em) => {
    const runner = em.queryRunner!;
    const tx = queueWritesOf(runner, hooks);
    open.set(runner, tx);
    try {
      const value = await fn(em);
      await tx.send();
      return value;
    } finally {
      open.delete(runner);
      delete (runner as { query?: unknown }).query;
    }
  });
  // Only reached after COMMIT succeeded: a rolled-back transaction runs none of its hooks.
  for (const hook of hooks) hook();
  return result;
}

/**
 * Makes every statement of the runner send the queued writes first, so that a read after a deferred write still sees
 * it. The runner is this transaction's alone (TypeORM creates one per transaction); the override is removed at the end.
 */
function queueWritesOf(runner: QueryRunner, hooks: (() => void)[]): OpenTransaction {
  const query = runner.query.bind(runner);
  const tx: OpenTransaction = {
    hooks,
    deferred: [],
    async send() {
      while (tx.deferred.length > 0) {
        const writes = tx.deferred.splice(0);
        for (const c of combineWrites(writes)) c.deliver(await query(c.sql, c.params));
      }
    },
  };
  runner.query = (async (sql: string, params?: unknown[], structured?: boolean) => {
    if (tx.deferred.length > 0) await tx.send();
    return query(sql, params, structured as true);
  }) as QueryRunner['query'];
  return tx;
}

/**
 * Queues a write of the transaction of `em` to be sent with its other queued writes in one statement, before its next
 * statement or its COMMIT (see deferred-writes.ts for what may be queued). Outside an `inTransaction` it is sent at
 * once. An error surfaces where the write is sent, and rolls the transaction back all the same; so may `onRows`.
 */
export async function deferWrite(em: EntityManager, write: DeferredWrite): Promise<void> {
  assertDeferrable(write);
  const tx = em.queryRunner ? open.get(em.queryRunner) : undefined;
  if (tx) {
    tx.deferred.push(write);
    return;
  }
  for (const c of combineWrites([write])) c.deliver(await em.query(c.sql, c.params));
}

/**
 * Registers `hook` to run right after the transaction of `em` commits (never if it rolls back). Returns false, and
 * registers nothing, when `em` does not belong to an open `inTransaction`. Hooks must not throw.
 */
export function afterCommit(em: EntityManager, hook: () => void): boolean {
  const tx = em.queryRunner ? open.get(em.queryRunner) : undefined;
  if (!tx) return false;
  tx.hooks.push(hook);
  return true;
}
