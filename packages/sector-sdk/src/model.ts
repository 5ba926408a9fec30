// Plain objects a sector developer works with: string unions instead of protobuf enum numbers, no `$case` wrappers.
// The generated protobuf types stay inside the SDK, so a contract regeneration never changes a sector's code.
import * as pb from './gen/credit/lists/v1/lists.js';

export type ListColour = 'red' | 'black';
export type EntryState = 'proposed' | 'notified' | 'effective' | 'objected' | 'removed';
/** expired 有效期届满 · repaired 信用修复 · revoked 撤销认定 · criteria_changed 认定标准变更 · withdrawn 不予列入 */
export type RemovalReason = 'expired' | 'repaired' | 'revoked' | 'criteria_changed' | 'withdrawn';
export type MeasureKind = 'reward' | 'punishment';

export interface Objection {
  applicant: string;
  grounds: string;
  filedAt?: Date;
  decideBy?: Date;
  /** Absent while pending. 维持 upheld · 更正 corrected */
  outcome?: 'upheld' | 'corrected';
  decisionReason: string;
  decidedAt?: Date;
  /** Decided after `decideBy`. */
  decidedLate: boolean;
}

/** A red or black list entry (名单条目), whole, as the lists service published it. */
export interface ListEntry {
  id: string;
  listType: string;
  colour?: ListColour;
  ownerDepartment: string;
  /** The entity's unified social credit code. */
  entityCode: string;
  entityName: string;
  state?: EntryState;
  /** 列入事由 */
  facts: string;
  /** 认定文书号 */
  decisionDocument: string;
  legalBasis: string;
  decidedAt?: Date;
  noticeEndsAt?: Date;
  /** When it first took effect. */
  effectiveAt?: Date;
  /** Absent = until removed. */
  validUntil?: Date;
  objection?: Objection;
  removedAt?: Date;
  removalReason?: RemovalReason;
  /** Grows with every transition: keep the highest you have seen and ignore older events about the same entry. */
  version: number;
}

/** A sector's grade of an entity (信用分类监管). */
export interface Rating {
  entityCode: string;
  sector: string;
  grade: string;
  ratedAt?: Date;
  validUntil?: Date;
}

/** A joint reward or punishment measure (联合奖惩措施). */
export interface Measure {
  code: string;
  name: string;
  kind?: MeasureKind;
  implementingDepartment: string;
  listTypes: string[];
  ratings: { sector: string; grades: string[] }[];
  activities: string[];
  legalBasis: string;
}

const COLOURS: Record<number, ListColour> = { [pb.ListColour.LIST_COLOUR_RED]: 'red', [pb.ListColour.LIST_COLOUR_BLACK]: 'black' };
const STATES: Record<number, EntryState> = {
  [pb.EntryState.ENTRY_STATE_PROPOSED]: 'proposed',
  [pb.EntryState.ENTRY_STATE_NOTIFIED]: 'notified',
  [pb.EntryState.ENTRY_STATE_EFFECTIVE]: 'effective',
  [pb.EntryState.ENTRY_STATE_OBJECTED]: 'objected',
  [pb.EntryState.ENTRY_STATE_REMOVED]: 'removed',
};
const REMOVAL_REASONS: Record<number, RemovalReason> = {
  [pb.RemovalReason.REMOVAL_REASON_EXPIRED]: 'expired',
  [pb.RemovalReason.REMOVAL_REASON_REPAIRED]: 'repaired',
  [pb.RemovalReason.REMOVAL_REASON_REVOKED]: 'revoked',
  [pb.RemovalReason.REMOVAL_REASON_CRITERIA_CHANGED]: 'criteria_changed',
  [pb.RemovalReason.REMOVAL_REASON_WITHDRAWN]: 'withdrawn',
};
const OUTCOMES: Record<number, 'upheld' | 'corrected'> = {
  [pb.ObjectionOutcome.OBJECTION_OUTCOME_UPHELD]: 'upheld',
  [pb.ObjectionOutcome.OBJECTION_OUTCOME_CORRECTED]: 'corrected',
};
const KINDS: Record<number, MeasureKind> = {
  [pb.MeasureKind.MEASURE_KIND_REWARD]: 'reward',
  [pb.MeasureKind.MEASURE_KIND_PUNISHMENT]: 'punishment',
};

/** Copies only the keys whose value is set, so "absent" stays absent instead of becoming `undefined` noise. */
function defined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

export function removalReasonOf(value: number): RemovalReason | undefined {
  return REMOVAL_REASONS[value];
}

export function toListEntry(e: pb.ListEntry): ListEntry {
  return defined<ListEntry>({
    id: e.id,
    listType: e.listType,
    colour: COLOURS[e.colour],
    ownerDepartment: e.ownerDepartment,
    entityCode: e.entityCode,
    entityName: e.entityName,
    state: STATES[e.state],
    facts: e.facts,
    decisionDocument: e.decisionDocument,
    legalBasis: e.legalBasis,
    decidedAt: e.decidedAt,
    noticeEndsAt: e.noticeEndsAt,
    effectiveAt: e.effectiveAt,
    validUntil: e.validUntil,
    objection: e.objection ? toObjection(e.objection) : undefined,
    removedAt: e.removedAt,
    removalReason: REMOVAL_REASONS[e.removalReason],
    version: e.version,
  });
}

function toObjection(o: pb.Objection): Objection {
  return defined<Objection>({
    applicant: o.applicant,
    grounds: o.grounds,
    filedAt: o.filedAt,
    decideBy: o.decideBy,
    outcome: OUTCOMES[o.outcome],
    decisionReason: o.decisionReason,
    decidedAt: o.decidedAt,
    decidedLate: o.decidedLate,
  });
}

export function toRating(r: pb.Rating): Rating {
  return defined<Rating>({ entityCode: r.entityCode, sector: r.sector, grade: r.grade, ratedAt: r.ratedAt, validUntil: r.validUntil });
}

export function toMeasure(m: pb.Measure): Measure {
  return defined<Measure>({
    code: m.code,
    name: m.name,
    kind: KINDS[m.kind],
    implementingDepartment: m.implementingDepartment,
    listTypes: [...m.listTypes],
    ratings: m.ratings.map((r) => ({ sector: r.sector, grades: [...r.grades] })),
    activities: [...m.activities],
    legalBasis: m.legalBasis,
  });
}
