import type { DataSource, EntityManager } from 'typeorm';

export type IsolationLevel = 'READ COMMITTED' | 'REPEATABLE READ' | 'SERIALIZABLE';

/** The level every session of openDatabase starts with; transactions at this level need no SET TRANSACTION. */
export const DEFAULT_ISOLATION: IsolationLevel = 'READ COMMITTED';
/** The PostgreSQL startup options that make it so (libpq escapes the space with a backslash). */
export const DEFAULT_ISOLATION_SESSIONS = '-c default_transaction_isolation=read\\ committed';

function sessionsDefaultTo(ds: DataSource): boolean {
  return (ds.options as { extra?: { options?: string } }).extra?.options === DEFAULT_ISOLATION_SESSIONS;
}

// The hooks of each open inTransaction, by its query runner: what must happen once the transaction has committed.
const commitHooks = new WeakMap<object, (() => void)[]>();

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
    commitHooks.set(runner, hooks);
    try {
      return await fn(em);
    } finally {
      commitHooks.delete(runner);
    }
  });
  // Only reached after COMMIT succeeded: a rolled-back transaction runs none of its hooks.
  for (const hook of hooks) hook();
  return result;
}

/**
 * Registers `hook` to run right after the transaction of `em` commits (never if it rolls back). Returns false, and
 * registers nothing, when `em` does not belong to an open `inTransaction`. Hooks must not throw.
 */
export function afterCommit(em: EntityManager, hook: () => void): boolean {
  const hooks = em.queryRunner ? commitHooks.get(em.queryRunner) : undefined;
  if (!hooks) return false;
  hooks.push(hook);
  return true;
}
