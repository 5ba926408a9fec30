// Calendar days are `YYYY-MM-DD` strings (they compare correctly as strings). Arithmetic goes through a day
// number counted in UTC so that the process's time zone and daylight saving can never shift a day.

/** A calendar day, `YYYY-MM-DD`. */
export type CalendarDay = string;

const DAY_SHAPE = /^(\d{4})-(\d{2})-(\d{2})$/;
const MS_PER_DAY = 86_400_000;

/** Days since 1970-01-01. Throws a RangeError for anything but a real `YYYY-MM-DD` day: callers validate input first. */
export function dayNumber(day: CalendarDay): number {
  const match = DAY_SHAPE.exec(day);
  if (match === null) throw new RangeError(`not a YYYY-MM-DD day: ${day}`);
  const [year, month, date] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const back = new Date(Date.UTC(2000, month - 1, date));
  back.setUTCFullYear(year); // Date.UTC maps years 0–99 to 1900–1999
  const ms = back.getTime();
  if (back.getUTCFullYear() !== year || back.getUTCMonth() !== month - 1 || back.getUTCDate() !== date) {
    throw new RangeError(`not a real day: ${day}`);
  }
  return ms / MS_PER_DAY;
}

export function dayFromNumber(n: number): CalendarDay {
  return new Date(n * MS_PER_DAY).toISOString().slice(0, 10);
}

export function addCalendarDays(day: CalendarDay, n: number): CalendarDay {
  return dayFromNumber(dayNumber(day) + n);
}

/** 0 = Sunday … 6 = Saturday. */
export function weekday(day: CalendarDay): number {
  // 1970-01-01 was a Thursday.
  return (((dayNumber(day) + 4) % 7) + 7) % 7;
}

export function yearOf(day: CalendarDay): number {
  return Number(day.slice(0, 4));
}

/**
 * The same day `months` later; when that month is shorter, its last day (2024-01-31 + 1 month = 2024-02-29), the
 * way a period "of one month" is read in law.
 */
export function addMonths(day: CalendarDay, months: number): CalendarDay {
  if (!Number.isInteger(months)) throw new RangeError(`months must be an integer, got ${months}`);
  dayNumber(day);
  const [year, month, date] = day.split('-').map(Number) as [number, number, number];
  const index = year * 12 + (month - 1) + months;
  const targetYear = Math.floor(index / 12);
  const targetMonth = index - targetYear * 12 + 1;
  const lastDate = new Date(0);
  lastDate.setUTCFullYear(targetYear, targetMonth, 0); // day 0 of the next month: the last day of this one
  const clamped = Math.min(date, lastDate.getUTCDate());
  return `${String(targetYear).padStart(4, '0')}-${String(targetMonth).padStart(2, '0')}-${String(clamped).padStart(2, '0')}`;
}
