import { describe, expect, it } from 'vitest';
import { CheckIndex, type EntryFact, type MeasureFact } from './check-index.js';

const A = '91540100MA6T1234XA';
const B = '91540100MA6T5678XB';
const now = new Date('2026-06-01T00:00:00Z');
const later = (days: number) => new Date(now.getTime() + days * 86_400_000);

function measure(overrides: Partial<MeasureFact> = {}): MeasureFact {
  return {
    code: 'restrict_procurement',
    name: '限制参与政府采购',
    kind: 'punishment',
    implementingDepartment: 'finance',
    listTypes: ['debtor'],
    ratings: [],
    activities: ['government_procurement'],
    legalBasis: '《政府采购法》',
    ...overrides,
  };
}

function entry(overrides: Partial<EntryFact> = {}): EntryFact {
  return {
    id: 'e1',
    listType: 'debtor',
    colour: 'black',
    ownerDepartment: 'court',
    entityCode: A,
    entityName: '某公司',
    state: 'effective',
    decisionDocument: '(2026)藏01执1号',
    legalBasis: '',
    effectiveAt: now,
    version: 3,
    ...overrides,
  };
}

function seeded(): { index: CheckIndex; seq: () => number } {
  let n = 0;
  const seq = () => ++n;
  const index = new CheckIndex((s) => (s === 'tax' ? '纳税信用等级' : s));
  index.apply({ kind: 'list_type_defined', listType: { code: 'debtor', name: '失信被执行人', colour: 'black', ownerDepartment: 'court', legalBasis: '最高法规定' } }, seq());
  index.apply({ kind: 'measure_defined', measure: measure() }, seq());
  return { index, seq };
}

describe('credit check index', () => {
  it('answers a measure of the asking department caused by an in-force entry, with list type name and legal basis', () => {
    const { index, seq } = seeded();
    index.apply({ kind: 'entry_changed', entry: entry() }, seq());
    const answer = index.check(A, 'finance', 'government_procurement', now);
    expect(answer.map((m) => m.measure.code)).toEqual(['restrict_procurement']);
    expect(answer[0]!.causes).toEqual([
      { kind: 'entry', entry: expect.objectContaining({ id: 'e1' }), listTypeName: '失信被执行人', legalBasis: '最高法规定' },
    ]);
    expect(index.check(B, 'finance', 'government_procurement', now)).toEqual([]);
    expect(index.check(A, 'tax', 'government_procurement', now)).toEqual([]);
    expect(index.position).toBe(3);
  });

  it('matches activities: listed, empty request activity = all, empty measure activities = all', () => {
    const { index, seq } = seeded();
    index.apply({ kind: 'measure_defined', measure: measure({ code: 'any_activity', activities: [] }) }, seq());
    index.apply({ kind: 'entry_changed', entry: entry() }, seq());
    expect(index.check(A, 'finance', 'bidding', now).map((m) => m.measure.code)).toEqual(['any_activity']);
    expect(index.check(A, 'finance', '', now).map((m) => m.measure.code)).toEqual(['any_activity', 'restrict_procurement']);
  });

  it('keeps an objected entry in force only when it had taken effect; removal takes it out', () => {
    const { index, seq } = seeded();
    index.apply({ kind: 'entry_changed', entry: entry({ state: 'objected', version: 4 }) }, seq());
    expect(index.check(A, 'finance', '', now)).toHaveLength(1);
    index.apply({ kind: 'entry_changed', entry: entry({ id: 'e2', state: 'objected', effectiveAt: undefined, version: 2 }) }, seq());
    expect(index.check(A, 'finance', '', now)[0]!.causes).toHaveLength(1);
    index.apply({ kind: 'entry_changed', entry: entry({ state: 'removed', version: 5 }) }, seq());
    expect(index.check(A, 'finance', '', now)).toEqual([]);
    expect(index.entityCount).toBe(0);
  });

  it('ignores stale versions and events at or below the position', () => {
    const { index, seq } = seeded();
    index.apply({ kind: 'entry_changed', entry: entry({ state: 'removed', version: 6 }) }, seq());
    // A late effective event of an older version must not bring the entry back.
    expect(index.apply({ kind: 'entry_changed', entry: entry({ version: 5 }) }, seq())).toBe(false);
    expect(index.check(A, 'finance', '', now)).toEqual([]);
    const before = index.position;
    expect(index.apply({ kind: 'entry_changed', entry: entry({ id: 'e9', version: 1 }) }, before)).toBe(false);
    expect(index.check(A, 'finance', '', now)).toEqual([]);
    expect(index.position).toBe(before);
  });

  it('respects valid_until at check time', () => {
    const { index, seq } = seeded();
    index.apply({ kind: 'entry_changed', entry: entry({ validUntil: later(10) }) }, seq());
    expect(index.check(A, 'finance', '', later(9))).toHaveLength(1);
    expect(index.check(A, 'finance', '', later(10))).toEqual([]);
  });

  it('applies rating conditions, replaces a sector grade, and lets a rating expire', () => {
    const { index, seq } = seeded();
    index.apply(
      { kind: 'measure_defined', measure: measure({ code: 'green_channel', kind: 'reward', listTypes: [], ratings: [{ sector: 'tax', grades: ['A'] }], activities: [] }) },
      seq(),
    );
    index.apply({ kind: 'rating_changed', rating: { entityCode: B, sector: 'tax', grade: 'A', ratedAt: now, validUntil: later(30) } }, seq());
    const answer = index.check(B, 'finance', 'x', now);
    expect(answer.map((m) => m.measure.code)).toEqual(['green_channel']);
    expect(answer[0]!.causes[0]).toMatchObject({ kind: 'rating', listTypeName: '纳税信用等级', legalBasis: '《政府采购法》' });
    expect(index.check(B, 'finance', 'x', later(30))).toEqual([]);
    index.apply({ kind: 'rating_changed', rating: { entityCode: B, sector: 'tax', grade: 'B', ratedAt: later(1) } }, seq());
    expect(index.check(B, 'finance', 'x', later(2))).toEqual([]);
    // An older rating arriving late does not replace the newer one.
    index.apply({ kind: 'rating_changed', rating: { entityCode: B, sector: 'tax', grade: 'A', ratedAt: now } }, seq());
    expect(index.check(B, 'finance', 'x', later(2))).toEqual([]);
  });

  it('moves a redefined measure to its new department and list types', () => {
    const { index, seq } = seeded();
    index.apply({ kind: 'entry_changed', entry: entry() }, seq());
    index.apply({ kind: 'measure_defined', measure: measure({ implementingDepartment: 'housing', listTypes: ['debtor'] }) }, seq());
    expect(index.check(A, 'finance', '', now)).toEqual([]);
    expect(index.check(A, 'housing', '', now)).toHaveLength(1);
    index.apply({ kind: 'measure_defined', measure: measure({ implementingDepartment: 'housing', listTypes: ['other'] }) }, seq());
    expect(index.check(A, 'housing', '', now)).toEqual([]);
  });

  it('holds no key for entities whose entries left force', () => {
    const { index, seq } = seeded();
    for (let i = 0; i < 100; i++) index.apply({ kind: 'entry_changed', entry: entry({ id: `x${i}`, entityCode: `E${i}`, version: 1 }) }, seq());
    expect(index.entityCount).toBe(100);
    for (let i = 0; i < 100; i++) index.apply({ kind: 'entry_changed', entry: entry({ id: `x${i}`, entityCode: `E${i}`, state: 'removed', version: 2 }) }, seq());
    expect(index.entityCount).toBe(0);
  });
});
