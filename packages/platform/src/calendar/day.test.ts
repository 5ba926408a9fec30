import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addCalendarDays, addMonths, dayFromNumber, dayNumber, weekday } from './day.js';

describe('calendar days', () => {
  it('counts days from 1970-01-01 and back', () => {
    expect(dayNumber('1970-01-01')).toBe(0);
    expect(dayNumber('2024-03-01') - dayNumber('2024-02-28')).toBe(2);
    expect(dayFromNumber(dayNumber('2026-12-31'))).toBe('2026-12-31');
  });

  it('refuses a malformed or impossible day', () => {
    expect(() => dayNumber('2023-02-29')).toThrow(RangeError);
    expect(() => dayNumber('2024/10/01')).toThrow(RangeError);
    expect(() => dayNumber('2024-13-01')).toThrow(RangeError);
  });

  it('knows the weekday of a day whatever the process time zone', () => {
    expect(weekday('2024-09-29')).toBe(0); // Sunday
    expect(weekday('2024-10-12')).toBe(6); // Saturday
    expect(weekday('2025-01-29')).toBe(3); // Wednesday, Spring Festival
  });

  it('adds calendar days across month and year ends', () => {
    expect(addCalendarDays('2024-12-31', 1)).toBe('2025-01-01');
    expect(addCalendarDays('2024-03-01', -1)).toBe('2024-02-29');
  });

  it('adds months keeping the day, or ending on the last day of a shorter month', () => {
    expect(addMonths('2024-01-15', 3)).toBe('2024-04-15');
    expect(addMonths('2024-01-31', 1)).toBe('2024-02-29');
    expect(addMonths('2023-11-30', 3)).toBe('2024-02-29');
    expect(addMonths('2024-02-29', 12)).toBe('2025-02-28');
    expect(addMonths('2024-05-31', 36)).toBe('2027-05-31');
  });

  it('never makes a later period end earlier than a shorter one', () => {
    const day = fc.integer({ min: dayNumber('2019-01-01'), max: dayNumber('2030-12-31') }).map(dayFromNumber);
    fc.assert(
      fc.property(day, fc.integer({ min: 0, max: 48 }), (start, months) => {
        expect(addMonths(start, months + 1) > addMonths(start, months)).toBe(true);
      }),
    );
  });
});
