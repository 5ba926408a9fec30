// Limits that keep a hostile or accidental file from exhausting memory or time. Every limit is stated in the error
// an officer sees, so they can split or convert the file themselves.

export interface FileLimits {
  /** Largest CSV accepted, in bytes (checked before reading). */
  maxCsvBytes: number;
  /** Largest XLSX accepted, in (compressed) bytes (checked before reading). */
  maxXlsxBytes: number;
  /** Longest row, in characters of decoded text (delimiters included). */
  maxRowChars: number;
  /** Most entries an XLSX (zip) may list. */
  maxZipEntries: number;
  /** Largest size one zip entry may inflate to, declared or actual. */
  maxEntryInflatedBytes: number;
  /** Largest inflated/compressed ratio of a zip entry; deflate itself tops out near 1032:1. */
  maxCompressionRatio: number;
  /** Largest inflated size of the small XLSX parts (workbook, relationships, styles). */
  maxMetadataBytes: number;
  /** Total characters of the shared strings table, which has to be held in memory for random access. */
  maxSharedStringChars: number;
  /** Most items in the shared strings table. */
  maxSharedStrings: number;
}

export const DEFAULT_FILE_LIMITS: Readonly<FileLimits> = Object.freeze({
  maxCsvBytes: 1024 * 1024 * 1024,
  maxXlsxBytes: 200 * 1024 * 1024,
  maxRowChars: 64 * 1024,
  maxZipEntries: 10_000,
  maxEntryInflatedBytes: 4 * 1024 * 1024 * 1024,
  maxCompressionRatio: 200,
  maxMetadataBytes: 16 * 1024 * 1024,
  maxSharedStringChars: 40 * 1024 * 1024,
  maxSharedStrings: 5_000_000,
});

export function resolveLimits(overrides?: Partial<FileLimits>): FileLimits {
  return { ...DEFAULT_FILE_LIMITS, ...overrides };
}

/** A byte count as officers read it: "200 MB", "1 GB". */
export function formatBytes(bytes: number): string {
  const units = ['字节', 'KB', 'MB', 'GB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  const shown = Number.isInteger(value) ? String(value) : value.toFixed(1);
  return unit === 0 ? `${shown} ${units[0]}` : `${shown} ${units[unit]}`;
}
