import { addWorkingDays, isOfficialCalendarKnown, workingDaysBetween, yearOf, type CalendarDay } from '@credit/platform/calendar';

/** Licences and penalties go online within 7 working days of the decision (国办发〔2015〕51号). */
export const PUBLICATION_DEADLINE_WORKING_DAYS = 7;

export interface Timeliness {
  /** Working days after the decision day up to and including the day the platform received the record. */
  workingDays: number;
  /** Late records are flagged, never refused. */
  late: boolean;
  /** The last day that was still on time. */
  deadline: CalendarDay;
  /**
   * False when the span reaches a year without an official holiday arrangement yet: only weekends were counted,
   * so the figure may change once the State Council publishes the year's calendar.
   */
  calendarKnown: boolean;
}

export function timeliness(decisionDate: CalendarDay, receivedDate: CalendarDay): Timeliness {
  const workingDays = workingDaysBetween(decisionDate, receivedDate);
  return {
    workingDays,
    late: workingDays > PUBLICATION_DEADLINE_WORKING_DAYS,
    deadline: addWorkingDays(decisionDate, PUBLICATION_DEADLINE_WORKING_DAYS),
    calendarKnown: isOfficialCalendarKnown(yearOf(decisionDate), yearOf(receivedDate)),
  };
}
