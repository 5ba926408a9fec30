import type { FileLimits } from '../limits.js';
import { readXmlPart } from './read-part.js';
import type { ZipArchive } from './zip-archive.js';

// A date cell is a number whose style has a date format. Built-in format ids 14–22 and 45–47 are dates everywhere;
// 27–36 and 50–58 are the East Asian date formats (年/月/日) that Chinese Excel and WPS use.
const BUILT_IN_DATE_FORMATS = new Set([14, 15, 16, 17, 18, 19, 20, 21, 22, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 45, 46, 47, 50, 51, 52, 53, 54, 55, 56, 57, 58]);

/** The indexes (the `s` attribute of a cell) of the cell formats that show dates. */
export async function readDateStyles(archive: ZipArchive, path: string | undefined, limits: FileLimits): Promise<Set<number>> {
  const entry = path ? archive.entry(path) : undefined;
  const dateStyles = new Set<number>();
  if (!entry) return dateStyles;
  const customDateFormats = new Set<number>();
  let inCellXfs = false;
  let xfIndex = 0;
  await readXmlPart(archive, entry, limits.maxMetadataBytes, 1024 * 1024, {
    open(name, attributes) {
      if (name === 'numFmt' && isDateFormatCode(attributes['formatCode'] ?? '')) {
        customDateFormats.add(Number(attributes['numFmtId']));
      } else if (name === 'cellXfs') {
        inCellXfs = true;
      } else if (name === 'xf' && inCellXfs) {
        const id = Number(attributes['numFmtId'] ?? 0);
        if (BUILT_IN_DATE_FORMATS.has(id) || customDateFormats.has(id)) dateStyles.add(xfIndex);
        xfIndex++;
      }
    },
    close(name) {
      if (name === 'cellXfs') inCellXfs = false;
    },
    text() {},
  });
  return dateStyles;
}

/** A custom number format shows a date when, outside quoted text, escapes and [colour] sections, it has y, m or d. */
export function isDateFormatCode(code: string): boolean {
  const bare = code
    .replace(/"[^"]*"/g, '')
    .replace(/\\./g, '')
    .replace(/\[[^\]]*\]/g, '');
  return /[yd]/i.test(bare) || /m/i.test(bare.replace(/h+:?m+|m+:?s+/gi, ''));
}
