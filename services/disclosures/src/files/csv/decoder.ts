import iconv from 'iconv-lite';
import type { CsvEncoding } from '../types.js';

/** A streaming decoder: bytes in, text out, characters split across chunks kept until complete; BOMs dropped. */
export interface TextChunkDecoder {
  write(chunk: Buffer): string;
  end(): string;
}

export function createDecoder(encoding: CsvEncoding): TextChunkDecoder {
  if (encoding === 'gb18030') {
    const decoder = iconv.getDecoder('gb18030');
    return { write: (chunk) => decoder.write(chunk), end: () => decoder.end() ?? '' };
  }
  // Not fatal: an invalid sequence past the sniffed sample becomes U+FFFD and fails only its own row.
  const decoder = new TextDecoder(encoding);
  return { write: (chunk) => decoder.decode(chunk, { stream: true }), end: () => decoder.decode() };
}
