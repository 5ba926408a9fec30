import { createWriteStream, type WriteStream } from 'node:fs';
import { once } from 'node:events';
import { finished } from 'node:stream/promises';
import { escapeFormula } from './formula-escape.js';
import { ERROR_REASON_HEADER, isReportColumn, ORIGINAL_LINE_HEADER } from './report-columns.js';
import type { FileFormat } from './types.js';
import { XlsxWriter } from './xlsx/xlsx-writer.js';

// The rejected-rows report (错误数据报告): the rejected rows in the input's format and with its header texts, plus
// 原行号 (the row number in the original file, so the officer can find it) and 错误原因 (last). The reader ignores
// both columns, so the corrected report can be imported as it is. Every cell that a spreadsheet could run as a
// formula is escaped.

export interface RejectedRow {
  /** Row number in the original file. */
  line: number;
  /** The row's cells as read (`FileRow.cells`). */
  cells: readonly string[];
  /** Why it was rejected, one message per problem. */
  reasons: readonly string[];
}

export interface RejectedRowsReport {
  append(row: RejectedRow): Promise<void>;
  /** Finishes the file; returns how many rows it holds. */
  close(): Promise<{ rows: number }>;
}

export interface ReportOptions {
  format: FileFormat;
  /** The header texts of the input file (`DisclosureFile.headers`). */
  headers: readonly string[];
  /** XLSX only. */
  sheetName?: string;
}

export const REASON_SEPARATOR = '；';

export async function openRejectedRowsReport(path: string, options: ReportOptions): Promise<RejectedRowsReport> {
  // The input may itself be a corrected report: its own 原行号/错误原因 columns are replaced, not repeated.
  const kept = options.headers.flatMap((header, index) => (isReportColumn(header) ? [] : [index]));
  const width = options.headers.length;
  const sink = options.format === 'csv' ? CsvSink.create(path) : XlsxSink.create(path, options.sheetName ?? '错误数据');
  await sink.write([...kept.map((i) => options.headers[i] ?? ''), ORIGINAL_LINE_HEADER, ERROR_REASON_HEADER]);
  let rows = 0;
  return {
    async append(row) {
      rows++;
      const cells = kept.map((i) => escapeFormula(row.cells[i] ?? ''));
      await sink.write([...cells, String(row.line), escapeFormula(reasonText(row, width))]);
    },
    async close() {
      await sink.close();
      return { rows };
    },
  };
}

/** Reasons joined; cells beyond the header (an extra-columns row) are kept in the text so nothing is lost. */
function reasonText(row: RejectedRow, width: number): string {
  const reasons = row.reasons.join(REASON_SEPARATOR);
  const extra = row.cells.slice(width).filter((c) => c.trim() !== '');
  return extra.length === 0 ? reasons : `${reasons}${REASON_SEPARATOR}多出的单元格内容：${extra.map((c) => `“${c}”`).join('、')}`;
}

interface Sink {
  write(cells: readonly string[]): Promise<void>;
  close(): Promise<void>;
}

class CsvSink implements Sink {
  private constructor(private readonly out: WriteStream) {}

  /** UTF-8 with a BOM: without it Excel on Chinese Windows reads the file as GBK and shows garbage. */
  static create(path: string): CsvSink {
    const out = createWriteStream(path);
    // A failed write (disk full) surfaces from write() or close(); it must not crash the process.
    out.on('error', () => {});
    out.write('\uFEFF');
    return new CsvSink(out);
  }

  async write(cells: readonly string[]): Promise<void> {
    if (!this.out.write(`${cells.map(quoteCsv).join(',')}\r\n`)) await once(this.out, 'drain');
  }

  async close(): Promise<void> {
    this.out.end();
    await finished(this.out);
  }
}

class XlsxSink implements Sink {
  private constructor(private readonly writer: XlsxWriter) {}

  static create(path: string, sheetName: string): XlsxSink {
    return new XlsxSink(XlsxWriter.create(path, sheetName));
  }

  write(cells: readonly string[]): Promise<void> {
    return this.writer.addRow(cells);
  }

  close(): Promise<void> {
    return this.writer.close();
  }
}

/** RFC 4180 quoting, only where needed. */
export function quoteCsv(cell: string): string {
  return /[",\r\n]/.test(cell) ? `"${cell.replace(/"/g, '""')}"` : cell;
}
