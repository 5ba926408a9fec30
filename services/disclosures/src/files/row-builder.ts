import type { StandardField } from '@credit/standards';
import type { RawRecord } from './raw-record.js';
import type { FileColumn, FileRow } from './types.js';
import { numberText } from './xlsx/number-text.js';
import { serialToIsoDate } from './xlsx/serial-date.js';

// C0 controls other than tab and line breaks, DEL, the replacement character a decoder leaves for a broken byte
// sequence, and unpaired surrogates: none belongs in a record and some break the systems downstream.
/** Code fields: identifiers made of digits that spreadsheets turn into numbers. */
const CODE_TYPES = new Set(['uscc', 'registration_number', 'organization_code', 'id_number']);
/** A double keeps 15 significant digits exactly; an 18-digit ID number stored as a number has lost its last ones. */
const EXACT_DIGITS_LIMIT = 1e15;

const INVALID_CHARACTER = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F\uFFFD]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

export interface RowBuilderOptions {
  columns: readonly FileColumn[];
  maxRowChars: number;
  /** XLSX leaves out empty cells, so a short row is a row with blank trailing cells; in CSV it is a broken row. */
  shortRowsAreBlank: boolean;
  /** XLSX: workbook uses the 1904 date system. */
  date1904?: boolean;
}

/** Turns raw records into rows keyed by field code, or row errors; empty rows give undefined (skipped). */
export class RowBuilder {
  private readonly fields: (StandardField | undefined)[];
  private readonly headers: string[];
  private readonly width: number;

  constructor(private readonly options: RowBuilderOptions) {
    this.fields = options.columns.map((c) => c.field);
    this.headers = options.columns.map((c) => c.header);
    this.width = options.columns.length;
  }

  build(record: RawRecord): FileRow | undefined {
    const { line } = record;
    if (record.tooLong) {
      const hint = record.unclosedQuote ? '；该行可能有未闭合的引号（"）' : '';
      return { line, reason: 'ROW_TOO_LONG', message: `该行超过${this.options.maxRowChars}个字符的长度上限，未读取${hint}`, cells: [] };
    }
    const cells = record.cells;
    if (record.numbers) {
      const truncated = this.formatNumbers(cells, record);
      if (truncated !== undefined) {
        const header = this.headers[truncated] ?? `第${truncated + 1}列`;
        return {
          line,
          reason: 'ROW_CODE_AS_NUMBER',
          message: `“${header}”列是数字格式，超过15位的号码已被电子表格改变（末几位变成0）：请把该列设为文本格式后重新填写`,
          cells,
        };
      }
    }
    const used = usedWidth(cells);
    if (used === 0) return undefined;
    if (record.unclosedQuote) {
      return { line, reason: 'ROW_UNCLOSED_QUOTE', message: '该行有未闭合的引号（"），文件在引号内结束', cells };
    }
    if (used > this.width) {
      return {
        line,
        reason: 'ROW_EXTRA_CELLS',
        message: `该行有${used}列，比表头（${this.width}列）多${used - this.width}列；含逗号的内容需要用英文双引号括起来`,
        cells,
      };
    }
    if (!this.options.shortRowsAreBlank && cells.length < this.width) {
      return {
        line,
        reason: 'ROW_MISSING_CELLS',
        message: `该行只有${cells.length}列，比表头（${this.width}列）少${this.width - cells.length}列`,
        cells,
      };
    }
    const fields: Record<string, string> = {};
    for (let i = 0; i < this.width; i++) {
      const value = cells[i] ?? '';
      const bad = INVALID_CHARACTER.exec(value);
      if (bad) return { line, reason: 'ROW_INVALID_CHARACTER', message: this.invalidCharacterMessage(i, bad), cells };
      const field = this.fields[i];
      if (field) fields[field.code] = value;
    }
    return { line, fields, cells };
  }

  /** Formats numeric cells in place; returns the column of a code stored as a number too long to be exact. */
  private formatNumbers(cells: string[], record: RawRecord): number | undefined {
    let truncated: number | undefined;
    for (const n of record.numbers ?? []) {
      const type = this.fields[n.column]?.type;
      if (type && CODE_TYPES.has(type) && Math.abs(Number(n.raw)) >= EXACT_DIGITS_LIMIT) truncated ??= n.column;
      const isDate = n.dateStyled || type === 'date';
      const date = isDate ? serialToIsoDate(Number(n.raw), this.options.date1904 ?? false) : undefined;
      cells[n.column] = date ?? numberText(n.raw);
    }
    return truncated;
  }

  private invalidCharacterMessage(column: number, match: RegExpExecArray): string {
    const header = this.headers[column] ?? `第${column + 1}列`;
    const position = match.index + 1;
    if (match[0] === '\uFFFD') return `“${header}”列第${position}个字符无法识别（文件编码错误或含有乱码）`;
    const code = match[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0');
    return `“${header}”列第${position}个字符是不允许的控制字符（U+${code}）`;
  }
}

/** Cells up to the last non-blank one; blank trailing cells (trailing commas) do not count. */
function usedWidth(cells: readonly string[]): number {
  for (let i = cells.length - 1; i >= 0; i--) {
    const cell = cells[i];
    if (cell !== undefined && cell.trim() !== '') return i + 1;
  }
  return 0;
}
