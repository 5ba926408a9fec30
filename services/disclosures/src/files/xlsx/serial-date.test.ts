import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isoDateToSerial, serialToIsoDate } from './serial-date.js';

describe('spreadsheet date serials', () => {
  it('knows the fixed points of the 1900 system, including its phantom 29 February', () => {
    expect(serialToIsoDate(1, false)).toBe('1900-01-01');
    expect(serialToIsoDate(59, false)).toBe('1900-02-28');
    expect(serialToIsoDate(60, false)).toBe('1900-02-29');
    expect(serialToIsoDate(61, false)).toBe('1900-03-01');
    expect(serialToIsoDate(45366.75, false)).toBe('2024-03-15');
  });

  it('counts the 1904 system from 1904-01-01', () => {
    expect(serialToIsoDate(0, true)).toBe('1904-01-01');
    expect(serialToIsoDate(43904, true)).toBe('2024-03-15');
  });

  it('gives no date for serials a spreadsheet cannot show', () => {
    expect(serialToIsoDate(0, false)).toBeUndefined();
    expect(serialToIsoDate(-1, true)).toBeUndefined();
    expect(serialToIsoDate(3e6, false)).toBeUndefined();
    expect(serialToIsoDate(Number.NaN, false)).toBeUndefined();
  });

  it('round-trips every date from 1900-03-01 to 9999-12-31', () => {
    const day = fc.integer({ min: 61, max: 2_958_465 });
    fc.assert(
      fc.property(day, (serial) => {
        const iso = serialToIsoDate(serial, false);
        expect(iso).toBeDefined();
        expect(isoDateToSerial(iso as string)).toBe(serial);
      }),
    );
  });
});
