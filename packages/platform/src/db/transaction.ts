import type { DataSource, EntityManager } from 'typeorm';

export type IsolationLevel = 'READ COMMITTED' | 'REPEATABLE READ' | 'SERIALIZABLE';

// The hooks of each open inTransaction, by its query runner: what must happen once the transaction has committed.
const commitHooks = new WeakMap<object, (() => void)[]>();

/** Runs `fn` in one transaction: it commits when `fn` resolves and rolls back when it throws. */
export async function inTransaction<T>(
  ds: DataSource,
  fn: (em: EntityManager) => Promise<T>,
  opts?: { isolation?: IsolationLevel },
): Promise<T> {
  const hooks: (() => void)[] = [];
  const result = await ds.transaction(opts?.isolation ?? 'READ COMMITTED', async (em) => {
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
