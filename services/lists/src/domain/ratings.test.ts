import { describe, expect, it } from 'vitest';
import { DomainError } from '@credit/platform/errors';
import { composeUscc } from '@credit/standards';
import { assertMayRate, RATING_SECTORS, validateRating } from './ratings.js';

const now = new Date('2026-06-01T00:00:00Z');
const code = composeUscc('91', '540100', '00000042');

function violations(fn: () => unknown): string[] {
  try {
    fn();
  } catch (err) {
    if (err instanceof DomainError) return err.violations.map((v) => `${v.field}:${v.reason}`);
    throw err;
  }
  throw new Error('expected a DomainError');
}

describe('ratings domain', () => {
  it('keeps grade codes ASCII and labels Chinese', () => {
    for (const sector of Object.values(RATING_SECTORS)) {
      for (const [grade, label] of Object.entries(sector.grades)) {
        expect(grade).toMatch(/^[A-Za-z0-9+-]{1,8}$/);
        expect(label).toMatch(/[\u4e00-\u9fff]/);
      }
    }
  });

  it('normalises the code and accepts a grade of the sector scale', () => {
    expect(validateRating({ entityCode: ` ${code.toLowerCase()} `, sector: 'env', grade: 'GREEN' }, now)).toEqual({ entityCode: code, sector: 'env', grade: 'GREEN' });
  });

  it('names every bad field at once', () => {
    expect(violations(() => validateRating({ entityCode: '', sector: '', grade: '' }, now))).toEqual(['entity_code:REQUIRED', 'sector:REQUIRED', 'grade:REQUIRED']);
    expect(
      violations(() => validateRating({ entityCode: code.slice(0, 17) + (code.endsWith('1') ? '2' : '1'), sector: 'tax', grade: 'GREEN', validUntil: now }, now)),
    ).toEqual(['entity_code:BAD_CHECK_DIGIT', 'grade:UNKNOWN_GRADE', 'valid_until:NOT_IN_FUTURE']);
    expect(violations(() => validateRating({ entityCode: code, sector: 'weather', grade: 'A' }, now))).toEqual(['sector:UNKNOWN_SECTOR']);
  });

  it('lets only the sector department rate', () => {
    expect(() => assertMayRate('tax', 'tax')).not.toThrow();
    expect(() => assertMayRate('customs', 'tax')).toThrow(/纳税信用等级/);
  });
});
