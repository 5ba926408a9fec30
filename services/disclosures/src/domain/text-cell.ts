import { accepted, refused, type CellResult } from './violation.js';

// A spreadsheet evaluates a cell starting with = or @ as a formula, and one starting with + or - followed by
// something other than a number; a leading tab or carriage return hides such a cell from naive checks (OWASP CSV
// injection). Exported files are opened in spreadsheets by officers, so such cells are refused at the edge.
const FORMULA_LEAD = /^(?:[=@]|[+-][^\d.]|[+-]\.\D)/;
const HIDDEN_LEAD = /^[\t\r]/;

function hasControlCharacter(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit <= 0x1f || unit === 0x7f || (unit >= 0x80 && unit <= 0x9f)) return true;
  }
  return false;
}

/**
 * The cleaned text of a cell: NFC-normalised and trimmed, so that the same words typed on two keyboards compare
 * equal. Length is counted in characters (code points), not UTF-16 units, because CJK extension characters count
 * once on the national template. Returns `null` for an empty cell.
 */
export function cleanText(label: string, raw: string, maxLength: number): CellResult<string | null> {
  if (HIDDEN_LEAD.test(raw)) return refused('FORMULA_INJECTION', `“${label}”以制表符或回车开头，疑似电子表格公式注入，请删除后重新提交`);
  const text = raw.normalize('NFC').trim();
  if (text === '') return accepted(null);
  if (FORMULA_LEAD.test(text)) return refused('FORMULA_INJECTION', `“${label}”以“${text.charAt(0)}”开头，会被电子表格当作公式执行，请删除该符号后重新提交`);
  if (hasControlCharacter(text)) return refused('CONTROL_CHARACTER', `“${label}”含有控制字符（如换行、制表符），请删除后重新提交`);
  // A string has at least as many UTF-16 units as characters, so only a long one needs its characters counted.
  const length = text.length > maxLength ? [...text].length : text.length;
  if (length > maxLength) return refused('FIELD_TOO_LONG', `“${label}”不能超过${maxLength}个字符，实际为${length}个字符`);
  return accepted(text);
}
