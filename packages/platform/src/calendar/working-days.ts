import { dayFromNumber, dayNumber, type CalendarDay } from './day.js';
import { officialDayDetail } from './holiday-data.js';

// Per year, from the holiday data: which days are working days (weekends and public holidays are not, make-up
// working days (调休) are), and how many working days the year has before each day — so that counting the working
// days between two dates costs a few lookups, not a walk over every day, on the ingest path.
interface YearTable {
  /** Day number of 1 January. */
  start: number;
  /** working[i]: day start+i is a working day. */
  working: Uint8Array;
  /** before[i]: working days among days start … start+i-1; before[length] is the year's total. */
  before: Int32Array;
}

const tables = new Map<number, YearTable>();

function tableOf(year: number): YearTable {
  let table = tables.get(year);
  if (table === undefined) {
    const start = dayNumber(`${String(year).padStart(4, '0')}-01-01`);
    const days = dayNumber(`${String(year + 1).padStart(4, '0')}-01-01`) - start;
    const working = new Uint8Array(days);
    const before = new Int32Array(days + 1);
    for (let i = 0; i < days; i++) {
      working[i] = officialDayDetail(dayFromNumber(start + i)).work ? 1 : 0;
      before[i + 1] = before[i]! + working[i]!;
    }
    table = { start, working, before };
    tables.set(year, table);
  }
  return table;
}

const yearOfNumber = (n: number) => new Date(n * 86_400_000).getUTCFullYear();

function isWorkingDayNumber(n: number): boolean {
  const table = tableOf(yearOfNumber(n));
  return table.working[n - table.start] === 1;
}

/** Working days of the year of `n` up to and including day `n`. */
function workingInYearThrough(n: number): { year: number; count: number } {
  const year = yearOfNumber(n);
  const table = tableOf(year);
  return { year, count: table.before[n - table.start + 1]! };
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
  // 0 - n, not -n: a backwards span without working days is 0, never -0.
  if (b < a) return 0 - workingDaysBetween(to, from);
  const upToA = workingInYearThrough(a);
  const upToB = workingInYearThrough(b);
  let count = upToB.count - upToA.count;
  for (let year = upToA.year; year < upToB.year; year++) {
    const table = tableOf(year);
    count += table.before[table.working.length]!;
  }
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
