// Reading and writing double publicity (双公示) files: CSV and XLSX licence/penalty files in, rejected-rows reports out.
export { openDisclosureFile } from './open-file.js';
export { openRejectedRowsReport, REASON_SEPARATOR, type RejectedRow, type RejectedRowsReport, type ReportOptions } from './report-writer.js';
export { ERROR_REASON_HEADER, ORIGINAL_LINE_HEADER } from './report-columns.js';
export { DEFAULT_FILE_LIMITS, type FileLimits } from './limits.js';
export type { FileErrorReason } from './file-error.js';
export { escapeFormula } from './formula-escape.js';
export { XlsxWriter, type XlsxCell } from './xlsx/xlsx-writer.js';
export {
  isRowError,
  type CsvEncoding,
  type DisclosureFile,
  type FileColumn,
  type FileFormat,
  type FileRecord,
  type FileRow,
  type OpenFileOptions,
  type ReadProgress,
  type RowError,
  type RowErrorReason,
} from './types.js';
