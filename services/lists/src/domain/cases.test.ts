import { describe, expect, it } from 'vitest';
import { DomainError } from '@credit/platform/errors';
import { buildCaseReport, PREFECTURE_GOVERNMENTS, validateCase, validateQuarter } from './cases.js';

const base = { kind: 'reward' as const, title: '守信激励', summary: '办理绿色通道', entityCode: '', entryId: '', occurredOn: '2026-05-20' };

function fields(fn: () => unknown): string[] {
  try {
    fn();
  } catch (err) {
    if (err instanceof DomainError) return err.violations.map((v) => v.field);
    throw err;
  }
  throw new Error('expected a DomainError');
}

describe('cases domain', () => {
  it('derives the quarter from the day the case happened', () => {
    expect(validateCase({ ...base, occurredOn: '2026-03-31' }, '2026-06-01')).toMatchObject({ year: 2026, quarter: 1 });
    expect(validateCase({ ...base, occurredOn: '2026-04-01' }, '2026-06-01')).toMatchObject({ year: 2026, quarter: 2 });
    expect(validateCase({ ...base, occurredOn: '2025-12-31' }, '2026-06-01')).toMatchObject({ year: 2025, quarter: 4 });
  });

  it('refuses a day after today, an impossible day and oversized texts', () => {
    expect(fields(() => validateCase({ ...base, occurredOn: '2026-06-02' }, '2026-06-01'))).toEqual(['occurred_on']);
    expect(fields(() => validateCase({ ...base, occurredOn: '2026-02-29' }, '2026-06-01'))).toEqual(['occurred_on']);
    expect(fields(() => validateCase({ ...base, title: '题'.repeat(101), summary: '' }, '2026-06-01'))).toEqual(['title', 'summary']);
    expect(validateCase({ ...base, title: '题'.repeat(100) }, '2026-06-01').title).toHaveLength(100);
  });

  it('reports every expected department with the prefectures, met or not', () => {
    const report = buildCaseReport(2026, 2, ['court', 'finance'], [
      { department: 'finance', kind: 'punishment', cases: 2 },
      { department: 'finance', kind: 'reward', cases: 1 },
      { department: 'volunteer', kind: 'reward', cases: 1 },
    ]);
    expect(report.departmentsExpected).toBe(2 + Object.keys(PREFECTURE_GOVERNMENTS).length);
    expect(report.departmentsMet).toBe(1);
    expect(report.departments.find((d) => d.department === 'finance')).toEqual({ department: 'finance', rewardCases: 1, punishmentCases: 2, met: true });
    expect(report.departments.find((d) => d.department === 'gov_542500')?.met).toBe(false);
    // A department that reported without being expected shows up, but does not count towards the expected ones.
    expect(report.departments.find((d) => d.department === 'volunteer')?.met).toBe(true);
  });

  it('checks the quarter asked for', () => {
    expect(fields(() => validateQuarter(1999, 0))).toEqual(['year', 'quarter']);
    expect(() => validateQuarter(2026, 4)).not.toThrow();
  });
});
