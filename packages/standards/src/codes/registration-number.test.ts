import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkRegistrationNumber, registrationNumberCheckDigit } from './registration-number.js';

const authority = fc.constantFrom('110000', '540100', '542100', '440301', '100000');
const validNumber = fc
  .tuple(authority, fc.stringMatching(/^\d{8}$/))
  .map(([a, seq]) => a + seq + registrationNumberCheckDigit(a + seq));

describe('checkRegistrationNumber', () => {
  it('accepts a number whose check digit follows ISO 7064 MOD 11,10', () => {
    // Worked by hand: 11010500000001 leaves p = 2,6,1,4,8,6,1,2,4,8,5,10,9,9 → check (11 - 9) mod 10 = 2.
    expect(registrationNumberCheckDigit('11010500000001')).toBe('2');
    expect(checkRegistrationNumber(' 110105000000012 ')).toEqual({ valid: true, type: 'registration_number', code: '110105000000012' });
  });

  it('accepts an old Tibetan prefecture code, because numbers keep the authority that issued them', () => {
    const number = '54210060000001';
    expect(checkRegistrationNumber(number + registrationNumberCheckDigit(number)).valid).toBe(true);
  });

  it('rejects a wrong length', () => {
    expect(checkRegistrationNumber('11010500000001')).toMatchObject({ valid: false, reason: 'WRONG_LENGTH' });
  });

  it('rejects a non-digit and names its position', () => {
    const verdict = checkRegistrationNumber('1101050000A0011');
    expect(verdict).toMatchObject({ valid: false, reason: 'BAD_CHARACTER' });
    expect(!verdict.valid && verdict.message).toContain('第11位');
  });

  it('rejects an authority code outside every province', () => {
    const number = '99010500000001';
    expect(checkRegistrationNumber(number + registrationNumberCheckDigit(number))).toMatchObject({ valid: false, reason: 'UNKNOWN_DIVISION' });
  });

  it('rejects a wrong check digit and says which was expected', () => {
    const verdict = checkRegistrationNumber('110105000000011');
    expect(verdict).toMatchObject({ valid: false, reason: 'BAD_CHECK_DIGIT' });
    expect(!verdict.valid && verdict.message).toContain('应为“2”');
  });

  it('validates every generated number followed by its computed check digit', () => {
    fc.assert(
      fc.property(validNumber, (number) => {
        expect(checkRegistrationNumber(number)).toMatchObject({ valid: true, code: number });
      }),
    );
  });

  // The standard's verification form, independent of how the check digit was derived: running the MOD 11,10
  // recursion over all 15 digits must end with (p + check) mod 10 = 1.
  it('computes check digits that pass the ISO 7064 verification form', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^\d{14}$/), (first14) => {
        let p = 10;
        for (const d of first14) p = (2 * ((p + Number(d)) % 10 || 10)) % 11;
        expect((p + Number(registrationNumberCheckDigit(first14))) % 10).toBe(1);
      }),
    );
  });

  // Each MOD 11,10 step is a permutation of the running state for a fixed digit and injective in the digit for a
  // fixed state, so one changed digit always changes the final check digit.
  it('rejects every single-digit substitution at every position', () => {
    fc.assert(
      fc.property(validNumber, (number) => {
        for (let i = 0; i < 15; i++) {
          for (const ch of '0123456789') {
            if (ch === number.charAt(i)) continue;
            const mutated = number.slice(0, i) + ch + number.slice(i + 1);
            expect(checkRegistrationNumber(mutated).valid, mutated).toBe(false);
          }
        }
      }),
      { numRuns: 100 },
    );
  });
});
