// National standards the platform checks against: code check digits and the double publicity (双公示) fields.
export * from './codes/index.js';
export { calendarDay, isRealDate } from './calendar-day.js';
export * from './double-publicity/index.js';
