import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { chunkRequestId, MAX_REQUEST_PREFIX } from './chunk-request-id.js';

const cell = fc.string({ maxLength: 8 });
const chunk = fc.record({
  itemCode: fc.constantFrom('AMR-CF-001', 'AMR-XK-001'),
  columns: fc.constant(['CF_WSH', 'CF_XDR_MC']),
  rows: fc.array(fc.record({ line: fc.integer({ min: 2, max: 1_000_000 }), values: fc.tuple(cell, cell) }), { minLength: 1, maxLength: 5 }),
});

describe('chunk request ids', () => {
  it('are the same for the same chunk of the same import, so a re-run is answered from the first', () => {
    fc.assert(fc.property(chunk, fc.nat(5000), (c, index) => {
      expect(chunkRequestId('import', index, structuredClone(c))).toBe(chunkRequestId('import', index, c));
    }));
  });

  it('differ when any value of the chunk changes, even when the text moves between neighbouring cells', () => {
    fc.assert(fc.property(chunk, fc.nat(), cell, (c, pick, extra) => {
      const changed = structuredClone(c);
      const row = changed.rows[pick % changed.rows.length]!;
      row.values = [row.values[0] + extra + 'x', row.values[1]];
      expect(chunkRequestId('import', 0, changed)).not.toBe(chunkRequestId('import', 0, c));
    }));
    const split = (a: string, b: string) => chunkRequestId('p', 0, { itemCode: 'AMR-CF-001', columns: ['A', 'B'], rows: [{ line: 2, values: [a, b] }] });
    expect(split('ab', 'c')).not.toBe(split('a', 'bc'));
  });

  it('differ between chunks, items and prefixes', () => {
    const c = { itemCode: 'AMR-CF-001', columns: ['CF_WSH'], rows: [{ line: 2, values: ['藏市监罚〔2026〕1号'] }] };
    const ids = new Set([chunkRequestId('import', 0, c), chunkRequestId('import', 1, c), chunkRequestId('again', 0, c), chunkRequestId('import', 0, { ...c, itemCode: 'TAX-CF-001' })]);
    expect(ids.size).toBe(4);
  });

  it('fit the service limit of 128 characters with the longest prefix allowed', () => {
    const c = { itemCode: 'AMR-CF-001', columns: ['CF_WSH'], rows: [{ line: 2, values: ['x'] }] };
    expect(chunkRequestId('p'.repeat(MAX_REQUEST_PREFIX), 9_999_999, c).length).toBeLessThanOrEqual(128);
  });
});
