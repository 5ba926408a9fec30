import { randomFillSync } from 'node:crypto';

// Bulk paths make thousands of ids a second: one call for randomness per 256 ids instead of one per id (the
// per-id call showed as 2.5 % of the registry's CPU during bulk import).
const IDS_PER_FILL = 256;
const entropy = Buffer.alloc(16 * IDS_PER_FILL);
let taken = IDS_PER_FILL;

function sixteenRandomBytes(): Buffer {
  if (taken === IDS_PER_FILL) {
    randomFillSync(entropy);
    taken = 0;
  }
  return Buffer.from(entropy.subarray(16 * taken, 16 * ++taken));
}

/**
 * A UUID version 7 (RFC 9562): 48 bits of Unix milliseconds, then random bits. Time-ordered ids keep a B-tree on them
 * append-mostly instead of scattering writes across it (the outbox's unique index, the consumers' inbox keys, the
 * credit check log's primary key; with random ids each insert dirties a random page, and its first change after a
 * checkpoint writes the whole page to the WAL).
 */
export function timeOrderedId(now: number = Date.now()): string {
  const b = sixteenRandomBytes();
  b.writeUIntBE(now, 0, 6);
  b.writeUInt8((b.readUInt8(6) & 0x0f) | 0x70, 6);
  b.writeUInt8((b.readUInt8(8) & 0x3f) | 0x80, 8);
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(s: string): boolean {
  return UUID.test(s);
}
