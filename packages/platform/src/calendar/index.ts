// Working days under the State Council holiday calendar (法定节假日 and 调休), for deadlines such as "published within
// 7 working days". Pure: no I/O, no clock; callers pass the days.
export { addCalendarDays, addMonths, dayNumber, dayFromNumber, weekday, yearOf } from './day.js';
export type { CalendarDay } from './day.js';
export { isWorkingDay, workingDaysBetween, addWorkingDays } from './working-days.js';
export { officialCalendarYears, isOfficialCalendarKnown } from './official-calendar.js';
export type { OfficialCalendarYears } from './official-calendar.js';
