import { createHash } from 'node:crypto';

/** The service keeps request ids of at most 128 characters; the prefix leaves room for the index and the digest. */
export const MAX_REQUEST_PREFIX = 64;

export interface ChunkContent {
  itemCode: string;
  columns: readonly string[];
  rows: readonly { line: number; values: readonly string[] }[];
}

/**
 * The request id of one IngestRecords chunk, named by its content: the same rows sent again — the same file imported
 * again after a crash or an interruption — get the first answers and store nothing twice, while a chunk whose rows
 * changed is a new request. Hashing each chunk as it goes needs no pass over the whole file before the first send.
 * The index keeps two chunks of identical content (a file pasted twice) apart; the prefix lets an officer start over.
 */
export function chunkRequestId(prefix: string, index: number, chunk: ChunkContent): string {
  // Separators that cannot occur in a cell read from a file (control characters fail the row), so the digest of
  // ["a", "bc"] differs from that of ["ab", "c"].
  const hash = createHash('sha256').update(chunk.itemCode).update('\u0000').update(chunk.columns.join('\u0001'));
  for (const row of chunk.rows) hash.update(`\u0000${row.line}\u0001`).update(row.values.join('\u0001'));
  return `${prefix}-${index}-${hash.digest('base64url').slice(0, 22)}`;
}
