import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkResidentId, residentIdCheckCharacter } from './resident-id.js';

const TODAY = new Date(2025, 5, 15);

function withCheck(first17: string): string {
  return first17 + residentIdCheckCharacter(first17);
}

const birthDate = fc
  .date({ min: new Date(Date.UTC(1900, 0, 1)), max: new Date(Date.UTC(2025, 5, 14)), noInvalidDate: true })
  .map((d) => d.toISOString().slice(0, 10).replaceAll('-', ''));
const validId = fc
  .tuple(fc.constantFrom('110105', '540102', '542121', '360426', '820000'), birthDate, fc.stringMatching(/^\d{3}$/))
  .map(([division, birth, sequence]) => withCheck(division + birth + sequence));

describe('checkResidentId', () => {
  it.each(['11010519491231002X', '360426199101010071'])('accepts the published example %s', (id) => {
    expect(checkResidentId(id, TODAY)).toEqual({ valid: true, type: 'resident_id', code: id });
  });

  it('normalises a lower-case x and trims whitespace', () => {
    expect(checkResidentId(' 11010519491231002x ', TODAY)).toMatchObject({ valid: true, code: '11010519491231002X' });
  });

  it('rejects a wrong length', () => {
    expect(checkResidentId('110105194912310', TODAY)).toMatchObject({ valid: false, reason: 'WRONG_LENGTH' });
  });

  it('rejects X anywhere but the last position', () => {
    const verdict = checkResidentId('1101051949123100X2', TODAY);
    expect(verdict).toMatchObject({ valid: false, reason: 'BAD_CHARACTER' });
    expect(!verdict.valid && verdict.message).toContain('第17位');
  });

  it('rejects a division outside every province', () => {
    expect(checkResidentId(withCheck('99010519491231002'), TODAY)).toMatchObject({ valid: false, reason: 'UNKNOWN_DIVISION' });
  });

  it('rejects a birth date that does not exist', () => {
    expect(checkResidentId(withCheck('11010519490229002'), TODAY)).toMatchObject({ valid: false, reason: 'BAD_BIRTH_DATE' });
    expect(checkResidentId(withCheck('11010519491301002'), TODAY)).toMatchObject({ valid: false, reason: 'BAD_BIRTH_DATE' });
  });

  it('accepts 29 February in a leap year', () => {
    expect(checkResidentId(withCheck('11010520000229002'), TODAY).valid).toBe(true);
  });

  it('rejects a birth date after today but accepts one on today', () => {
    expect(checkResidentId(withCheck('11010520250616002'), TODAY)).toMatchObject({ valid: false, reason: 'FUTURE_BIRTH_DATE' });
    expect(checkResidentId(withCheck('11010520250615002'), TODAY).valid).toBe(true);
  });

  it('rejects a wrong check character and says which was expected', () => {
    const verdict = checkResidentId('110105194912310021', TODAY);
    expect(verdict).toMatchObject({ valid: false, reason: 'BAD_CHECK_DIGIT' });
    expect(!verdict.valid && verdict.message).toContain('应为“X”');
  });

  it('validates every generated number followed by its computed check character', () => {
    fc.assert(
      fc.property(validId, (id) => {
        expect(checkResidentId(id, TODAY)).toMatchObject({ valid: true, code: id });
      }),
    );
  });

  // MOD 11-2 weights are all non-zero mod 11 and a digit change is at most 9, so no single substitution cancels out.
  it('rejects every single-character substitution at every position', () => {
    fc.assert(
      fc.property(validId, (id) => {
        for (let i = 0; i < 18; i++) {
          for (const ch of '0123456789X') {
            if (ch === id.charAt(i)) continue;
            const mutated = id.slice(0, i) + ch + id.slice(i + 1);
            expect(checkResidentId(mutated, TODAY).valid, mutated).toBe(false);
          }
        }
      }),
      { numRuns: 100 },
    );
  });
});
