/** Per-department counts of submitted codes and of those found erroneous or duplicated (代码质量). */
export interface QualityCounts {
  department: string;
  submitted: number;
  erroneous: number;
  duplicate: number;
}

export interface QualityRow extends QualityCounts {
  erroneousPerMille: number;
  duplicatePerMille: number;
}

/** The error rate the platform aims to stay under, in per mille (‰). */
export const QUALITY_TARGET_PER_MILLE = 1;

// Rounded on integers (count × 100 000 / submitted) so that 2-decimal rounding does not suffer binary float error.
function perMille(count: number, submitted: number): number {
  return submitted === 0 ? 0 : Math.round((count * 100_000) / submitted) / 100;
}

function row(counts: QualityCounts): QualityRow {
  return {
    ...counts,
    erroneousPerMille: perMille(counts.erroneous, counts.submitted),
    duplicatePerMille: perMille(counts.duplicate, counts.submitted),
  };
}

/**
 * Rates per department and in total. Rows for the same department are added up; departments are sorted by code
 * unit order, which is stable across machines (locale collation is not). The total row's department is 'total'.
 */
export function qualityReport(rows: QualityCounts[]): { departments: QualityRow[]; total: QualityRow } {
  const byDepartment = new Map<string, QualityCounts>();
  for (const r of rows) {
    const sum = byDepartment.get(r.department) ?? { department: r.department, submitted: 0, erroneous: 0, duplicate: 0 };
    byDepartment.set(r.department, {
      department: r.department,
      submitted: sum.submitted + r.submitted,
      erroneous: sum.erroneous + r.erroneous,
      duplicate: sum.duplicate + r.duplicate,
    });
  }
  const departments = [...byDepartment.values()]
    .sort((a, b) => (a.department < b.department ? -1 : a.department > b.department ? 1 : 0))
    .map(row);
  const total = row({
    department: 'total',
    submitted: departments.reduce((n, r) => n + r.submitted, 0),
    erroneous: departments.reduce((n, r) => n + r.erroneous, 0),
    duplicate: departments.reduce((n, r) => n + r.duplicate, 0),
  });
  return { departments, total };
}
