import type { EntityManager } from 'typeorm';

export interface CounterDelta {
  department: string;
  itemCode: string;
  divisionCode: string;
  /** Day of receipt, YYYY-MM-DD. */
  day: string;
  accepted: number;
  late: number;
  rejected: number;
}

/** Adds one batch's counts; rows are merged first so each counter row is touched once per batch. */
export async function addCounts(em: EntityManager, deltas: CounterDelta[]): Promise<void> {
  const merged = new Map<string, CounterDelta>();
  for (const d of deltas) {
    const key = `${d.department}|${d.itemCode}|${d.divisionCode}|${d.day}`;
    const m = merged.get(key);
    if (m) {
      m.accepted += d.accepted;
      m.late += d.late;
      m.rejected += d.rejected;
    } else merged.set(key, { ...d });
  }
  const rows = [...merged.values()];
  if (rows.length === 0) return;
  // Sorted, so that concurrent batches lock counter rows in the same order and cannot deadlock.
  rows.sort((a, b) => (a.department + a.itemCode + a.divisionCode + a.day < b.department + b.itemCode + b.divisionCode + b.day ? -1 : 1));
  await em.query(
    `INSERT INTO assessment_counter (department, item_code, division_code, day, accepted, late, rejected)
     SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::date[], $5::bigint[], $6::bigint[], $7::bigint[])
     ON CONFLICT (department, item_code, division_code, day) DO UPDATE
        SET accepted = assessment_counter.accepted + EXCLUDED.accepted,
            late = assessment_counter.late + EXCLUDED.late,
            rejected = assessment_counter.rejected + EXCLUDED.rejected`,
    [
      rows.map((r) => r.department),
      rows.map((r) => r.itemCode),
      rows.map((r) => r.divisionCode),
      rows.map((r) => r.day),
      rows.map((r) => r.accepted),
      rows.map((r) => r.late),
      rows.map((r) => r.rejected),
    ],
  );
}

export interface CounterTotals {
  department: string;
  itemCode: string;
  divisionCode: string;
  accepted: number;
  late: number;
  rejected: number;
}

/** Counts per department, item and division over receipt days [from, to] (either may be empty: unbounded). */
export async function countsBetween(em: EntityManager, from: string, to: string, divisionPrefix: string): Promise<CounterTotals[]> {
  const rows: { department: string; item_code: string; division_code: string; accepted: string; late: string; rejected: string }[] =
    await em.query(
      `SELECT department, item_code, division_code, sum(accepted) AS accepted, sum(late) AS late, sum(rejected) AS rejected
         FROM assessment_counter
        WHERE ($1::date IS NULL OR day >= $1::date) AND ($2::date IS NULL OR day <= $2::date)
          AND division_code LIKE $3 || '%'
        GROUP BY department, item_code, division_code`,
      [from || null, to || null, divisionPrefix],
    );
  return rows.map((r) => ({
    department: r.department,
    itemCode: r.item_code,
    divisionCode: r.division_code,
    accepted: Number(r.accepted),
    late: Number(r.late),
    rejected: Number(r.rejected),
  }));
}
