import { accepted, refused, type CellResult } from './violation.js';

export const AMOUNT_DECIMALS = 6;

const DECIMAL = /^(\d+)(?:\.(\d+))?$/;

/**
 * An amount in 万元 as a canonical decimal string (no leading zeros, no trailing fractional zeros): "0012.50" → "12.5".
 * Kept as a string so that no binary rounding ever changes a fine; at most 6 places, i.e. to the 0.01 yuan.
 * Exponents, NaN, Infinity, signs and thousands separators are refused rather than guessed at.
 */
export function parseAmount(label: string, text: string): CellResult<string> {
  const folded = text.normalize('NFKC').trim();
  if (folded.startsWith('-') && DECIMAL.test(folded.slice(1))) {
    return refused('NEGATIVE_AMOUNT', `“${label}”不能为负数，实际为“${text}”`);
  }
  const match = DECIMAL.exec(folded);
  if (match === null) {
    return refused('INVALID_AMOUNT', `“${label}”的值“${text}”不是有效金额，应为不带符号、科学计数法或千分位的十进制数（单位：万元）`);
  }
  const fraction = (match[2] ?? '').replace(/0+$/, '');
  if (fraction.length > AMOUNT_DECIMALS) {
    return refused('TOO_MANY_DECIMALS', `“${label}”最多保留${AMOUNT_DECIMALS}位小数（单位：万元），实际为“${text}”`);
  }
  const whole = (match[1] ?? '0').replace(/^0+(?=\d)/, '');
  return accepted(fraction === '' ? whole : `${whole}.${fraction}`);
}

/** True when a canonical amount from `parseAmount` is greater than zero. */
export function isPositiveAmount(amount: string): boolean {
  return /[1-9]/.test(amount);
}
