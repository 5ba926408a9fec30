import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dayFromNumber, dayNumber, weekday } from './day.js';
import { isOfficialCalendarKnown, officialCalendarYears } from './official-calendar.js';
import { addWorkingDays, isWorkingDay, workingDaysBetween } from './working-days.js';

describe('isWorkingDay', () => {
  it('rests through the National Day holidays 2024-10-01 to 10-07 and works on the day after', () => {
    for (let d = 1; d <= 7; d++) expect(isWorkingDay(`2024-10-0${d}`), `2024-10-0${d}`).toBe(false);
    expect(isWorkingDay('2024-10-08')).toBe(true);
  });

  it('works on the make-up days of National Day 2024: Sunday 09-29 and Saturday 10-12', () => {
    expect(isWorkingDay('2024-09-29')).toBe(true);
    expect(isWorkingDay('2024-10-12')).toBe(true);
    expect(isWorkingDay('2024-10-13')).toBe(false);
  });

  it('rests through Spring Festival 2025 (01-28 to 02-04) and works on its make-up days 01-26 and 02-08', () => {
    for (const day of ['2025-01-28', '2025-01-29', '2025-01-31', '2025-02-03', '2025-02-04']) expect(isWorkingDay(day), day).toBe(false);
    expect(isWorkingDay('2025-01-26')).toBe(true);
    expect(isWorkingDay('2025-02-08')).toBe(true);
    expect(isWorkingDay('2025-02-05')).toBe(true);
  });

  it('works on the 2026 make-up Saturday 02-28 after Spring Festival, and rests on the holiday Monday 02-23', () => {
    expect(isWorkingDay('2026-02-28')).toBe(true);
    expect(isWorkingDay('2026-02-23')).toBe(false);
  });

  it('treats an ordinary weekday as working and an ordinary weekend as rest', () => {
    expect(isWorkingDay('2024-11-13')).toBe(true);
    expect(isWorkingDay('2024-11-16')).toBe(false);
  });
});

describe('workingDaysBetween', () => {
  it('counts 0 for a record received on its decision day', () => {
    expect(workingDaysBetween('2024-10-08', '2024-10-08')).toBe(0);
  });

  it('skips the whole National Day holiday', () => {
    expect(workingDaysBetween('2024-09-30', '2024-10-08')).toBe(1);
  });

  it('counts the make-up Sunday before National Day', () => {
    // 09-28 Sat rests, 09-29 Sun works, 09-30 Mon works, 10-01..07 rest, 10-08 works.
    expect(workingDaysBetween('2024-09-27', '2024-10-08')).toBe(3);
  });

  it('is negative when the second day comes first', () => {
    expect(workingDaysBetween('2024-10-08', '2024-09-30')).toBe(-1);
  });
});

describe('addWorkingDays', () => {
  it('finds the seventh working day after a decision on the eve of National Day, counting the make-up Saturday', () => {
    expect(addWorkingDays('2024-09-30', 7)).toBe('2024-10-15');
  });

  it('finds the seventh working day after a decision on the eve of Spring Festival 2025', () => {
    expect(addWorkingDays('2025-01-27', 7)).toBe('2025-02-12');
  });

  it('returns the day itself for zero and refuses negative or fractional counts', () => {
    expect(addWorkingDays('2024-10-05', 0)).toBe('2024-10-05');
    expect(() => addWorkingDays('2024-10-05', -1)).toThrow(RangeError);
    expect(() => addWorkingDays('2024-10-05', 1.5)).toThrow(RangeError);
  });
});

describe('official calendar years', () => {
  it('has official data at least through 2026', () => {
    expect(officialCalendarYears().last).toBeGreaterThanOrEqual(2026);
    expect(isOfficialCalendarKnown(2024, 2026)).toBe(true);
  });

  it('says when a span reaches past the last known year', () => {
    const { first, last } = officialCalendarYears();
    expect(isOfficialCalendarKnown(last, last + 1)).toBe(false);
    expect(isOfficialCalendarKnown(first - 1, first)).toBe(false);
  });

  it('counts only weekends as rest beyond the last known year', () => {
    const { last } = officialCalendarYears();
    const newYearsDay = `${last + 1}-01-01`;
    expect(isWorkingDay(newYearsDay)).toBe(weekday(newYearsDay) !== 0 && weekday(newYearsDay) !== 6);
  });
});

describe('working-day arithmetic', () => {
  const day = fc.integer({ min: dayNumber('2023-01-01'), max: dayNumber('2027-06-30') }).map(dayFromNumber);

  it('counts exactly n working days up to the day addWorkingDays gives, which is a working day', () => {
    fc.assert(
      fc.property(day, fc.integer({ min: 1, max: 60 }), (start, n) => {
        const end = addWorkingDays(start, n);
        expect(workingDaysBetween(start, end)).toBe(n);
        expect(isWorkingDay(end)).toBe(true);
      }),
    );
  });

  it('lands back on any working day from the count of working days up to it', () => {
    fc.assert(
      fc.property(day, fc.integer({ min: 0, max: 120 }), (start, offset) => {
        const target = dayFromNumber(dayNumber(start) + offset);
        fc.pre(isWorkingDay(target) || offset === 0);
        expect(addWorkingDays(start, workingDaysBetween(start, target))).toBe(target);
      }),
    );
  });

  it('adds up over consecutive spans', () => {
    fc.assert(
      fc.property(day, day, day, (a, b, c) => {
        expect(workingDaysBetween(a, b) + workingDaysBetween(b, c)).toBe(workingDaysBetween(a, c));
      }),
      { numRuns: 50 },
    );
  });
});
