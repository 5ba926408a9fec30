import { describe, expect, it } from 'vitest';
import { calendarDay, isRealDate } from './calendar-day.js';

describe('isRealDate', () => {
  it('knows leap years, including the century rules', () => {
    expect(isRealDate(2024, 2, 29)).toBe(true);
    expect(isRealDate(2023, 2, 29)).toBe(false);
    expect(isRealDate(1900, 2, 29)).toBe(false);
    expect(isRealDate(2000, 2, 29)).toBe(true);
  });

  it('rejects month 0 or 13, day 0 and day 31 in a 30-day month', () => {
    expect(isRealDate(2024, 0, 1)).toBe(false);
    expect(isRealDate(2024, 13, 1)).toBe(false);
    expect(isRealDate(2024, 1, 0)).toBe(false);
    expect(isRealDate(2024, 4, 31)).toBe(false);
  });

  it('handles years below 100 without the legacy two-digit year mapping', () => {
    expect(isRealDate(4, 2, 29)).toBe(true);
    expect(isRealDate(1, 2, 29)).toBe(false);
  });
});

describe('calendarDay', () => {
  it('formats the local calendar day with zero padding', () => {
    expect(calendarDay(new Date(2025, 0, 5, 23, 59))).toBe('2025-01-05');
  });
});
