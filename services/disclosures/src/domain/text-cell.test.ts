import { describe, expect, it } from 'vitest';
import { cleanText } from './text-cell.js';

const reasonOf = (raw: string, max = 50) => {
  const result = cleanText('备注', raw, max);
  return result.ok ? undefined : result.reason;
};

describe('cleanText', () => {
  it('trims and NFC-normalises text so the same words compare equal', () => {
    expect(cleanText('备注', '  Cafe\u0301 ', 50)).toEqual({ ok: true, value: 'Café' });
  });

  it('treats a blank cell as empty', () => {
    expect(cleanText('备注', '   ', 50)).toEqual({ ok: true, value: null });
  });

  it('rejects cells a spreadsheet would run as a formula', () => {
    for (const raw of ['=HYPERLINK("x")', '@SUM(A1)', '+cmd|calc', '-cmd|calc', '=1+2']) expect(reasonOf(raw), raw).toBe('FORMULA_INJECTION');
  });

  it('rejects a cell starting with a tab or carriage return', () => {
    expect(reasonOf('\t=1')).toBe('FORMULA_INJECTION');
    expect(reasonOf('\rabc')).toBe('FORMULA_INJECTION');
  });

  it('accepts a leading sign followed by a digit, which is a number, not a formula', () => {
    expect(reasonOf('-5')).toBeUndefined();
    expect(reasonOf('+86 891 1234567')).toBeUndefined();
  });

  it('rejects control characters inside the text and names the field', () => {
    const result = cleanText('违法事实', 'a\u0007b', 50);
    expect(result).toMatchObject({ ok: false, reason: 'CONTROL_CHARACTER' });
    expect(!result.ok && result.message).toContain('违法事实');
  });

  it('counts characters, not UTF-16 units, against the maximum length', () => {
    expect(reasonOf('𠀀𠀀', 2)).toBeUndefined();
    expect(reasonOf('𠀀𠀀𠀀', 2)).toBe('FIELD_TOO_LONG');
  });
});
