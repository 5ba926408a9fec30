import { open, stat } from 'node:fs/promises';
import { fieldForHeader } from '@credit/standards';
import { csvRecords } from './csv/records.js';
import { fileError } from './file-error.js';
import { mapHeaders, type HeaderMapping } from './header-mapping.js';
import { formatBytes, resolveLimits, type FileLimits } from './limits.js';
import type { RawRecord, RawRecordSource } from './raw-record.js';
import { RowBuilder } from './row-builder.js';
import { sniff, SNIFF_BYTES } from './sniff.js';
import type { CsvEncoding, DisclosureFile, FileRow, OpenFileOptions, ReadProgress } from './types.js';
import { openXlsxSource } from './xlsx/open-xlsx.js';

/**
 * Opens a licence or penalty file (CSV or XLSX, decided by its content) and reads its header. Throws a DomainError
 * (INVALID_ARGUMENT, reason `FILE_*`, `HEADER_*` or `XLSX_*`) when the file as a whole cannot be imported; problems
 * of single rows come back from `rows()` as RowError values.
 */
export async function openDisclosureFile(path: string, options: OpenFileOptions = {}): Promise<DisclosureFile> {
  const limits = resolveLimits(options.limits);
  const { size } = await stat(path);
  if (size === 0) throw fileError('FILE_EMPTY', '文件为空');
  const head = await readHead(path);
  const sniffed = sniff(head, size <= head.length);
  switch (sniffed.kind) {
    case 'old-xls':
      throw fileError('FILE_OLD_XLS', '不支持旧版 Excel（.xls）文件：请在 Excel 或 WPS 中另存为 .xlsx 或 CSV（UTF-8）后再导入');
    case 'binary':
      throw fileError('FILE_NOT_CSV_OR_XLSX', '不是 CSV 或 XLSX 文件：请导入 CSV 或 Excel（.xlsx）格式的文件');
    case 'unknown-encoding':
      throw fileError(
        'FILE_ENCODING_UNKNOWN',
        '文件编码无法识别：既不是 UTF-8，也不是 GBK（GB18030）；请在 Excel 或 WPS 中另存为“CSV UTF-8”后再导入',
      );
    case 'xlsx':
      checkSize(size, limits.maxXlsxBytes, 'XLSX');
      return openXlsx(path, options, limits);
    case 'text':
      checkSize(size, limits.maxCsvBytes, 'CSV');
      return openCsv(path, size, head, sniffed.encoding, options, limits);
  }
}

