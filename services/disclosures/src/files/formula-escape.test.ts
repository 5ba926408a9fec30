import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { escapeFormula } from './formula-escape.js';

describe('formula escaping', () => {
  it('never leaves a value a spreadsheet would run as a formula, and changes nothing else', () => {
    const value = fc.string({ unit: fc.constantFrom('=', '+', '-', '@', '\t', '\r', '1', '.', 'a', '藏', ' ', "'") });
    fc.assert(
      fc.property(value, (v) => {
        const escaped = escapeFormula(v);
        const runnable = /^[=+\-@\t\r]/.test(escaped) && !/^[+-]?\d+(\.\d+)?$/.test(escaped);
        expect(runnable).toBe(false);
        expect(escaped === v || escaped === `'${v}`).toBe(true);
      }),
    );
  });
});
