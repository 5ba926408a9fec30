import { isRealDate } from '@credit/standards';
import { accepted, refused, type CellResult } from './violation.js';

// The forms data officers' spreadsheets produce: 2024-10-08, 2024/10/08 (also 2024/1/8, Excel's default), 20241008.
const SEPARATED = /^(\d{4})([-/])(\d{1,2})\2(\d{1,2})$/;
const COMPACT = /^(\d{4})(\d{2})(\d{2})$/;

/** A date cell as `YYYY-MM-DD`. Full-width digits are folded first (NFKC). */
export function parseDate(label: string, text: string): CellResult<string> {
  const folded = text.normalize('NFKC').trim();
  const match = SEPARATED.exec(folded) ?? COMPACT.exec(folded);
  const parts = match === null ? undefined : match.length === 5 ? [match[1], match[3], match[4]] : [match[1], match[2], match[3]];
  const [year, month, day] = (parts ?? []).map(Number);
  if (year === undefined || month === undefined || day === undefined || !isRealDate(year, month, day)) {
    return refused('INVALID_DATE', `“${label}”的值“${text}”不是有效日期，应为真实日期，格式为YYYY-MM-DD、YYYY/MM/DD或YYYYMMDD`);
  }
  return accepted(`${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`);
}
