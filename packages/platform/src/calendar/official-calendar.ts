import { officialDayDetail } from './holiday-data.js';

/**
 * The years for which the State Council's holiday arrangement (节假日安排) is in the calendar data. The arrangement
 * for a year is published late in the year before, so there is always a last known year; beyond it only weekends
 * count as rest days and results must say so.
 */
export interface OfficialCalendarYears {
  first: number;
  last: number;
}

// New Year's Day is a statutory holiday every year, so it is in the data exactly when the year's arrangement is.
function hasArrangement(year: number): boolean {
  return officialDayDetail(`${String(year).padStart(4, '0')}-01-01`).name.includes('元旦');
}

const EARLIEST_PROBE = 1990;
const LATEST_PROBE = 2200;

let years: OfficialCalendarYears | undefined;

export function officialCalendarYears(): OfficialCalendarYears {
  if (years === undefined) {
    let first = EARLIEST_PROBE;
    while (first < LATEST_PROBE && !hasArrangement(first)) first++;
    let last = first;
    while (last < LATEST_PROBE && hasArrangement(last + 1)) last++;
    years = { first, last };
  }
  return years;
}

/** True when every year from `fromYear` to `toYear` has official holiday data. */
export function isOfficialCalendarKnown(fromYear: number, toYear: number): boolean {
  const { first, last } = officialCalendarYears();
  return Math.min(fromYear, toYear) >= first && Math.max(fromYear, toYear) <= last;
}
