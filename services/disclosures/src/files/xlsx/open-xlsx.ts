import type { FileLimits } from '../limits.js';
import type { RawRecordSource } from '../raw-record.js';
import type { ReadProgress } from '../types.js';
import { readSharedStrings } from './shared-strings.js';
import { sheetRecords } from './sheet-records.js';
import { readDateStyles } from './styles.js';
import { locateWorkbookParts } from './workbook.js';
import { ZipArchive } from './zip-archive.js';

export interface XlsxSource {
  sheetName: string;
  date1904: boolean;
  source: RawRecordSource;
  progress(): ReadProgress;
  close(): void;
}

/** Opens the first worksheet of an XLSX workbook as a stream of raw records. */
export async function openXlsxSource(path: string, limits: FileLimits): Promise<XlsxSource> {
  const archive = await ZipArchive.open(path, limits);
  try {
    const parts = await locateWorkbookParts(archive, limits);
    const dateStyles = await readDateStyles(archive, parts.stylesPath, limits);
    const sharedStrings = await readSharedStrings(archive, parts.sharedStringsPath, limits);
    const sheet = archive.entry(parts.sheetPath);
    if (!sheet) throw new Error(`sheet part ${parts.sheetPath} vanished`);
    let compressedRead = 0;
    const source = sheetRecords(archive, sheet, {
      sharedStrings,
      dateStyles,
      maxRowChars: limits.maxRowChars,
      maxEntryBytes: limits.maxEntryInflatedBytes,
      onCompressed: (bytes) => (compressedRead = bytes),
    });
    return {
      sheetName: parts.sheetName,
      date1904: parts.date1904,
      source,
      progress: () => ({ bytesRead: compressedRead, totalBytes: sheet.compressedSize }),
      close: () => archive.close(),
    };
  } catch (err) {
    archive.close();
    throw err;
  }
}
