// The lifecycle of a list entry (名单条目), as pure functions: each takes the entry, the actor and the time, and
// returns the changed entry, the transition to record and what else must happen (events, feedback rows).
// An entry is "in force" from the moment it first took effect until it is removed, objection or not.
import { addCalendarDays, addWorkingDays } from '@credit/platform/calendar';
import { failedPrecondition, invalidArgument } from '@credit/platform/errors';
import type { Colour } from './definitions.js';

export type EntryState = 'proposed' | 'notified' | 'effective' | 'objected' | 'removed';
export type RemovalReason = 'expired' | 'repaired' | 'revoked' | 'criteria_changed' | 'withdrawn';
export type ObjectionOutcome = 'upheld' | 'corrected';
export type EntryAction = 'propose' | 'notify' | 'take_effect' | 'file_objection' | 'uphold' | 'correct' | 'remove' | 'expire';

export interface Objection {
  applicant: string;
  grounds: string;
  filedAt: Date;
  decideBy: Date;
  outcome?: ObjectionOutcome;
  decisionReason: string;
  decidedAt?: Date;
}

export interface Entry {
  id: string;
  listType: string;
  colour: Colour;
  ownerDepartment: string;
  entityCode: string;
  entityName: string;
  state: EntryState;
  facts: string;
  decisionDocument: string;
  legalBasis: string;
  decidedAt: Date;
  noticeEndsAt?: Date;
  effectiveAt?: Date;
  validUntil?: Date;
  objection?: Objection;
  removedAt?: Date;
  removalReason?: RemovalReason;
  version: number;
  createdAt: Date;
}

/** The list type's periods an entry's timers come from. */
export interface Periods {
  validityDays: number;
  noticeWorkingDays: number;
  objectionWorkingDays: number;
}

export interface Actor {
  department: string;
  subject: string;
}

export interface Transition {
  from?: EntryState;
  to: EntryState;
  action: EntryAction;
  actorDepartment: string;
  actor: string;
  reason: string;
  at: Date;
}

/** What a step causes beyond the entry itself. */
export type Effect = 'took_effect' | 'corrected_in_force' | 'removed_in_force';

export interface Step {
  entry: Entry;
  transitions: Transition[];
  effects: Effect[];
}

const STATE_NAMES: Record<EntryState, string> = {
  proposed: '拟列入',
  notified: '已告知',
  effective: '已生效',
  objected: '异议处理中',
  removed: '已移出',
};

const CHINA_OFFSET_MS = 8 * 3600_000;

/** The calendar day in China (UTC+8) at `at`. */
export function chinaDay(at: Date): string {
  return new Date(at.getTime() + CHINA_OFFSET_MS).toISOString().slice(0, 10);
}

/** The start of a China calendar day as an instant. */
export function startOfChinaDay(day: string): Date {
  return new Date(Date.parse(`${day}T00:00:00Z`) - CHINA_OFFSET_MS);
}

/**
 * The end of "within n working days from now": the instant the last working day that still counts ends (midnight
 * China time), under the State Council calendar.
 */
export function workingDeadline(now: Date, workingDays: number): Date {
  return startOfChinaDay(addCalendarDays(addWorkingDays(chinaDay(now), workingDays), 1));
}

export function isInForce(e: Entry): boolean {
  return e.effectiveAt !== undefined && (e.state === 'effective' || e.state === 'objected');
}

function refuse(e: Entry, what: string): never {
  throw failedPrecondition('ILLEGAL_TRANSITION', `名单条目当前状态为“${STATE_NAMES[e.state]}”，不能${what}`);
}

function step(before: Entry, after: Omit<Entry, 'version'>, t: Omit<Transition, 'from' | 'to'>, effects: Effect[] = []): Step {
  return {
    entry: { ...after, version: before.version + 1 },
    transitions: [{ ...t, from: before.state, to: after.state }],
    effects,
  };
}

/** The entry as proposed (拟列入): version 1, one transition from nothing. */
export function proposedEntry(fields: Omit<Entry, 'state' | 'version'>, actor: Actor): Step {
  const entry: Entry = { ...fields, state: 'proposed', version: 1 };
  return {
    entry,
    transitions: [{ to: 'proposed', action: 'propose', actorDepartment: actor.department, actor: actor.subject, reason: '', at: fields.createdAt }],
    effects: [],
  };
}

/** PROPOSED → NOTIFIED; with no notice period it takes effect at once (two transitions). */
export function notify(e: Entry, periods: Periods, actor: Actor, reason: string, now: Date): Step {
  if (e.state !== 'proposed') refuse(e, '告知');
  const noticeEndsAt = periods.noticeWorkingDays === 0 ? now : workingDeadline(now, periods.noticeWorkingDays);
  const notified = step(e, { ...e, state: 'notified', noticeEndsAt }, { action: 'notify', actorDepartment: actor.department, actor: actor.subject, reason, at: now });
  if (periods.noticeWorkingDays > 0) return notified;
  return chain(notified, takeEffect(notified.entry, periods, actor, now));
}

/** NOTIFIED → EFFECTIVE once the notice period has ended (the sweeper's step). */
export function takeEffect(e: Entry, periods: Periods, actor: Actor, now: Date): Step {
  if (e.state !== 'notified') refuse(e, '生效');
  if (e.noticeEndsAt && e.noticeEndsAt.getTime() > now.getTime()) {
    throw failedPrecondition('NOTICE_PERIOD_RUNNING', '告知期尚未届满，名单条目不能生效');
  }
  return step(e, becameEffective(e, periods, now), { action: 'take_effect', actorDepartment: actor.department, actor: actor.subject, reason: '', at: now }, ['took_effect']);
}

