import { fieldForHeader, standardFields, type DisclosureKind, type StandardField } from '@credit/standards';
import { fileError } from './file-error.js';
import { isReportColumn } from './report-columns.js';
import type { FileColumn } from './types.js';

const KINDS: readonly DisclosureKind[] = ['licence', 'penalty'];
const KIND_NAMES: Record<DisclosureKind, string> = { licence: '行政许可', penalty: '行政处罚' };

export interface HeaderMapping {
  kind: DisclosureKind;
  headers: string[];
  columns: FileColumn[];
}

/**
 * Maps a header row to standard fields. Each header may be the Chinese column name or the field code. The kind comes
 * from the headers unless given: the one kind all headers belong to (the counterparty columns belong to both).
 */
export function mapHeaders(cells: readonly string[], givenKind?: DisclosureKind): HeaderMapping {
  const headers = trimTrailingBlanks(cells.map((c) => c.trim()));
  const blank = headers.findIndex((h) => h === '');
  if (blank >= 0) throw fileError('HEADER_EMPTY_CELL', `表头第${blank + 1}列为空：每一列都需要列名`);
  const dataHeaders = headers.filter((h) => !isReportColumn(h));
  const kind = givenKind ?? detectKind(dataHeaders);
  const columns: FileColumn[] = headers.map((header) => {
    const field = isReportColumn(header) ? undefined : fieldForHeader(kind, header);
    return field ? { header, field } : { header };
  });
  const unknown = columns.filter((c) => !c.field && !isReportColumn(c.header)).map((c) => `“${c.header}”`);
  if (unknown.length > 0) {
    throw fileError(
      'HEADER_UNKNOWN_COLUMNS',
      `表头含有${KIND_NAMES[kind]}数据标准以外的列：${unknown.join('、')}（列名应为标准中文列名或字段代码，如“${standardFields(kind)[0]?.name}”或“${standardFields(kind)[0]?.code}”）`,
    );
  }
  checkDuplicates(columns);
  const present = new Set(columns.map((c) => c.field?.code));
  const missing = standardFields(kind).filter((f) => f.required && !present.has(f.code));
  if (missing.length > 0) {
    throw fileError(
      'HEADER_MISSING_REQUIRED_COLUMNS',
      `缺少${KIND_NAMES[kind]}必填列：${missing.map((f) => `“${f.name}”（${f.code}）`).join('、')}`,
    );
  }
  return { kind, headers, columns };
}

function trimTrailingBlanks(headers: string[]): string[] {
  let end = headers.length;
  while (end > 0 && headers[end - 1] === '') end--;
  return headers.slice(0, end);
}

function detectKind(headers: readonly string[]): DisclosureKind {
  const matched = KINDS.map((kind) => ({ kind, count: headers.filter((h) => fieldForHeader(kind, h)).length }));
  const complete = matched.filter((m) => m.count === headers.length && m.count > 0);
  if (complete.length === 1 && complete[0]) return complete[0].kind;
  const best = [...matched].sort((a, b) => b.count - a.count)[0];
  const tied = matched.every((m) => m.count === best?.count);
  if (!best || best.count === 0 || tied) {
    throw fileError(
      'HEADER_KIND_UNKNOWN',
      '无法从表头判断是行政许可还是行政处罚文件：请使用数据标准的列名（如“行政许可决定文书号”或“行政处罚决定书文号”）',
    );
  }
  return best.kind;
}

function checkDuplicates(columns: readonly FileColumn[]): void {
  const seen = new Map<string, string>();
  const duplicates: string[] = [];
  for (const { header, field } of columns) {
    const key = field ? field.code : header;
    const first = seen.get(key);
    if (first === undefined) seen.set(key, header);
    else duplicates.push(first === header ? `“${header}”` : `“${first}”与“${header}”`);
  }
  if (duplicates.length > 0) {
    throw fileError('HEADER_DUPLICATE_COLUMNS', `表头有重复的列：${duplicates.join('、')}（同一字段只能出现一次）`);
  }
}

export function fieldsOf(columns: readonly FileColumn[]): (StandardField | undefined)[] {
  return columns.map((c) => c.field);
}
