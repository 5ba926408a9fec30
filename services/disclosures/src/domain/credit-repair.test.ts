import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isDomainError } from '@credit/platform/errors';
import { workingDaysBetween } from '@credit/platform/calendar';
import { advanceRepair, applyForRepair, isRepairFinished, overdueRepairStep, type RepairAction, type RepairApplication } from './credit-repair.js';

// Applied on the Monday before National Day 2024; the minimum period ended earlier.
const applied = () => applyForRepair('2024-09-30', '2024-09-01');

function errorOf(action: () => unknown): { code: string; reason: string } {
  try {
    action();
  } catch (err) {
    if (isDomainError(err)) return { code: err.code, reason: err.reason };
    throw err;
  }
  throw new Error('expected a domain error');
}

describe('credit repair', () => {
  it('gives the platform 10 working days for feedback, counted past the National Day holidays', () => {
    const application = applied();
    expect(application).toMatchObject({ status: 'applied', feedbackDue: '2024-10-18', decisionDue: null });
    expect(workingDaysBetween(application.appliedOn, application.feedbackDue)).toBe(10);
  });

  it('gives the authority 3 working days after acceptance', () => {
    const accepted = advanceRepair(applied(), { type: 'accept', on: '2024-10-11' });
    expect(accepted).toMatchObject({ status: 'accepted', decisionDue: '2024-10-15' }); // 10-12 is a make-up Saturday
  });

  it('ends in approval and keeps each step in its history', () => {
    const approved = advanceRepair(advanceRepair(applied(), { type: 'accept', on: '2024-10-08' }), { type: 'approve', on: '2024-10-09' });
    expect(approved.status).toBe('approved');
    expect(approved.history.map((s) => [s.status, s.on])).toEqual([
      ['applied', '2024-09-30'],
      ['accepted', '2024-10-08'],
      ['approved', '2024-10-09'],
    ]);
    expect(isRepairFinished(approved)).toBe(true);
  });

  it('refuses an application with a reason', () => {
    const refused = advanceRepair(applied(), { type: 'refuse', on: '2024-10-08', reason: '未提交履行义务的证明材料' });
    expect(refused.status).toBe('refused');
    expect(refused.history.at(-1)?.reason).toBe('未提交履行义务的证明材料');
  });

  it('requires a reason to refuse or reject', () => {
    expect(errorOf(() => advanceRepair(applied(), { type: 'refuse', on: '2024-10-08', reason: '  ' }))).toEqual({ code: 'INVALID_ARGUMENT', reason: 'REQUIRED' });
  });

  it('does not approve before the minimum publicity period has passed', () => {
    const accepted = advanceRepair(applyForRepair('2024-09-30', '2024-10-10'), { type: 'accept', on: '2024-10-08' });
    expect(errorOf(() => advanceRepair(accepted, { type: 'approve', on: '2024-10-09' }))).toEqual({
      code: 'FAILED_PRECONDITION',
      reason: 'MINIMUM_PERIOD_NOT_REACHED',
    });
    expect(advanceRepair(accepted, { type: 'approve', on: '2024-10-10' }).status).toBe('approved');
  });

  it('does not let the authority decide an application the platform has not accepted', () => {
    expect(errorOf(() => advanceRepair(applied(), { type: 'approve', on: '2024-10-08' }))).toEqual({
      code: 'FAILED_PRECONDITION',
      reason: 'ILLEGAL_REPAIR_TRANSITION',
    });
  });

  it('does not reopen a refused application', () => {
    const refused = advanceRepair(applied(), { type: 'refuse', on: '2024-10-08', reason: '材料不全' });
    expect(errorOf(() => advanceRepair(refused, { type: 'accept', on: '2024-10-09' })).reason).toBe('ILLEGAL_REPAIR_TRANSITION');
  });

  it('does not date a step before the previous one', () => {
    expect(errorOf(() => advanceRepair(applied(), { type: 'accept', on: '2024-09-29' }))).toEqual({ code: 'INVALID_ARGUMENT', reason: 'BEFORE_PREVIOUS_STEP' });
  });

  it('reports the step that is past its deadline', () => {
    const application = applied();
    expect(overdueRepairStep(application, '2024-10-18')).toBeUndefined();
    expect(overdueRepairStep(application, '2024-10-21')).toBe('feedback');
    const accepted = advanceRepair(application, { type: 'accept', on: '2024-10-11' });
    expect(overdueRepairStep(accepted, '2024-10-15')).toBeUndefined();
    expect(overdueRepairStep(accepted, '2024-10-16')).toBe('decision');
  });
});

describe('credit repair as a state machine', () => {
  const action: fc.Arbitrary<RepairAction> = fc.record({
    type: fc.constantFrom('accept', 'refuse', 'approve', 'reject'),
    offset: fc.integer({ min: -3, max: 20 }),
  }).map(({ type, offset }) => {
    const on = new Date(Date.UTC(2024, 9, 1 + offset)).toISOString().slice(0, 10);
    return type === 'refuse' || type === 'reject' ? { type, on, reason: '理由' } : { type, on };
  });

  it('only ever moves applied → accepted/refused → approved/rejected, never leaves a final state, and approves only after the minimum', () => {
    const next: Record<string, string[]> = { applied: ['accepted', 'refused'], accepted: ['approved', 'rejected'], refused: [], approved: [], rejected: [] };
    fc.assert(
      fc.property(fc.array(action, { maxLength: 8 }), (actions) => {
        let application: RepairApplication = applyForRepair('2024-10-01', '2024-10-10');
        for (const a of actions) {
          const before = application;
          try {
            application = advanceRepair(application, a);
          } catch (err) {
            expect(isDomainError(err)).toBe(true);
            continue;
          }
          expect(next[before.status]).toContain(application.status);
          expect(application.history).toHaveLength(before.history.length + 1);
          if (application.status === 'approved') expect(a.on >= application.earliestRepairEnd).toBe(true);
        }
        const days = application.history.map((s) => s.on);
        expect([...days].sort()).toEqual(days);
      }),
    );
  });
});
