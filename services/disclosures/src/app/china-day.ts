import type { CalendarDay } from '@credit/platform/calendar';

const CHINA_STANDARD_TIME_MS = 8 * 3600_000;

/** The calendar day in China Standard Time (UTC+8, no daylight saving), whatever the server's time zone. */
export function chinaDay(at: Date): CalendarDay {
  return new Date(at.getTime() + CHINA_STANDARD_TIME_MS).toISOString().slice(0, 10);
}
