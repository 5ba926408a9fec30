import { dayFromNumber, dayNumber, type CalendarDay } from './day.js';
import { officialDayDetail } from './holiday-data.js';

// Per year, the day numbers that are not working days: weekends and public holidays, minus the make-up working
// days (调休). Built once per year from the holiday data so that a check is a set lookup on the ingest path.
const restDaysByYear = new Map<number, ReadonlySet<number>>();

function restDaysOf(year: number): ReadonlySet<number> {
  let rest = restDaysByYear.get(year);
  if (rest === undefined) {
    const set = new Set<number>();
    const start = dayNumber(`${String(year).padStart(4, '0')}-01-01`);
    const end = dayNumber(`${String(year + 1).padStart(4, '0')}-01-01`);
    for (let n = start; n < end; n++) {
      if (!officialDayDetail(dayFromNumber(n)).work) set.add(n);
    }
    rest = set;
    restDaysByYear.set(year, rest);
  }
  return rest;
}

function isWorkingDayNumber(n: number): boolean {
  return !restDaysOf(new Date(n * 86_400_000).getUTCFullYear()).has(n);
}

/** A working day (工作日) under the State Council calendar, make-up working weekends included. */
export function isWorkingDay(day: CalendarDay): boolean {
  return isWorkingDayNumber(dayNumber(day));
}

/**
 * Working days after `from` up to and including `to`: a record received on its decision day took 0 working days,
 * one received the next working day took 1. Antisymmetric: when `to` is before `from` the count is negative.
 */
export function workingDaysBetween(from: CalendarDay, to: CalendarDay): number {
  const a = dayNumber(from);
  const b = dayNumber(to);
  if (b < a) return -workingDaysBetween(to, from);
  let count = 0;
  for (let n = a + 1; n <= b; n++) if (isWorkingDayNumber(n)) count++;
  return count;
}

/**
 * The `n`th working day after `day` (n ≥ 0; 0 gives `day` itself). A deadline of "within n working days of X" is
 * `addWorkingDays(X, n)`, the last day that still counts as in time.
 */
export function addWorkingDays(day: CalendarDay, n: number): CalendarDay {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`working days to add must be a non-negative integer, got ${n}`);
  let current = dayNumber(day);
  for (let left = n; left > 0; ) {
    current++;
    if (isWorkingDayNumber(current)) left--;
  }
  return n === 0 ? day : dayFromNumber(current);
}
