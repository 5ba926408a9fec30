import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isPositiveAmount, parseAmount } from './amount-cell.js';
import { parseDate } from './date-cell.js';
import { parseCategoryList } from './enum-cell.js';
import { PENALTY_CATEGORIES } from '@credit/standards';

describe('parseDate', () => {
  it('reads the three accepted forms as YYYY-MM-DD', () => {
    expect(parseDate('处罚决定日期', '2024-10-08')).toEqual({ ok: true, value: '2024-10-08' });
    expect(parseDate('处罚决定日期', '2024/10/08')).toEqual({ ok: true, value: '2024-10-08' });
    expect(parseDate('处罚决定日期', '20241008')).toEqual({ ok: true, value: '2024-10-08' });
    expect(parseDate('处罚决定日期', '2024/1/8')).toEqual({ ok: true, value: '2024-01-08' });
  });

  it('folds full-width digits', () => {
    expect(parseDate('处罚决定日期', '２０２４－１０－０８')).toEqual({ ok: true, value: '2024-10-08' });
  });

  it('rejects days that do not exist and mixed separators', () => {
    for (const text of ['2023-02-29', '2024-13-01', '20240230', '2024-10/08', '08/10/2024', '2024年10月8日']) {
      expect(parseDate('处罚决定日期', text), text).toMatchObject({ ok: false, reason: 'INVALID_DATE' });
    }
  });
});

describe('parseAmount', () => {
  it('returns a canonical decimal string', () => {
    expect(parseAmount('罚款金额（万元）', '0012.50')).toEqual({ ok: true, value: '12.5' });
    expect(parseAmount('罚款金额（万元）', '0.000001')).toEqual({ ok: true, value: '0.000001' });
    expect(parseAmount('罚款金额（万元）', '3.000')).toEqual({ ok: true, value: '3' });
  });

  it('rejects a negative amount with its own reason', () => {
    expect(parseAmount('罚款金额（万元）', '-1')).toMatchObject({ ok: false, reason: 'NEGATIVE_AMOUNT' });
  });

  it('rejects NaN, Infinity, exponents and separators', () => {
    for (const text of ['NaN', 'Infinity', '1e3', '1E-2', '1,000', '0x10', '.5', '5.', '1 000']) {
      expect(parseAmount('罚款金额（万元）', text), text).toMatchObject({ ok: false, reason: 'INVALID_AMOUNT' });
    }
  });

  it('rejects more than 6 decimal places', () => {
    expect(parseAmount('罚款金额（万元）', '1.0000001')).toMatchObject({ ok: false, reason: 'TOO_MANY_DECIMALS' });
  });

  it('keeps the value of any amount with up to 6 decimals exactly', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 10n ** 15n }), (micros) => {
        const text = `${micros / 1_000_000n}.${String(micros % 1_000_000n).padStart(6, '0')}`;
        const parsed = parseAmount('罚款金额（万元）', text);
        expect(parsed.ok).toBe(true);
        if (!parsed.ok) return;
        const [whole, fraction = ''] = parsed.value.split('.');
        expect(BigInt(whole ?? '') * 1_000_000n + BigInt(fraction.padEnd(6, '0'))).toBe(micros);
        expect(isPositiveAmount(parsed.value)).toBe(micros > 0n);
      }),
    );
  });
});

describe('parseCategoryList', () => {
  it('splits on half- and full-width semicolons and drops duplicates', () => {
    expect(parseCategoryList('处罚类别', '警告;罚款；警告', PENALTY_CATEGORIES)).toEqual({ ok: true, value: ['警告', '罚款'] });
  });

  it('reads the law’s combined confiscation item as its two categories', () => {
    expect(parseCategoryList('处罚类别', '罚款;没收违法所得、没收非法财物', PENALTY_CATEGORIES)).toEqual({
      ok: true,
      value: ['罚款', '没收违法所得', '没收非法财物'],
    });
  });

  it('names the unknown penalty category', () => {
    const result = parseCategoryList('处罚类别', '警告;罚金', PENALTY_CATEGORIES);
    expect(result).toMatchObject({ ok: false, reason: 'UNKNOWN_PENALTY_CATEGORY' });
    expect(!result.ok && result.message).toContain('“罚金”');
  });
});
