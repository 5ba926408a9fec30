import { parse } from 'csv-parse/sync';
import { invalidArgument } from '@credit/platform';
import { LIST_HEADERS, missingHeaders, type ListRow } from '../domain/index.js';

export const MAX_CSV_BYTES = 5 * 1024 * 1024;
export const MAX_ROWS = 5000;

const fileError = (reason: string, message: string) => invalidArgument([{ field: 'csv', reason, message }]);

/** The rows of a 权责清单 CSV with the spreadsheet row number of each; refuses the file as a whole when unreadable. */
export function readResponsibilityList(bytes: Uint8Array): Array<{ row: number; values: ListRow }> {
  if (bytes.byteLength === 0) throw fileError('EMPTY_FILE', '文件为空');
  if (bytes.byteLength > MAX_CSV_BYTES) throw fileError('FILE_TOO_LARGE', `文件超过${MAX_CSV_BYTES / 1024 / 1024}MB`);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    throw fileError('NOT_UTF8', '文件不是 UTF-8 编码，请在 Excel 中“另存为 CSV UTF-8”后再导入（GBK/GB18030 编码的文件不能导入）');
  }
  let records: string[][];
  try {
    records = parse(text, { relax_column_count: true, trim: true }) as string[][];
  } catch (err) {
    throw fileError('BAD_CSV', `CSV 格式错误：${(err as Error).message}`);
  }
  const [header, ...body] = records;
  if (!header) throw fileError('EMPTY_FILE', '文件没有表头');
  const missing = missingHeaders(header);
  if (missing.length > 0) throw fileError('MISSING_COLUMNS', `缺少列：${missing.join('、')}（表头须包含${LIST_HEADERS.join('、')}）`);
  if (body.length > MAX_ROWS) throw fileError('TOO_MANY_ROWS', `一次最多导入${MAX_ROWS}行`);
  const index = Object.fromEntries(LIST_HEADERS.map((h) => [h, header.findIndex((c) => c.trim() === h)])) as Record<keyof ListRow, number>;
  // Blank lines are skipped but still counted, so row numbers match what the officer sees in the spreadsheet.
  return body.flatMap((cells, i) =>
    cells.every((c) => c === '')
      ? []
      : [{ row: i + 2, values: Object.fromEntries(LIST_HEADERS.map((h) => [h, cells[index[h]] ?? ''])) as ListRow }],
  );
}
