import { describe, expect, it } from 'vitest';
import { DomainError } from '@credit/platform/errors';
import {
  decideObjection,
  expire,
  fileObjection,
  notify,
  proposedEntry,
  remove,
  takeEffect,
  workingDeadline,
  type Entry,
  type Periods,
  type Step,
} from './entry.js';

const periods: Periods = { validityDays: 365, noticeWorkingDays: 5, objectionWorkingDays: 10 };
const owner = { department: 'court', subject: 'judge' };
// Monday 2 March 2026, 10:00 China time.
const t0 = new Date('2026-03-02T02:00:00Z');
const later = (days: number) => new Date(t0.getTime() + days * 86_400_000);

function proposed(): Entry {
  return proposedEntry(
    {
      id: '00000000-0000-4000-8000-000000000001',
      listType: 'court_judgment_debtor',
      colour: 'black',
      ownerDepartment: 'court',
      entityCode: '91540100000000001X',
      entityName: '某公司',
      facts: '拒不履行',
      decisionDocument: '(2026)藏01执1号',
      legalBasis: '依据',
      decidedAt: t0,
      createdAt: t0,
    },
    owner,
  ).entry;
}
const notified = () => notify(proposed(), periods, owner, '', t0).entry;
const effective = () => takeEffect(notified(), periods, owner, later(30)).entry;
const objectedBefore = () => fileObjection(notified(), periods, owner, '某公司', '已履行', later(1)).entry;
const objectedInForce = () => fileObjection(effective(), periods, owner, '某公司', '已履行', later(31)).entry;
const removedEntry = () => remove(effective(), owner, 'revoked', '撤销', later(40)).entry;

const fixtures: Record<string, () => Entry> = {
  proposed,
  notified,
  effective,
  objected_before_effect: objectedBefore,
  objected_in_force: objectedInForce,
  removed: removedEntry,
};

type Act = (e: Entry) => Step;
const actions: Record<string, Act> = {
  notify: (e) => notify(e, periods, owner, '', later(60)),
  take_effect: (e) => takeEffect(e, periods, owner, later(60)),
  file_objection: (e) => fileObjection(e, periods, owner, 'a', 'g', later(60)),
  uphold: (e) => decideObjection(e, periods, owner, { outcome: 'upheld', reason: '维持' }, later(60)),
  withdraw: (e) => remove(e, owner, 'withdrawn', '', later(60)),
  repair: (e) => remove(e, owner, 'repaired', '', later(60)),
  expire: (e) => expire(e, owner, later(2000)),
};

// Which (state, action) pairs are legal; every other pair must be refused with FAILED_PRECONDITION.
const legal: Record<string, string[]> = {
  proposed: ['notify', 'withdraw'],
  notified: ['take_effect', 'file_objection', 'withdraw'],
  effective: ['file_objection', 'repair', 'expire'],
  objected_before_effect: ['uphold', 'withdraw'],
  objected_in_force: ['uphold', 'repair', 'expire'],
  removed: [],
};