async function readHead(path: string): Promise<Uint8Array> {
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(SNIFF_BYTES);
    const { bytesRead } = await handle.read(buffer, 0, SNIFF_BYTES, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

function checkSize(size: number, limit: number, format: string): void {
  if (size > limit) {
    throw fileError('FILE_TOO_LARGE', `${format} 文件大小为${formatBytes(size)}，超过${formatBytes(limit)}的上限：请拆分成多个文件导入`);
  }
}

async function openCsv(
  path: string,
  size: number,
  head: Uint8Array,
  encoding: CsvEncoding,
  options: OpenFileOptions,
  limits: FileLimits,
): Promise<DisclosureFile> {
  const delimiter = detectDelimiter(head, encoding);
  let bytesRead = 0;
  const source = csvRecords(path, { encoding, delimiter, maxRowChars: limits.maxRowChars, onBytes: (b) => (bytesRead = b) });
  const header = await readHeader(source, options);
  const { mapping, pending } = header;
  const notices = [...(encoding === 'gb18030' ? ['文件不是 UTF-8 编码，已按 GBK（GB18030）编码读取'] : []), ...header.notices];
  const builder = new RowBuilder({ columns: mapping.columns, maxRowChars: limits.maxRowChars, shortRowsAreBlank: false });
  return disclosureFile(
    { format: 'csv', kind: mapping.kind, encoding, delimiter, headers: mapping.headers, columns: mapping.columns, notices },
    { source, pending, builder, progress: () => ({ bytesRead, totalBytes: size }), release: async () => {} },
  );
}

async function openXlsx(path: string, options: OpenFileOptions, limits: FileLimits): Promise<DisclosureFile> {
  const xlsx = await openXlsxSource(path, limits);
  try {
    const { mapping, pending, notices } = await readHeader(xlsx.source, options);
    const builder = new RowBuilder({
      columns: mapping.columns,
      maxRowChars: limits.maxRowChars,
      shortRowsAreBlank: true,
      date1904: xlsx.date1904,
    });
    return disclosureFile(
      { format: 'xlsx', kind: mapping.kind, sheetName: xlsx.sheetName, headers: mapping.headers, columns: mapping.columns, notices },
      { source: xlsx.source, pending, builder, progress: xlsx.progress, release: async () => xlsx.close() },
    );
  } catch (err) {
    await xlsx.source.return();
    xlsx.close();
    throw err;
  }
}

/** A sheet title above the header (e.g. a merged “行政处罚信息表” row) is skipped, at most this many rows. */
const MAX_TITLE_ROWS = 3;

/**
 * The header is the first non-empty row that is not a title (one non-blank cell that names no field); records
 * already read past it are handed on.
 */
async function readHeader(
  source: RawRecordSource,
  options: OpenFileOptions,
): Promise<{ mapping: HeaderMapping; pending: RawRecord[]; notices: string[] }> {
  const notices: string[] = [];
  try {
    for (;;) {
      const next = await source.next();
      if (next.done) throw fileError('FILE_NO_HEADER', '文件中没有表头行：第一行应为列名');
      const batch = next.value;
      for (let index = 0; index < batch.length; index++) {
        const record = batch[index] as RawRecord;
        if (record.tooLong) throw fileError('HEADER_TOO_LONG', `第${record.line}行过长，不是表头行：第一行应为列名`);
        const filled = record.cells.filter((c) => c.trim() !== '');
        if (filled.length === 0) continue;
        if (isTitle(filled) && notices.length < MAX_TITLE_ROWS) {
          notices.push(`已跳过第${record.line}行的标题“${(filled[0] ?? '').trim().slice(0, 50)}”`);
          continue;
        }
        return { mapping: mapHeaders(record.cells, options.kind), pending: batch.slice(index + 1), notices };
      }
    }
  } catch (err) {
    await source.return();
    throw err;
  }
}

function isTitle(filled: readonly string[]): boolean {
  const only = filled.length === 1 ? (filled[0] ?? '') : undefined;
  return only !== undefined && !fieldForHeader('penalty', only) && !fieldForHeader('licence', only);
}

function detectDelimiter(head: Uint8Array, encoding: CsvEncoding): ',' | '\t' {
  const text = new TextDecoder(encoding === 'gb18030' ? 'gb18030' : encoding).decode(head.subarray(0, 16 * 1024));
  const firstLine = text.split(/\r?\n|\r/, 1)[0] ?? '';
  return firstLine.includes('\t') && !firstLine.includes(',') ? '\t' : ',';
}

interface Reading {
  source: RawRecordSource;
  pending: RawRecord[];
  builder: RowBuilder;
  progress: () => ReadProgress;
  release: () => Promise<void>;
}

type FileInfo = Omit<DisclosureFile, 'progress' | 'rows' | 'close'>;

function disclosureFile(info: FileInfo, reading: Reading): DisclosureFile {
  let started = false;
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    await reading.source.return();
    await reading.release();
  };
  async function* rows(): AsyncGenerator<FileRow> {
    if (started) throw new Error('rows() of a disclosure file can be iterated only once');
    started = true;
    try {
      for (const record of reading.pending) {
        const row = reading.builder.build(record);
        if (row) yield row;
      }
      reading.pending = [];
      for await (const batch of reading.source) {
        for (const record of batch) {
          const row = reading.builder.build(record);
          if (row) yield row;
        }
      }
    } finally {
      await close();
    }
  }
  return { ...info, progress: reading.progress, rows, close };
}
