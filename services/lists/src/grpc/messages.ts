// Domain ↔ protobuf. Enum names in the domain are lower case words; the wire has the proto enums.
import {
  EntryState as EntryStateEnum,
  FeedbackOutcome as FeedbackOutcomeEnum,
  FeedbackPhase as FeedbackPhaseEnum,
  ListColour,
  MeasureKind as MeasureKindEnum,
  ObjectionOutcome as ObjectionOutcomeEnum,
  RemovalReason as RemovalReasonEnum,
  type ListEntry as EntryMessage,
  type ListType as ListTypeMessage,
  type Measure as MeasureMessage,
  type MeasureResponse as ResponseMessage,
  type Subscription as SubscriptionMessage,
  type Transition as TransitionMessage,
} from '@credit/contracts/credit/lists/v1/lists.js';
import type {
  Colour,
  Entry,
  EntryState,
  FeedbackOutcome,
  FeedbackPhase,
  ListType,
  Measure,
  MeasureKind,
  MeasureResponse,
  ObjectionOutcome,
  RemovalReason,
  Transition,
} from '../domain/index.js';
import type { SubscriptionRow } from '../db/store.js';

/** A two-way map between a domain name and a proto enum value; UNSPECIFIED (0) reads as undefined. */
function enumMap<D extends string, P extends number>(pairs: Array<[D, P]>) {
  const toP = new Map(pairs);
  const toD = new Map(pairs.map(([d, p]) => [p, d] as const));
  return {
    toProto: (d: D | undefined): P => (d === undefined ? (0 as P) : toP.get(d)!),
    fromProto: (p: P | undefined): D | undefined => (p === undefined ? undefined : toD.get(p)),
  };
}

export const colour = enumMap<Colour, ListColour>([
  ['red', ListColour.LIST_COLOUR_RED],
  ['black', ListColour.LIST_COLOUR_BLACK],
]);
export const measureKind = enumMap<MeasureKind, MeasureKindEnum>([
  ['reward', MeasureKindEnum.MEASURE_KIND_REWARD],
  ['punishment', MeasureKindEnum.MEASURE_KIND_PUNISHMENT],
]);
export const entryState = enumMap<EntryState, EntryStateEnum>([
  ['proposed', EntryStateEnum.ENTRY_STATE_PROPOSED],
  ['notified', EntryStateEnum.ENTRY_STATE_NOTIFIED],
  ['effective', EntryStateEnum.ENTRY_STATE_EFFECTIVE],
  ['objected', EntryStateEnum.ENTRY_STATE_OBJECTED],
  ['removed', EntryStateEnum.ENTRY_STATE_REMOVED],
]);
export const removalReason = enumMap<RemovalReason, RemovalReasonEnum>([
  ['expired', RemovalReasonEnum.REMOVAL_REASON_EXPIRED],
  ['repaired', RemovalReasonEnum.REMOVAL_REASON_REPAIRED],
  ['revoked', RemovalReasonEnum.REMOVAL_REASON_REVOKED],
  ['criteria_changed', RemovalReasonEnum.REMOVAL_REASON_CRITERIA_CHANGED],
  ['withdrawn', RemovalReasonEnum.REMOVAL_REASON_WITHDRAWN],
]);
export const objectionOutcome = enumMap<ObjectionOutcome, ObjectionOutcomeEnum>([
  ['upheld', ObjectionOutcomeEnum.OBJECTION_OUTCOME_UPHELD],
  ['corrected', ObjectionOutcomeEnum.OBJECTION_OUTCOME_CORRECTED],
]);
export const feedbackPhase = enumMap<FeedbackPhase, FeedbackPhaseEnum>([
  ['impose', FeedbackPhaseEnum.FEEDBACK_PHASE_IMPOSE],
  ['lift', FeedbackPhaseEnum.FEEDBACK_PHASE_LIFT],
]);
export const feedbackOutcome = enumMap<FeedbackOutcome, FeedbackOutcomeEnum>([
  ['applied', FeedbackOutcomeEnum.FEEDBACK_OUTCOME_APPLIED],
  ['not_applicable', FeedbackOutcomeEnum.FEEDBACK_OUTCOME_NOT_APPLICABLE],
  ['failed', FeedbackOutcomeEnum.FEEDBACK_OUTCOME_FAILED],
]);

