import { fileError } from '../file-error.js';
import type { FileLimits } from '../limits.js';
import { readXmlPart } from './read-part.js';
import { decodeOoxmlEscapes } from './xml-stream.js';
import type { ZipArchive } from './zip-archive.js';

/**
 * The shared strings table, which cells refer to by index and so must be held in memory: bounded in item count and
 * total characters. Phonetic runs (`rPh`, furigana) are not part of the text.
 */
export async function readSharedStrings(archive: ZipArchive, path: string | undefined, limits: FileLimits): Promise<string[]> {
  const entry = path ? archive.entry(path) : undefined;
  const strings: string[] = [];
  if (!entry) return strings;
  let totalChars = 0;
  let current: string[] | undefined;
  let inText = false;
  let phoneticDepth = 0;
  const tooLarge = (what: string) =>
    fileError('XLSX_SHARED_STRINGS_TOO_LARGE', `XLSX 的共享字符串表过大（${what}），请改用 CSV 格式导入或拆分文件`);
  await readXmlPart(archive, entry, limits.maxEntryInflatedBytes, Math.max(1024 * 1024, 4 * limits.maxRowChars), {
    open(name) {
      if (name === 'si') current = [];
      else if (name === 'rPh') phoneticDepth++;
      else if (name === 't') inText = true;
    },
    close(name) {
      if (name === 'si' && current) {
        if (strings.length >= limits.maxSharedStrings) throw tooLarge(`超过${limits.maxSharedStrings}项`);
        strings.push(decodeOoxmlEscapes(current.join('')));
        current = undefined;
      } else if (name === 'rPh') phoneticDepth--;
      else if (name === 't') inText = false;
    },
    text(text) {
      if (!current || !inText || phoneticDepth > 0) return;
      totalChars += text.length;
      if (totalChars > limits.maxSharedStringChars) throw tooLarge(`超过${limits.maxSharedStringChars}个字符`);
      current.push(text);
    },
  });
  return strings;
}
