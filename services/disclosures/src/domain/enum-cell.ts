import { accepted, refused, type CellResult } from './violation.js';

/** One value of a closed list, compared after full-width/half-width folding of the cell. */
export function parseEnum(label: string, text: string, allowed: readonly string[]): CellResult<string> {
  const value = text.normalize('NFKC').trim();
  if (allowed.includes(value)) return accepted(value);
  return refused('NOT_IN_ENUM', `“${label}”的值“${text}”不在允许的取值中（${allowed.join('、')}）`);
}

/**
 * 处罚类别 may name several categories separated by `;` or `；` (e.g. "警告;罚款"). `、` separates too: the law
 * lists "没收违法所得、没收非法财物" as one item and officers copy it so, and no category name contains it.
 * Each must be known; duplicates are dropped and the order kept. The first unknown one is named.
 */
export function parseCategoryList(label: string, text: string, allowed: readonly string[]): CellResult<string[]> {
  const values: string[] = [];
  for (const part of text.split(/[;；、]/)) {
    const value = part.normalize('NFKC').trim();
    if (value === '') continue;
    if (!allowed.includes(value)) {
      return refused('UNKNOWN_PENALTY_CATEGORY', `“${label}”中的“${value}”不是已知的处罚类别（${allowed.join('、')}）`);
    }
    if (!values.includes(value)) values.push(value);
  }
  if (values.length === 0) return refused('REQUIRED', `请填写“${label}”`);
  return accepted(values);
}