export function toListTypeMessage(t: ListType): ListTypeMessage {
  return { ...t, colour: colour.toProto(t.colour) };
}

export function fromListTypeMessage(m: ListTypeMessage | undefined): ListType {
  return {
    code: m?.code ?? '',
    name: m?.name ?? '',
    colour: colour.fromProto(m?.colour) as Colour,
    ownerDepartment: m?.ownerDepartment ?? '',
    criteria: m?.criteria ?? '',
    legalBasis: m?.legalBasis ?? '',
    validityDays: m?.validityDays ?? 0,
    noticeWorkingDays: m?.noticeWorkingDays ?? 0,
    objectionWorkingDays: m?.objectionWorkingDays ?? 0,
    feedbackWorkingDays: m?.feedbackWorkingDays ?? 0,
  };
}

export function toMeasureMessage(m: Measure): MeasureMessage {
  return { ...m, kind: measureKind.toProto(m.kind), ratings: m.ratings.map((r) => ({ sector: r.sector, grades: [...r.grades] })) };
}

export function fromMeasureMessage(m: MeasureMessage | undefined): Measure {
  return {
    code: m?.code ?? '',
    name: m?.name ?? '',
    kind: measureKind.fromProto(m?.kind) as MeasureKind,
    implementingDepartment: m?.implementingDepartment ?? '',
    listTypes: m?.listTypes ?? [],
    ratings: (m?.ratings ?? []).map((r) => ({ sector: r.sector, grades: r.grades })),
    activities: m?.activities ?? [],
    legalBasis: m?.legalBasis ?? '',
  };
}

export function toEntryMessage(e: Entry): EntryMessage {
  return {
    id: e.id,
    listType: e.listType,
    colour: colour.toProto(e.colour),
    ownerDepartment: e.ownerDepartment,
    entityCode: e.entityCode,
    entityName: e.entityName,
    state: entryState.toProto(e.state),
    facts: e.facts,
    decisionDocument: e.decisionDocument,
    legalBasis: e.legalBasis,
    decidedAt: e.decidedAt,
    noticeEndsAt: e.noticeEndsAt,
    effectiveAt: e.effectiveAt,
    validUntil: e.validUntil,
    objection: e.objection
      ? {
          applicant: e.objection.applicant,
          grounds: e.objection.grounds,
          filedAt: e.objection.filedAt,
          decideBy: e.objection.decideBy,
          outcome: objectionOutcome.toProto(e.objection.outcome),
          decisionReason: e.objection.decisionReason,
          decidedAt: e.objection.decidedAt,
          decidedLate: e.objection.decidedAt !== undefined && e.objection.decidedAt.getTime() > e.objection.decideBy.getTime(),
        }
      : undefined,
    removedAt: e.removedAt,
    removalReason: removalReason.toProto(e.removalReason),
    version: e.version,
  };
}

export function toTransitionMessage(t: Transition): TransitionMessage {
  return {
    from: entryState.toProto(t.from),
    to: entryState.toProto(t.to),
    action: t.action,
    actorDepartment: t.actorDepartment,
    actor: t.actor,
    reason: t.reason,
    at: t.at,
  };
}

export function toResponseMessage(r: MeasureResponse, now: Date): ResponseMessage {
  return {
    measureCode: r.measureCode,
    implementingDepartment: r.implementingDepartment,
    phase: feedbackPhase.toProto(r.phase),
    dueAt: r.dueAt,
    outcome: feedbackOutcome.toProto(r.outcome),
    reference: r.reference,
    note: r.note,
    reportedAt: r.reportedAt,
    overdue: r.outcome === undefined && r.dueAt.getTime() < now.getTime(),
    entryId: r.entryId,
  };
}

export function toSubscriptionMessage(s: SubscriptionRow, stream: string): SubscriptionMessage {
  return {
    stream,
    durable: s.durable,
    filterSubject: s.filterSubject,
    source: s.listType ? { $case: 'listType', value: s.listType } : { $case: 'ratingSector', value: s.ratingSector ?? '' },
  };
}
