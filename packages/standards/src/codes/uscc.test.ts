import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkUscc, divisionOfUscc, organizationCodeOfUscc, USCC_PLACEHOLDER, usccCheckCharacter } from './uscc.js';
import { KNOWN_EXCEPTIONS } from './known-exceptions.js';
import { organizationCodeCheckCharacter } from './organization-code.js';

const ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const STRICT = { allowlist: new Set<string>() };

/** Appends the USCC check character, so a test can make exactly one rule fail. */
function withCheck(first17: string): string {
  return first17 + usccCheckCharacter(first17);
}

function reasonOf(code: string): string | undefined {
  const verdict = checkUscc(code, STRICT);
  return verdict.valid ? undefined : verdict.reason;
}

// Bodies that satisfy every structural rule: a known authority/type pair, a known division, a valid embedded
// organisation code.
const authorityAndType = fc.constantFrom('91', '92', '93', '11', '12', '13', '19', '51', '52', '53', '59', 'Y1', '21', '31', '49', '61', '71', '81', 'A1', 'N2');
const division = fc.oneof(
  fc.constantFrom('110000', '100000', '540000', '540102', '540229', '542521', '820000'),
  fc.tuple(fc.constantFrom('13', '32', '44', '65'), fc.stringMatching(/^\d{4}$/)).map(([p, rest]) => p + rest),
);
const organizationBody = fc.string({ unit: fc.constantFrom(...ALPHABET), minLength: 8, maxLength: 8 });
const validUscc = fc.tuple(authorityAndType, division, organizationBody).map(([head, div, body]) =>
  withCheck(head + div + body + organizationCodeCheckCharacter(body)),
);

