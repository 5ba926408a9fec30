import type { EntityManager } from 'typeorm';
import type { QualityCounts } from '../domain/index.js';

export interface QualityIncrement {
  submitted: number;
  erroneous: number;
  duplicate: number;
}

/** Adds one batch's figures to today's row of the reporting department. */
export async function countSubmissions(em: EntityManager, department: string, inc: QualityIncrement): Promise<void> {
  if (inc.submitted === 0) return;
  await em.query(
    `INSERT INTO code_quality_daily AS q (department, day, submitted, erroneous, duplicate)
     VALUES ($1, current_date, $2, $3, $4)
     ON CONFLICT (department, day) DO UPDATE SET
       submitted = q.submitted + EXCLUDED.submitted,
       erroneous = q.erroneous + EXCLUDED.erroneous,
       duplicate = q.duplicate + EXCLUDED.duplicate`,
    [department, inc.submitted, inc.erroneous, inc.duplicate],
  );
}

export async function qualityCounts(em: EntityManager, from: string | null, to: string | null): Promise<QualityCounts[]> {
  const rows: Array<{ department: string; submitted: string; erroneous: string; duplicate: string }> = await em.query(
    `SELECT department, sum(submitted)::text AS submitted, sum(erroneous)::text AS erroneous, sum(duplicate)::text AS duplicate
     FROM code_quality_daily
     WHERE ($1::date IS NULL OR day >= $1::date) AND ($2::date IS NULL OR day <= $2::date)
     GROUP BY department ORDER BY department`,
    [from, to],
  );
  return rows.map((r) => ({
    department: r.department,
    submitted: Number(r.submitted),
    erroneous: Number(r.erroneous),
    duplicate: Number(r.duplicate),
  }));
}
