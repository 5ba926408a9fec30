import { describe, expect, it } from 'vitest';
import { isUuid, timeOrderedId } from './time-ordered-id.js';

describe('timeOrderedId', () => {
  it('is a version 7 UUID with the RFC 9562 variant', () => {
    const id = timeOrderedId();
    expect(isUuid(id)).toBe(true);
    expect(id[14]).toBe('7');
    expect('89ab').toContain(id[19]);
  });

  it('sorts by creation time', () => {
    const ids = [0, 1, 2, 1_000, 1_700_000_000_000].map((ms) => timeOrderedId(ms));
    expect([...ids].sort()).toEqual(ids);
  });

  it('is unique among many ids of the same millisecond', () => {
    const ids = Array.from({ length: 10_000 }, () => timeOrderedId(42));
    expect(new Set(ids).size).toBe(ids.length);
  });
});
