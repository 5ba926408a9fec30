import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkOrganizationCode, organizationCodeCheckCharacter } from './organization-code.js';

const BODY_ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const body = fc.string({ unit: fc.constantFrom(...BODY_ALPHABET), minLength: 8, maxLength: 8 });
const validCode = body.map((b) => b + organizationCodeCheckCharacter(b));

describe('checkOrganizationCode', () => {
  it('accepts the dashed form printed on certificates and returns it without the dash', () => {
    expect(checkOrganizationCode('60003734-1')).toEqual({ valid: true, type: 'organization_code', code: '600037341' });
  });

  it('accepts the undashed form, lower case and surrounding spaces', () => {
    expect(checkOrganizationCode(' 71526726x ')).toEqual({ valid: true, type: 'organization_code', code: '71526726X' });
    expect(checkOrganizationCode('ma2pbmem2')).toMatchObject({ valid: true, code: 'MA2PBMEM2' });
  });

  it('maps a computed 11 to check character 0 and a computed 10 to X', () => {
    // Σ = 0 gives 11 - 0 = 11 → '0'; the example 71526726 gives 10 → 'X'.
    expect(organizationCodeCheckCharacter('00000000')).toBe('0');
    expect(organizationCodeCheckCharacter('71526726')).toBe('X');
  });

  it('rejects a wrong length', () => {
    expect(checkOrganizationCode('6000373')).toMatchObject({ valid: false, reason: 'WRONG_LENGTH' });
    expect(checkOrganizationCode('6000-37341')).toMatchObject({ valid: false, reason: 'WRONG_LENGTH' });
  });

  it('rejects a character that is not a digit or letter and names its position', () => {
    const verdict = checkOrganizationCode('6000_7341');
    expect(verdict).toMatchObject({ valid: false, reason: 'BAD_CHARACTER' });
    expect(!verdict.valid && verdict.message).toContain('第5位');
  });

  it('rejects a check character other than a digit or X', () => {
    expect(checkOrganizationCode('60003734A')).toMatchObject({ valid: false, reason: 'BAD_CHARACTER' });
  });

  it('rejects a wrong check character and says which was expected', () => {
    const verdict = checkOrganizationCode('60003734-2');
    expect(verdict).toMatchObject({ valid: false, reason: 'BAD_CHECK_DIGIT' });
    expect(!verdict.valid && verdict.message).toContain('应为“1”');
  });

  it('validates every generated body followed by its computed check character', () => {
    fc.assert(
      fc.property(validCode, (code) => {
        expect(checkOrganizationCode(code)).toMatchObject({ valid: true, code });
      }),
    );
  });

  // MOD 11 over a 36-character alphabet cannot catch everything: values differing by 11, 22 or 33 (e.g. 0 and B)
  // carry the same weight mod 11. What does hold: a substitution is caught exactly when the values differ by a
  // non-multiple of 11 — in particular every digit-for-digit substitution — or when it hits the check character.
  it('rejects a single substitution exactly when the value difference is not a multiple of 11 or it hits the check character', () => {
    fc.assert(
      fc.property(validCode, (code) => {
        for (let i = 0; i < 9; i++) {
          for (const ch of i < 8 ? BODY_ALPHABET : '0123456789X') {
            if (ch === code.charAt(i)) continue;
            const mutated = code.slice(0, i) + ch + code.slice(i + 1);
            const undetected = i < 8 && (BODY_ALPHABET.indexOf(ch) - BODY_ALPHABET.indexOf(code.charAt(i))) % 11 === 0;
            expect(checkOrganizationCode(mutated).valid, mutated).toBe(undetected);
          }
        }
      }),
      { numRuns: 50 },
    );
  });

  it('lets a 0 to B substitution through, which is why the USCC adds its own MOD 31 check', () => {
    expect(checkOrganizationCode('600037341').valid).toBe(true);
    expect(checkOrganizationCode('6B0037341').valid).toBe(true);
  });
});
