import type { DataSource, EntityManager } from 'typeorm';

export type IsolationLevel = 'READ COMMITTED' | 'REPEATABLE READ' | 'SERIALIZABLE';

/** Runs `fn` in one transaction: it commits when `fn` resolves and rolls back when it throws. */
export function inTransaction<T>(
  ds: DataSource,
  fn: (em: EntityManager) => Promise<T>,
  opts?: { isolation?: IsolationLevel },
): Promise<T> {
  return ds.transaction(opts?.isolation ?? 'READ COMMITTED', fn);
}
