import { DomainError } from '@credit/platform/errors';

// Why a whole file is refused. Row-level problems are not errors: they come back as `RowError` values so that one
// bad row never stops the import of the others.
export type FileErrorReason =
  | 'FILE_EMPTY'
  | 'FILE_TOO_LARGE'
  | 'FILE_NOT_CSV_OR_XLSX'
  | 'FILE_OLD_XLS'
  | 'FILE_ENCODING_UNKNOWN'
  | 'FILE_NO_HEADER'
  | 'HEADER_TOO_LONG'
  | 'HEADER_EMPTY_CELL'
  | 'HEADER_UNKNOWN_COLUMNS'
  | 'HEADER_DUPLICATE_COLUMNS'
  | 'HEADER_MISSING_REQUIRED_COLUMNS'
  | 'HEADER_KIND_UNKNOWN'
  | 'XLSX_INVALID'
  | 'XLSX_TOO_MANY_ENTRIES'
  | 'XLSX_ENTRY_TOO_LARGE'
  | 'XLSX_COMPRESSION_RATIO'
  | 'XLSX_SHARED_STRINGS_TOO_LARGE';

/** A file the import cannot read at all; `message` tells the officer what to do about it. */
export function fileError(reason: FileErrorReason, message: string): DomainError {
  return new DomainError('INVALID_ARGUMENT', reason, message);
}

export const NOT_VALID_XLSX = '不是有效的 XLSX 文件';
