import iconv from 'iconv-lite';
import type { CsvEncoding } from './types.js';

// The format is decided by the bytes, never by the file name: officers rename files, and a hostile file lies.

export const SNIFF_BYTES = 64 * 1024;

export type Sniffed =
  | { kind: 'xlsx' }
  | { kind: 'old-xls' }
  | { kind: 'binary' }
  | { kind: 'text'; encoding: CsvEncoding }
  | { kind: 'unknown-encoding' };

const ZIP_LOCAL_HEADER = [0x50, 0x4b, 0x03, 0x04];
const OLE2 = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];

function startsWith(head: Uint8Array, magic: readonly number[]): boolean {
  return head.length >= magic.length && magic.every((b, i) => head[i] === b);
}

/** Classifies a file from its first bytes (up to SNIFF_BYTES); `complete` says the sample is the whole file. */
export function sniff(head: Uint8Array, complete: boolean): Sniffed {
  if (startsWith(head, ZIP_LOCAL_HEADER)) return { kind: 'xlsx' };
  if (startsWith(head, OLE2)) return { kind: 'old-xls' };
  // Excel's "Unicode text" export: UTF-16LE with a BOM, full of NUL bytes by nature.
  if (head[0] === 0xff && head[1] === 0xfe) return { kind: 'text', encoding: 'utf-16le' };
  if (head.includes(0) || controlShare(head) > 0.01) return { kind: 'binary' };
  if (isUtf8(head, complete)) return { kind: 'text', encoding: 'utf-8' };
  return decodesAsGb18030(head) ? { kind: 'text', encoding: 'gb18030' } : { kind: 'unknown-encoding' };
}

/** Share of C0 control bytes other than tab, line feed, carriage return (text files have next to none). */
function controlShare(head: Uint8Array): number {
  let controls = 0;
  for (const b of head) if (b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d) controls++;
  return head.length === 0 ? 0 : controls / head.length;
}

function isUtf8(head: Uint8Array, complete: boolean): boolean {
  try {
    // `stream: true` forgives a character cut at the end of the sample.
    new TextDecoder('utf-8', { fatal: true }).decode(head, { stream: !complete });
    return true;
  } catch {
    return false;
  }
}

function decodesAsGb18030(head: Uint8Array): boolean {
  // The streaming decoder keeps a cut character for later instead of emitting a replacement character.
  const text = iconv.getDecoder('gb18030').write(Buffer.from(head.buffer, head.byteOffset, head.byteLength));
  return !text.includes('\uFFFD');
}
