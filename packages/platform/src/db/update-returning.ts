import type { EntityManager } from 'typeorm';

/** The rows of an `UPDATE … RETURNING`: TypeORM answers such a statement with [rows, affected count], not the rows. */
export async function updateReturning<T>(em: EntityManager, sql: string, params: unknown[]): Promise<T[]> {
  const [rows] = (await em.query(sql, params)) as [T[], number];
  return rows;
}
