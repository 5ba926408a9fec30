import type { DisclosureKind, StandardField } from '@credit/standards';
import type { FileLimits } from './limits.js';

export type FileFormat = 'csv' | 'xlsx';
export type CsvEncoding = 'utf-8' | 'gb18030' | 'utf-16le';

/** Why one row could not be read. Validation of the values themselves happens later, in the domain. */
export type RowErrorReason =
  | 'ROW_TOO_LONG'
  | 'ROW_EXTRA_CELLS'
  | 'ROW_MISSING_CELLS'
  | 'ROW_INVALID_CHARACTER'
  | 'ROW_UNCLOSED_QUOTE'
  | 'ROW_CODE_AS_NUMBER';

/** A row read from the file. `line` is the row number the officer sees (the header is row 1 of a CSV). */
export interface FileRecord {
  readonly line: number;
  /** Values by field code (`CF_WSH`), one per mapped column; blank cells are ''. */
  readonly fields: Record<string, string>;
  /** The cells as read, in the file's column order, for the rejected-rows report. */
  readonly cells: readonly string[];
}

export interface RowError {
  readonly line: number;
  readonly reason: RowErrorReason;
  readonly message: string;
  /** The cells as read (empty when the row was too long to keep). */
  readonly cells: readonly string[];
}

export type FileRow = FileRecord | RowError;

export function isRowError(row: FileRow): row is RowError {
  return 'reason' in row;
}

/** A column of the file: a standard field, or one of the report's own columns that the reader ignores. */
export interface FileColumn {
  readonly header: string;
  readonly field?: StandardField;
}

export interface ReadProgress {
  /** Bytes consumed so far: of the file for CSV, of the worksheet's compressed data for XLSX. */
  readonly bytesRead: number;
  readonly totalBytes: number;
}

export interface OpenFileOptions {
  /** Skip detection from the headers. */
  kind?: DisclosureKind;
  limits?: Partial<FileLimits>;
}

export interface DisclosureFile {
  readonly format: FileFormat;
  readonly kind: DisclosureKind;
  /** CSV only: the encoding the file was read with. */
  readonly encoding?: CsvEncoding;
  /** CSV only. */
  readonly delimiter?: ',' | '\t';
  /** XLSX only: the worksheet read. */
  readonly sheetName?: string;
  /** The header texts as in the file (trimmed), for the rejected-rows report. */
  readonly headers: readonly string[];
  readonly columns: readonly FileColumn[];
  /** Things the officer should be told, e.g. `已按 GBK（GB18030）编码读取`. */
  readonly notices: readonly string[];
  progress(): ReadProgress;
  /** The data rows, in file order; can be iterated once. Throws a file error (DomainError) if the file breaks mid-way. */
  rows(): AsyncIterableIterator<FileRow>;
  /** Releases the file; needed only when `rows()` is not iterated to the end. */
  close(): Promise<void>;
}
