// The rejected-rows report adds these two columns after the file's own. The reader ignores them, so an officer can
// correct the rows in the report and import the report itself again.

/** The row number of the rejected row in the original file. */
export const ORIGINAL_LINE_HEADER = '原行号';
/** Why the row was rejected, reasons joined with `；`. */
export const ERROR_REASON_HEADER = '错误原因';

export const REPORT_HEADERS: readonly string[] = [ORIGINAL_LINE_HEADER, ERROR_REASON_HEADER];

export function isReportColumn(header: string): boolean {
  return REPORT_HEADERS.includes(header.trim());
}
