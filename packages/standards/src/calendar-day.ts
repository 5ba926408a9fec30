/**
 * Calendar days as `YYYY-MM-DD` strings, which compare correctly as strings. "Today" is read in the process's
 * local time zone: the platform runs on China Standard Time, where a date of birth or establishment was recorded.
 */
export function calendarDay(date: Date): string {
  const y = String(date.getFullYear()).padStart(4, '0');
  const m = String(date.getMonth() + 1).padStart(2, '0');
  const d = String(date.getDate()).padStart(2, '0');
  return `${y}-${m}-${d}`;
}

/** True when year, month and day name a day that exists in the proleptic Gregorian calendar (e.g. not 2023-02-29). */
export function isRealDate(year: number, month: number, day: number): boolean {
  if (!Number.isInteger(year) || !Number.isInteger(month) || !Number.isInteger(day)) return false;
  if (month < 1 || month > 12 || day < 1) return false;
  const date = new Date(Date.UTC(2000, month - 1, day));
  date.setUTCFullYear(year);
  return date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}