function becameEffective(e: Entry, periods: Periods, now: Date): Omit<Entry, 'version'> {
  const validUntil = e.validUntil ?? (periods.validityDays > 0 ? new Date(now.getTime() + periods.validityDays * 86_400_000) : undefined);
  return { ...e, state: 'effective', effectiveAt: e.effectiveAt ?? now, validUntil };
}

/** NOTIFIED or EFFECTIVE → OBJECTED (异议). */
export function fileObjection(e: Entry, periods: Periods, actor: Actor, applicant: string, grounds: string, now: Date): Step {
  if (e.state !== 'notified' && e.state !== 'effective') refuse(e, '提出异议');
  const objection: Objection = { applicant, grounds, filedAt: now, decideBy: workingDeadline(now, periods.objectionWorkingDays), decisionReason: '' };
  return step(e, { ...e, state: 'objected', objection }, { action: 'file_objection', actorDepartment: actor.department, actor: actor.subject, reason: grounds, at: now });
}

export interface ObjectionDecision {
  outcome: ObjectionOutcome;
  reason: string;
  correctedFacts?: string;
  correctedValidUntil?: Date;
}

/**
 * OBJECTED → back where it was: EFFECTIVE when it had taken effect or its notice period is over, NOTIFIED otherwise.
 * CORRECTED (更正) applies the new facts or validity first.
 */
export function decideObjection(e: Entry, periods: Periods, actor: Actor, d: ObjectionDecision, now: Date): Step {
  if (e.state !== 'objected' || !e.objection) refuse(e, '作出异议处理决定');
  if (d.outcome === 'corrected' && d.correctedFacts === undefined && d.correctedValidUntil === undefined) {
    throw invalidArgument([{ field: 'corrected_facts', reason: 'REQUIRED', message: '更正时应给出更正后的列入事由或有效期' }]);
  }
  if (d.correctedValidUntil && d.correctedValidUntil.getTime() <= now.getTime()) {
    throw invalidArgument([{ field: 'corrected_valid_until', reason: 'IN_THE_PAST', message: '更正后的有效期应晚于当前时间' }]);
  }
  const corrected: Entry =
    d.outcome === 'corrected'
      ? { ...e, facts: d.correctedFacts ?? e.facts, validUntil: d.correctedValidUntil ?? e.validUntil }
      : e;
  const decided: Entry = { ...corrected, objection: { ...e.objection!, outcome: d.outcome, decisionReason: d.reason, decidedAt: now } };
  const action: EntryAction = d.outcome === 'upheld' ? 'uphold' : 'correct';
  const noticeOver = e.noticeEndsAt !== undefined && e.noticeEndsAt.getTime() <= now.getTime();
  const t = { action, actorDepartment: actor.department, actor: actor.subject, reason: d.reason, at: now };
  if (e.effectiveAt) {
    return step(e, { ...decided, state: 'effective' }, t, d.outcome === 'corrected' ? ['corrected_in_force'] : []);
  }
  if (noticeOver) {
    // It never took effect because the objection held it; it does now.
    const back = step(e, { ...decided, state: 'notified' }, t);
    return chain(back, takeEffect(back.entry, periods, actor, now));
  }
  return step(e, { ...decided, state: 'notified' }, t);
}

/** Removal by the owner. REPAIRED, REVOKED and CRITERIA_CHANGED end an entry in force; WITHDRAWN one that never was. */
export function remove(e: Entry, actor: Actor, reason: RemovalReason, explanation: string, now: Date): Step {
  if (reason === 'expired') {
    throw invalidArgument([{ field: 'reason', reason: 'EXPIRY_IS_AUTOMATIC', message: '有效期届满由平台自动移出，不能手工选择' }]);
  }
  if (e.state === 'removed') refuse(e, '移出');
  if (reason === 'withdrawn' && e.effectiveAt) {
    throw failedPrecondition('ILLEGAL_TRANSITION', '名单条目已生效，不能以“不予列入”撤回，请选择信用修复、撤销认定或认定标准变更');
  }
  if (reason !== 'withdrawn' && !isInForce(e)) {
    throw failedPrecondition('ILLEGAL_TRANSITION', `名单条目当前状态为“${STATE_NAMES[e.state]}”，尚未生效，只能以“不予列入”撤回`);
  }
  return removed(e, actor, 'remove', reason, explanation, now);
}

/** An entry in force whose validity has run out is removed by the platform (有效期届满). */
export function expire(e: Entry, actor: Actor, now: Date): Step {
  if (!isInForce(e)) refuse(e, '到期移出');
  if (!e.validUntil || e.validUntil.getTime() > now.getTime()) throw failedPrecondition('NOT_EXPIRED', '名单条目尚未到期');
  return removed(e, actor, 'expire', 'expired', '', now);
}

function removed(e: Entry, actor: Actor, action: EntryAction, reason: RemovalReason, explanation: string, now: Date): Step {
  const inForce = isInForce(e);
  return step(
    e,
    { ...e, state: 'removed', removedAt: now, removalReason: reason },
    { action, actorDepartment: actor.department, actor: actor.subject, reason: explanation || reason, at: now },
    inForce ? ['removed_in_force'] : [],
  );
}

function chain(first: Step, second: Step): Step {
  return { entry: second.entry, transitions: [...first.transitions, ...second.transitions], effects: [...first.effects, ...second.effects] };
}
