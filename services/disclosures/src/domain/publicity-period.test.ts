import { describe, expect, it } from 'vitest';
import { penaltyPublicity, type PenaltyForPublicity } from './publicity-period.js';
import { PUBLICITY_RULES, ruleInForce } from './publicity-rules.js';

const fine = (decisionDate: string, extra: Partial<PenaltyForPublicity> = {}): PenaltyForPublicity => ({ decisionDate, categories: ['罚款'], ...extra });

const periodOf = (penalty: PenaltyForPublicity) => {
  const publicity = penaltyPublicity(penalty);
  return publicity.published ? [publicity.minMonths, publicity.maxMonths] : publicity.reason;
};

describe('the rule in force', () => {
  it('keeps the rules in order of their in-force dates', () => {
    const days = PUBLICITY_RULES.map((r) => r.inForceFrom);
    expect([...days].sort()).toEqual(days);
  });

  it('judges decisions before the first rule by it, and says so', () => {
    expect(ruleInForce('2019-07-03')).toMatchObject({ rule: { basis: '发改办财金〔2019〕527号' }, beforeFirstRule: true });
    expect(ruleInForce('2019-07-04')).toMatchObject({ rule: { basis: '发改办财金〔2019〕527号' }, beforeFirstRule: false });
  });
});

describe('penaltyPublicity at the 2023-05-01 boundary', () => {
  it('publishes a general penalty for 3 months to 1 year on 2023-04-30 and 3 months to 3 years on 2023-05-01', () => {
    expect(periodOf(fine('2023-04-30'))).toEqual([3, 12]);
    expect(periodOf(fine('2023-05-01'))).toEqual([3, 36]);
  });

  it('changes the serious minimum from 6 to 3 months', () => {
    expect(periodOf(fine('2023-04-30', { severity: '严重' }))).toEqual([6, 36]);
    expect(periodOf(fine('2023-05-01', { severity: '严重' }))).toEqual([3, 36]);
  });

  it('stops publishing minor penalties', () => {
    expect(periodOf(fine('2023-04-30', { severity: '轻微' }))).toEqual([3, 12]);
    expect(periodOf(fine('2023-05-01', { severity: '轻微' }))).toBe('MINOR');
  });

  it('stops publishing penalties that are only a warning or a 通报批评', () => {
    const warning = { categories: ['警告', '通报批评'] };
    expect(periodOf(fine('2023-04-30', warning))).toEqual([3, 12]);
    expect(periodOf(fine('2023-05-01', warning))).toBe('WARNING_OR_CRITICISM_ONLY');
    expect(periodOf(fine('2023-05-01', { categories: ['警告', '罚款'] }))).toEqual([3, 36]);
  });

  it('stops publishing penalties decided under the simplified procedure', () => {
    expect(periodOf(fine('2023-04-30', { simplifiedProcedure: true }))).toEqual([3, 12]);
    expect(periodOf(fine('2023-05-01', { simplifiedProcedure: true }))).toBe('SIMPLIFIED_PROCEDURE');
  });

  it('keeps special equipment, work safety and fire safety penalties at least one year', () => {
    expect(periodOf(fine('2023-04-30', { specialField: '特种设备' }))).toEqual([3, 12]);
    expect(periodOf(fine('2023-05-01', { specialField: '特种设备' }))).toEqual([12, 36]);
    expect(periodOf(fine('2023-05-01', { specialField: '消防', severity: '严重' }))).toEqual([12, 36]);
  });
});

describe('penaltyPublicity at the 2026-04-01 boundary', () => {
  it('shortens the general maximum to 1 year', () => {
    expect(periodOf(fine('2026-03-31'))).toEqual([3, 36]);
    expect(periodOf(fine('2026-04-01'))).toEqual([3, 12]);
  });

  it('raises the serious minimum to 1 year', () => {
    expect(periodOf(fine('2026-03-31', { severity: '严重' }))).toEqual([3, 36]);
    expect(periodOf(fine('2026-04-01', { severity: '严重' }))).toEqual([12, 36]);
  });

  it('does not publish minor penalties on either side', () => {
    expect(periodOf(fine('2026-03-31', { severity: '轻微' }))).toBe('MINOR');
    expect(periodOf(fine('2026-04-01', { severity: '轻微' }))).toBe('MINOR');
  });

  it('ends the 2023 special-field minimum', () => {
    expect(periodOf(fine('2026-03-31', { specialField: '安全生产' }))).toEqual([12, 36]);
    expect(periodOf(fine('2026-04-01', { specialField: '安全生产' }))).toEqual([3, 12]);
  });
});

describe('publicity dates', () => {
  it('run from the decision date, ending on the last day of a shorter month', () => {
    expect(penaltyPublicity(fine('2024-01-31'))).toEqual({
      published: true,
      basis: '国家发展改革委令第58号',
      minMonths: 3,
      maxMonths: 36,
      earliestRepairEnd: '2024-04-30',
      automaticEnd: '2027-01-31',
      beforeFirstRule: false,
    });
  });

  it('treats a penalty without severity as 一般', () => {
    expect(penaltyPublicity(fine('2024-05-01'))).toEqual(penaltyPublicity(fine('2024-05-01', { severity: '一般' })));
  });
});