describe('entry state machine', () => {
  for (const [state, make] of Object.entries(fixtures)) {
    for (const [name, act] of Object.entries(actions)) {
      const allowed = legal[state]!.includes(name);
      it(`${state} + ${name} is ${allowed ? 'allowed' : 'refused'}`, () => {
        const before = make();
        if (allowed) {
          const s = act(before);
          expect(s.entry.version).toBe(before.version + s.transitions.length);
          expect(s.transitions[0]!.from).toBe(before.state);
          expect(s.transitions.at(-1)!.to).toBe(s.entry.state);
        } else {
          const err = (() => {
            try {
              act(before);
            } catch (e) {
              return e;
            }
            return undefined;
          })();
          expect(err).toBeInstanceOf(DomainError);
          expect((err as DomainError).code).toBe('FAILED_PRECONDITION');
          expect((err as DomainError).message).toMatch(/[\u4e00-\u9fff]/);
        }
      });
    }
  }

  it('a proposal is version 1 with one transition from nothing', () => {
    const s = proposedEntry({ ...proposed(), createdAt: t0 }, owner);
    expect(s.entry).toMatchObject({ state: 'proposed', version: 1 });
    expect(s.transitions).toEqual([expect.objectContaining({ to: 'proposed', action: 'propose', actorDepartment: 'court', actor: 'judge' })]);
  });

  it('notify sets the notice end n working days later, skipping weekends', () => {
    const s = notify(proposed(), periods, owner, '告知书已送达', t0);
    // Monday 2 March + 5 working days = Monday 9 March; the period ends at midnight China time.
    expect(s.entry.noticeEndsAt).toEqual(new Date('2026-03-09T16:00:00Z'));
    expect(s.effects).toEqual([]);
  });

  it('working deadlines skip the Labour Day holiday', () => {
    // Thursday 30 April 2026 + 1 working day: 1–5 May are holidays, so Wednesday 6 May (make-up days aside).
    expect(workingDeadline(new Date('2026-04-30T02:00:00Z'), 1).getTime()).toBeGreaterThan(new Date('2026-05-05T16:00:00Z').getTime());
  });

  it('notify with no notice period takes effect at once (two transitions)', () => {
    const s = notify(proposed(), { ...periods, noticeWorkingDays: 0 }, owner, '', t0);
    expect(s.entry.state).toBe('effective');
    expect(s.entry.effectiveAt).toEqual(t0);
    expect(s.transitions.map((t) => t.action)).toEqual(['notify', 'take_effect']);
    expect(s.effects).toEqual(['took_effect']);
    expect(s.entry.version).toBe(3);
  });

  it('does not take effect before the notice period ends', () => {
    expect(() => takeEffect(notified(), periods, owner, later(1))).toThrow(/告知期尚未届满/);
  });

  it('taking effect sets the default validity from that moment', () => {
    const e = effective();
    expect(e.effectiveAt).toEqual(later(30));
    expect(e.validUntil).toEqual(later(30 + 365));
  });

  it('an objection sets decide_by from the objection period', () => {
    const e = objectedBefore();
    expect(e.objection).toMatchObject({ applicant: '某公司', grounds: '已履行', filedAt: later(1) });
    expect(e.objection!.decideBy.getTime()).toBeGreaterThan(later(1).getTime() + 10 * 86_400_000);
  });

  it('upheld before the notice period ends goes back to NOTIFIED', () => {
    const s = decideObjection(objectedBefore(), periods, owner, { outcome: 'upheld', reason: '维持' }, later(2));
    expect(s.entry.state).toBe('notified');
    expect(s.effects).toEqual([]);
  });

  it('upheld after the notice period ended takes effect then', () => {
    const s = decideObjection(objectedBefore(), periods, owner, { outcome: 'upheld', reason: '维持' }, later(20));
    expect(s.entry.state).toBe('effective');
    expect(s.entry.effectiveAt).toEqual(later(20));
    expect(s.transitions.map((t) => t.action)).toEqual(['uphold', 'take_effect']);
    expect(s.effects).toEqual(['took_effect']);
  });

  it('corrected while in force applies the correction and announces it', () => {
    const until = later(500);
    const s = decideObjection(objectedInForce(), periods, owner, { outcome: 'corrected', reason: '更正', correctedFacts: '新事由', correctedValidUntil: until }, later(35));
    expect(s.entry).toMatchObject({ state: 'effective', facts: '新事由', validUntil: until });
    expect(s.entry.objection).toMatchObject({ outcome: 'corrected', decisionReason: '更正', decidedAt: later(35) });
    expect(s.effects).toEqual(['corrected_in_force']);
  });

  it('corrected needs something corrected', () => {
    expect(() => decideObjection(objectedInForce(), periods, owner, { outcome: 'corrected', reason: 'x' }, later(35))).toThrow(/更正/);
  });

  it('EXPIRED cannot be chosen by hand', () => {
    expect(() => remove(effective(), owner, 'expired', '', later(40))).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
  });

  it('removal of an entry in force lifts measures; a withdrawal does not', () => {
    expect(remove(effective(), owner, 'repaired', '修复', later(40)).effects).toEqual(['removed_in_force']);
    expect(remove(notified(), owner, 'withdrawn', '', later(1)).effects).toEqual([]);
  });

  it('expiry waits for valid_until', () => {
    expect(() => expire(effective(), owner, later(100))).toThrow(expect.objectContaining({ code: 'FAILED_PRECONDITION' }));
    const s = expire(effective(), owner, later(400));
    expect(s.entry).toMatchObject({ state: 'removed', removalReason: 'expired' });
    expect(s.effects).toEqual(['removed_in_force']);
  });
});
