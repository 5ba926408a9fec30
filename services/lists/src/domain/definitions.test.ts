import { describe, expect, it } from 'vitest';
import { composeUscc } from '@credit/standards';
import { DomainError } from '@credit/platform/errors';
import { defaultListTypes, defaultMeasures } from './defaults.js';
import { validateListType, validateMeasure } from './definitions.js';
import { validateProposal } from './proposal.js';

function violations(fn: () => unknown): string[] {
  try {
    fn();
  } catch (err) {
    if (err instanceof DomainError) return err.violations.map((v) => `${v.field}:${v.reason}`);
    throw err;
  }
  return [];
}

const now = new Date('2026-03-02T02:00:00Z');

describe('definitions', () => {
  it('the defaults are valid and every measure’s list types are among them', () => {
    const types = defaultListTypes().map(validateListType);
    const known = new Set(types.map((t) => t.code));
    for (const m of defaultMeasures()) expect(validateMeasure(m, known)).toEqual(m);
    expect(types.filter((t) => t.colour === 'red').map((t) => t.code)).toEqual(['tax_credit_grade_a']);
    expect(defaultMeasures().some((m) => m.ratings.some((r) => r.sector === 'tax' && r.grades.includes('A')))).toBe(true);
  });

  it('codes must be subject tokens', () => {
    const base = defaultListTypes()[0]!;
    expect(violations(() => validateListType({ ...base, code: 'a.b' }))).toEqual(['list_type.code:BAD_CODE']);
    expect(violations(() => validateListType({ ...base, code: 'x*' }))).toEqual(['list_type.code:BAD_CODE']);
    expect(violations(() => validateListType({ ...base, ownerDepartment: 'Court' }))).toEqual(['list_type.owner_department:BAD_CODE']);
    expect(violations(() => validateListType({ ...base, noticeWorkingDays: -1, validityDays: 1.5 }))).toEqual([
      'list_type.validity_days:OUT_OF_RANGE',
      'list_type.notice_working_days:OUT_OF_RANGE',
    ]);
  });

  it('a measure needs known list types or a rating condition with grades', () => {
    const base = defaultMeasures()[0]!;
    const known = new Set(['court_judgment_debtor']);
    expect(violations(() => validateMeasure({ ...base, listTypes: ['court_judgment_debtor', 'ghost_list'] }, known))).toEqual([
      'measure.list_types[1]:UNKNOWN_LIST_TYPE',
    ]);
    expect(violations(() => validateMeasure({ ...base, listTypes: [], ratings: [] }, known))).toEqual(['measure.list_types:REQUIRED']);
    expect(violations(() => validateMeasure({ ...base, listTypes: [], ratings: [{ sector: 'tax', grades: [] }] }, known))).toEqual([
      'measure.ratings[0].grades:REQUIRED',
    ]);
  });

  it('a proposal names every bad field', () => {
    const code = composeUscc('91', '540100', '00000001');
    const ok = { listType: 'court_judgment_debtor', entityCode: code, entityName: '公司', facts: 'f', decisionDocument: 'd', legalBasis: '', decidedOn: '2026-03-02' };
    expect(validateProposal(ok, now).decidedAt).toEqual(new Date('2026-03-01T16:00:00Z'));
    expect(violations(() => validateProposal({ ...ok, decidedOn: '2026-03-03' }, now))).toEqual(['decided_on:IN_THE_FUTURE']);
    expect(violations(() => validateProposal({ ...ok, decidedOn: '2026/03/01' }, now))).toEqual(['decided_on:BAD_DATE']);
    expect(violations(() => validateProposal({ ...ok, entityName: '名'.repeat(201) }, now))).toEqual(['entity_name:FIELD_TOO_LONG']);
    expect(violations(() => validateProposal({ ...ok, entityCode: code.slice(0, 17) + (code.endsWith('0') ? '1' : '0') }, now))).toHaveLength(1);
  });
});
