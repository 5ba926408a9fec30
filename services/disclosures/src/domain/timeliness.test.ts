import { describe, expect, it } from 'vitest';
import { officialCalendarYears } from '@credit/platform/calendar';
import { timeliness } from './timeliness.js';

describe('timeliness', () => {
  it('is on time when received on the decision day', () => {
    expect(timeliness('2024-10-08', '2024-10-08')).toMatchObject({ workingDays: 0, late: false, calendarKnown: true });
  });

  it('is on time on the seventh working day across National Day, counting the make-up Saturday', () => {
    expect(timeliness('2024-09-30', '2024-10-15')).toEqual({ workingDays: 7, late: false, deadline: '2024-10-15', calendarKnown: true });
  });

  it('is late on the eighth working day', () => {
    expect(timeliness('2024-09-30', '2024-10-16')).toMatchObject({ workingDays: 8, late: true, deadline: '2024-10-15' });
  });

  it('is on time nine calendar days after a decision on the eve of Spring Festival 2025', () => {
    expect(timeliness('2025-01-27', '2025-02-12')).toMatchObject({ workingDays: 7, late: false });
  });

  it('says when the span reaches a year without an official holiday calendar', () => {
    const next = officialCalendarYears().last + 1;
    expect(timeliness(`${next}-03-02`, `${next}-03-04`).calendarKnown).toBe(false);
  });
});
