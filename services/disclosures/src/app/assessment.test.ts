import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { PublishedItem } from '@credit/catalog-client';
import type { CounterTotals } from '../db/assessment-store.js';
import { assessmentReport, divisionPrefix } from './assessment.js';

function item(code: string, ownerDepartment: string, category: PublishedItem['category']): PublishedItem {
  return {
    code,
    name: code,
    ownerDepartment,
    level: 'region',
    category,
    fields: [],
    disclosure: 'public',
    updateFrequency: 'on_change',
    legalBasis: '',
    revision: 1,
    confirmedBy: `${ownerDepartment}-officer`,
    confirmedAt: new Date('2026-01-01T00:00:00Z'),
  };
}

const ITEMS = [
  item('AMR-XK-001', 'amr', 'licence'),
  item('AMR-CF-001', 'amr', 'penalty'),
  item('AMR-HM-001', 'amr', 'black_list'),
  item('TAX-XK-001', 'tax', 'licence'),
  item('TAX-CF-001', 'tax', 'penalty'),
];

const counts = (department: string, itemCode: string, divisionCode: string, accepted: number, late: number, rejected: number): CounterTotals => ({
  department,
  itemCode,
  divisionCode,
  accepted,
  late,
  rejected,
});

describe('assessmentReport', () => {
  it('counts a department reporting under two divisions once in the totals', () => {
    const rows = assessmentReport(
      [counts('amr', 'AMR-CF-001', '540100', 3, 0, 0), counts('amr', 'AMR-CF-001', '540102', 2, 0, 0), counts('amr', 'AMR-XK-001', '540102', 1, 0, 0)],
      ITEMS,
    );
    // Lines: amr in 540100 (1 of 2 items), amr in 540102 (2 of 2); tax silent (0 of 2).
    expect(rows.at(-1)).toMatchObject({ department: '', itemsOwned: 4, itemsCovered: 2, coverage: 0.5, accepted: 6 });
    expect(rows.find((r) => r.department === '' && r.level === 'county')).toMatchObject({ itemsOwned: 2, itemsCovered: 2 });
    expect(rows.find((r) => r.department === '' && r.level === 'prefecture')).toMatchObject({ itemsOwned: 2, itemsCovered: 1 });
  });

  it('measures coverage against the double publicity items a department owns, ignoring its other items', () => {
    const rows = assessmentReport([counts('amr', 'AMR-CF-001', '540000', 4, 1, 1)], ITEMS);
    expect(rows.find((r) => r.department === 'amr')).toEqual({
      department: 'amr',
      divisionCode: '540000',
      level: 'region',
      itemsOwned: 2,
      itemsCovered: 1,
      coverage: 0.5,
      accepted: 4,
      late: 1,
      timeliness: 0.75,
      rejected: 1,
      rejectionRate: 0.2,
    });
  });

  it('does not count an item as covered when all its rows were rejected', () => {
    const rows = assessmentReport([counts('amr', 'AMR-CF-001', '540000', 0, 0, 3), counts('amr', 'AMR-XK-001', '540000', 1, 0, 0)], ITEMS);
    expect(rows.find((r) => r.department === 'amr')).toMatchObject({ itemsCovered: 1, coverage: 0.5, rejectionRate: 0.75 });
  });

  it('counts as covered only items the department owns in the current catalog', () => {
    // Counts survive catalog versions: an item since withdrawn or handed to another department covers nothing.
    const rows = assessmentReport([counts('amr', 'AMR-CF-001', '540000', 1, 0, 0), counts('amr', 'AMR-CF-OLD', '540000', 5, 0, 0)], ITEMS);
    expect(rows.find((r) => r.department === 'amr')).toMatchObject({ itemsOwned: 2, itemsCovered: 1, coverage: 0.5, accepted: 6 });
  });

  it('lists a department that owns items but reported nothing, with zeros rather than a division by zero', () => {
    const rows = assessmentReport([counts('amr', 'AMR-CF-001', '540000', 1, 0, 0)], ITEMS);
    expect(rows.find((r) => r.department === 'tax')).toEqual({
      department: 'tax',
      divisionCode: '',
      level: undefined,
      itemsOwned: 2,
      itemsCovered: 0,
      coverage: 0,
      accepted: 0,
      late: 0,
      timeliness: 0,
      rejected: 0,
      rejectionRate: 0,
    });
  });

  it('rounds the ratios to four decimals', () => {
    const rows = assessmentReport([counts('amr', 'AMR-CF-001', '540000', 3, 1, 0)], ITEMS);
    expect(rows.find((r) => r.department === 'amr')?.timeliness).toBe(0.6667);
  });

  it('sums the rows of each level and of the whole after the department rows', () => {
    const rows = assessmentReport(
      [counts('amr', 'AMR-CF-001', '540000', 4, 1, 1), counts('amr', 'AMR-CF-001', '540100', 2, 0, 1), counts('tax', 'TAX-CF-001', '540102', 1, 1, 0)],
      ITEMS,
    );
    const totals = rows.slice(-4);
    expect(totals.map((r) => [r.department, r.level, r.accepted, r.late, r.rejected])).toEqual([
      ['', 'region', 4, 1, 1],
      ['', 'prefecture', 2, 0, 1],
      ['', 'county', 1, 1, 0],
      ['', undefined, 7, 2, 2],
    ]);
  });

  it('keeps the whole total equal to the sum of the department rows, whatever the counts', () => {
    const count = fc.record({
      department: fc.constantFrom('amr', 'tax', 'env'),
      itemCode: fc.constantFrom('AMR-XK-001', 'AMR-CF-001', 'TAX-CF-001', 'ENV-CF-001'),
      divisionCode: fc.constantFrom('540000', '540100', '540102', '542500'),
      accepted: fc.nat(1000),
      late: fc.nat(1000),
      rejected: fc.nat(1000),
    });
    fc.assert(
      fc.property(fc.array(count, { maxLength: 30 }), (input) => {
        const valid = input.map((c) => ({ ...c, late: Math.min(c.late, c.accepted) }));
        const rows = assessmentReport(valid, ITEMS);
        const departments = rows.filter((r) => r.department !== '');
        const whole = rows.at(-1)!;
        const sum = (f: (r: (typeof rows)[number]) => number) => departments.reduce((s, r) => s + f(r), 0);
        expect([whole.accepted, whole.late, whole.rejected]).toEqual([sum((r) => r.accepted), sum((r) => r.late), sum((r) => r.rejected)]);
        for (const r of rows) {
          for (const ratio of [r.coverage, r.timeliness, r.rejectionRate]) expect(ratio >= 0 && ratio <= 1).toBe(true);
        }
      }),
      { numRuns: 100 },
    );
  });
});

describe('divisionPrefix', () => {
  it.each([
    ['', ''],
    ['540000', '54'],
    ['540100', '5401'],
    ['540102', '540102'],
  ])('turns %j into the counters prefix %j', (division, prefix) => {
    expect(divisionPrefix(division)).toBe(prefix);
  });

  it('refuses a division outside Tibet', () => {
    expect(() => divisionPrefix('110000')).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT', reason: 'UNKNOWN_DIVISION' }));
  });
});