describe('checkUscc', () => {
  it.each(['91110000600037341L', '121200004013590816', '9144030071526726XG', '92340602MA2PBMEM24'])(
    'accepts the published example %s',
    (code) => {
      expect(checkUscc(code)).toEqual({ valid: true, type: 'uscc', code });
    },
  );

  it('normalises lower case input to upper case', () => {
    expect(checkUscc('9144030071526726xg')).toEqual({ valid: true, type: 'uscc', code: '9144030071526726XG' });
  });

  it('trims surrounding whitespace, including full-width spaces and tabs', () => {
    expect(checkUscc(' \t91110000600037341L\u3000\n')).toMatchObject({ valid: true, code: '91110000600037341L' });
  });

  it('folds full-width digits and letters pasted from office documents', () => {
    expect(checkUscc('９１１１００００６０００３７３４１Ｌ')).toMatchObject({ valid: true, code: '91110000600037341L' });
  });

  it('rejects a code of the wrong length and says how long it was', () => {
    const verdict = checkUscc('91110000600037341');
    expect(verdict).toMatchObject({ valid: false, type: 'uscc', reason: 'WRONG_LENGTH' });
    expect(!verdict.valid && verdict.message).toContain('17');
  });

  it('rejects a letter the alphabet leaves out and names its position and character', () => {
    const verdict = checkUscc('9111000060003734OL');
    expect(verdict).toMatchObject({ valid: false, reason: 'BAD_CHARACTER' });
    expect(!verdict.valid && verdict.message).toContain('第17位');
    expect(!verdict.valid && verdict.message).toContain('“O”');
  });

  it('rejects an inner space as a bad character rather than trimming it', () => {
    expect(reasonOf('911100006 0037341L')).toBe('BAD_CHARACTER');
  });

  it('rejects an unknown registration authority at position 1', () => {
    expect(reasonOf(withCheck('B1110000600037341'))).toBe('UNKNOWN_AUTHORITY');
    expect(reasonOf(withCheck('01110000600037341'))).toBe('UNKNOWN_AUTHORITY');
  });

  it('rejects an entity type that the authority does not issue', () => {
    expect(reasonOf(withCheck('94110000600037341'))).toBe('UNKNOWN_ENTITY_TYPE');
    expect(reasonOf(withCheck('15110000600037341'))).toBe('UNKNOWN_ENTITY_TYPE');
    expect(reasonOf(withCheck('54110000600037341'))).toBe('UNKNOWN_ENTITY_TYPE');
    expect(reasonOf(withCheck('Y2110000600037341'))).toBe('UNKNOWN_ENTITY_TYPE');
  });

  it('accepts any digit 1-9 as entity type under authorities whose table is not certain, but not 0 or a letter', () => {
    expect(reasonOf(withCheck('37110000600037341'))).toBeUndefined();
    expect(reasonOf(withCheck('30110000600037341'))).toBe('UNKNOWN_ENTITY_TYPE');
    expect(reasonOf(withCheck('NA110000600037341'))).toBe('UNKNOWN_ENTITY_TYPE');
  });

  it('rejects a division code outside every province', () => {
    expect(reasonOf(withCheck('91990000600037341'))).toBe('UNKNOWN_DIVISION');
    expect(reasonOf(withCheck('91160000600037341'))).toBe('UNKNOWN_DIVISION');
    expect(reasonOf(withCheck('9111A000600037341'))).toBe('UNKNOWN_DIVISION');
  });

  it('accepts the Tibetan region, its cities and Ngari, and rejects other prefecture codes under 54', () => {
    for (const div of ['540000', '540100', '540102', '540200', '540300', '540400', '540500', '540600', '542500', '542521']) {
      expect(reasonOf(withCheck(`91${div}600037341`)), div).toBeUndefined();
    }
    for (const div of ['540001', '540700', '542100', '542600']) {
      expect(reasonOf(withCheck(`91${div}600037341`)), div).toBe('UNKNOWN_DIVISION');
    }
  });

  it('accepts the national division code 100000', () => {
    expect(reasonOf(withCheck('91100000600037341'))).toBeUndefined();
  });

  it('rejects an embedded organisation code whose own check character is wrong', () => {
    const verdict = checkUscc(withCheck('91110000600037342'), STRICT);
    expect(verdict).toMatchObject({ valid: false, reason: 'BAD_ORGANIZATION_CODE' });
    expect(!verdict.valid && verdict.message).toContain('应为“1”');
  });

  it('rejects a wrong final check character and says which was expected', () => {
    const verdict = checkUscc('91110000600037341M');
    expect(verdict).toMatchObject({ valid: false, reason: 'BAD_CHECK_DIGIT' });
    expect(!verdict.valid && verdict.message).toContain('应为“L”');
  });

  it('rejects the placeholder for individual businesses without a code', () => {
    expect(checkUscc(USCC_PLACEHOLDER)).toMatchObject({ valid: false, reason: 'PLACEHOLDER' });
    expect(checkUscc('00000000000000000x')).toMatchObject({ valid: false, reason: 'PLACEHOLDER' });
  });

  it('accepts a known legal exception with a note even though its check character is wrong', () => {
    expect(KNOWN_EXCEPTIONS.has('91350100M0001TGQXM')).toBe(true);
    const verdict = checkUscc('91350100m0001tgqxm');
    expect(verdict).toMatchObject({ valid: true, code: '91350100M0001TGQXM' });
    expect(verdict.valid && verdict.note).toBeTruthy();
  });

  it('lets a caller replace the allowlist', () => {
    expect(checkUscc('91350100M0001TGQXM', STRICT)).toMatchObject({ valid: false, reason: 'BAD_CHECK_DIGIT' });
    expect(checkUscc('91110000600037341M', { allowlist: new Set(['91110000600037341M']) })).toMatchObject({ valid: true });
  });

  it('extracts the division and the embedded organisation code', () => {
    expect(divisionOfUscc('9144030071526726XG')).toBe('440300');
    expect(organizationCodeOfUscc('9144030071526726XG')).toBe('71526726X');
  });

  it('validates every generated body followed by its computed check character', () => {
    fc.assert(
      fc.property(validUscc, (code) => {
        expect(checkUscc(code, STRICT)).toEqual({ valid: true, type: 'uscc', code });
      }),
    );
  });

  it('rejects every single-character substitution at every position (MOD 31 with non-zero weights)', () => {
    fc.assert(
      fc.property(validUscc, (code) => {
        for (let i = 0; i < 18; i++) {
          for (const ch of ALPHABET + 'IOZSV-') {
            if (ch === code.charAt(i)) continue;
            const mutated = code.slice(0, i) + ch + code.slice(i + 1);
            expect(checkUscc(mutated, STRICT).valid, mutated).toBe(false);
          }
        }
      }),
      { numRuns: 50 },
    );
  });

  it('refuses to compute a check character for input outside the alphabet', () => {
    expect(() => usccCheckCharacter('9111000060003734O')).toThrow(RangeError);
    expect(() => usccCheckCharacter('911')).toThrow(RangeError);
  });
});
