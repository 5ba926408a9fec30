import { describe, expect, it } from 'vitest';
import { QUALITY_TARGET_PER_MILLE, qualityReport } from './quality.js';

describe('qualityReport', () => {
  it('computes per mille rates per department and in total, sorted by department', () => {
    const report = qualityReport([
      { department: 'tax', submitted: 3000, erroneous: 2, duplicate: 1 },
      { department: 'market', submitted: 1000, erroneous: 5, duplicate: 0 },
    ]);
    expect(report.departments).toEqual([
      { department: 'market', submitted: 1000, erroneous: 5, duplicate: 0, erroneousPerMille: 5, duplicatePerMille: 0 },
      { department: 'tax', submitted: 3000, erroneous: 2, duplicate: 1, erroneousPerMille: 0.67, duplicatePerMille: 0.33 },
    ]);
    expect(report.total).toEqual({ department: 'total', submitted: 4000, erroneous: 7, duplicate: 1, erroneousPerMille: 1.75, duplicatePerMille: 0.25 });
  });

  it('reports 0 rather than NaN for a department that submitted nothing', () => {
    const report = qualityReport([{ department: 'culture', submitted: 0, erroneous: 0, duplicate: 0 }]);
    expect(report.departments[0]).toMatchObject({ erroneousPerMille: 0, duplicatePerMille: 0 });
    expect(report.total).toMatchObject({ submitted: 0, erroneousPerMille: 0 });
  });

  it('rounds half up to two decimals without binary float error', () => {
    // 1.005‰ would round down to 1 with naive floating point (1.005 * 100 = 100.49999…).
    expect(qualityReport([{ department: 'd', submitted: 200_000, erroneous: 201, duplicate: 0 }]).total.erroneousPerMille).toBe(1.01);
  });

  it('adds up rows of the same department', () => {
    const report = qualityReport([
      { department: 'tax', submitted: 500, erroneous: 1, duplicate: 0 },
      { department: 'tax', submitted: 500, erroneous: 1, duplicate: 2 },
    ]);
    expect(report.departments).toEqual([{ department: 'tax', submitted: 1000, erroneous: 2, duplicate: 2, erroneousPerMille: 2, duplicatePerMille: 2 }]);
  });

  it('returns an empty list and a zero total for no rows', () => {
    expect(qualityReport([])).toEqual({
      departments: [],
      total: { department: 'total', submitted: 0, erroneous: 0, duplicate: 0, erroneousPerMille: 0, duplicatePerMille: 0 },
    });
  });

  it('sets the target at 1 per mille', () => {
    expect(QUALITY_TARGET_PER_MILLE).toBe(1);
  });
});
