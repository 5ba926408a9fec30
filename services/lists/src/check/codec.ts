// Between the wire (protobuf events and messages) and the pure index facts.
import {
  EntryState,
  ListColour,
  MeasureKind,
  type ListEntry,
  type ListType,
  type Measure,
  type Rating,
} from '@credit/contracts/credit/lists/v1/lists.js';
import {
  ListEntryBecameEffective,
  ListEntryCorrected,
  ListEntryRemoved,
  ListTypeDefined,
  MeasureDefined,
  RatingChanged,
} from '@credit/contracts/credit/lists/v1/events.js';
import type { CreditEvent } from '@credit/platform';
import type {
  Colour,
  EntryFact,
  EntryStateName,
  IndexEvent,
  ListTypeFact,
  MeasureFact,
  RatingFact,
} from '../domain/check-index.js';

const STATES: Record<number, EntryStateName | undefined> = {
  [EntryState.ENTRY_STATE_PROPOSED]: 'proposed',
  [EntryState.ENTRY_STATE_NOTIFIED]: 'notified',
  [EntryState.ENTRY_STATE_EFFECTIVE]: 'effective',
  [EntryState.ENTRY_STATE_OBJECTED]: 'objected',
  [EntryState.ENTRY_STATE_REMOVED]: 'removed',
};
const STATE_ENUMS: Record<EntryStateName, EntryState> = {
  proposed: EntryState.ENTRY_STATE_PROPOSED,
  notified: EntryState.ENTRY_STATE_NOTIFIED,
  effective: EntryState.ENTRY_STATE_EFFECTIVE,
  objected: EntryState.ENTRY_STATE_OBJECTED,
  removed: EntryState.ENTRY_STATE_REMOVED,
};

export function colourOf(c: ListColour): Colour {
  return c === ListColour.LIST_COLOUR_RED ? 'red' : 'black';
}

function colourEnum(c: Colour): ListColour {
  return c === 'red' ? ListColour.LIST_COLOUR_RED : ListColour.LIST_COLOUR_BLACK;
}

export function listTypeFact(t: ListType): ListTypeFact {
  return { code: t.code, name: t.name, colour: colourOf(t.colour), ownerDepartment: t.ownerDepartment, legalBasis: t.legalBasis };
}

export function measureFact(m: Measure): MeasureFact {
  return {
    code: m.code,
    name: m.name,
    kind: m.kind === MeasureKind.MEASURE_KIND_REWARD ? 'reward' : 'punishment',
    implementingDepartment: m.implementingDepartment,
    listTypes: m.listTypes,
    ratings: m.ratings.map((r) => ({ sector: r.sector, grades: r.grades })),
    activities: m.activities,
    legalBasis: m.legalBasis,
  };
}

export function toMeasureMessage(m: MeasureFact): Measure {
  return {
    code: m.code,
    name: m.name,
    kind: m.kind === 'reward' ? MeasureKind.MEASURE_KIND_REWARD : MeasureKind.MEASURE_KIND_PUNISHMENT,
    implementingDepartment: m.implementingDepartment,
    listTypes: m.listTypes,
    ratings: m.ratings,
    activities: m.activities,
    legalBasis: m.legalBasis,
  };
}

/** Only what a check answers with; strings are not copied, so the decoded message can be collected. */
export function entryFact(e: ListEntry): EntryFact | undefined {
  const state = STATES[e.state];
  if (!state || e.id === '' || e.entityCode === '') return undefined;
  return {
    id: e.id,
    listType: e.listType,
    colour: colourOf(e.colour),
    ownerDepartment: e.ownerDepartment,
    entityCode: e.entityCode,
    entityName: e.entityName,
    state,
    decisionDocument: e.decisionDocument,
    legalBasis: e.legalBasis,
    ...(e.decidedAt ? { decidedAt: e.decidedAt } : {}),
    ...(e.effectiveAt ? { effectiveAt: e.effectiveAt } : {}),
    ...(e.validUntil ? { validUntil: e.validUntil } : {}),
    ...(e.removedAt ? { removedAt: e.removedAt } : {}),
    version: e.version,
  };
}

/** The entry as a check cause: facts and objection are not held by the index and stay empty. */
export function toEntryMessage(e: EntryFact): ListEntry {
  return {
    id: e.id,
    listType: e.listType,
    colour: colourEnum(e.colour),
    ownerDepartment: e.ownerDepartment,
    entityCode: e.entityCode,
    entityName: e.entityName,
    state: STATE_ENUMS[e.state],
    facts: '',
    decisionDocument: e.decisionDocument,
    legalBasis: e.legalBasis,
    decidedAt: e.decidedAt,
    noticeEndsAt: undefined,
    effectiveAt: e.effectiveAt,
    validUntil: e.validUntil,
    objection: undefined,
    removedAt: e.removedAt,
    removalReason: 0,
    version: e.version,
  };
}

export function ratingFact(r: Rating): RatingFact | undefined {
  if (r.entityCode === '' || r.sector === '' || !r.ratedAt) return undefined;
  return { entityCode: r.entityCode, sector: r.sector, grade: r.grade, ratedAt: r.ratedAt, ...(r.validUntil ? { validUntil: r.validUntil } : {}) };
}

export function toRatingCauseMessage(r: RatingFact): Rating {
  return { entityCode: r.entityCode, sector: r.sector, grade: r.grade, ratedAt: r.ratedAt, validUntil: r.validUntil };
}

/**
 * The index event an envelope carries, or undefined for an event the index does not use (other lists events,
 * or a payload lacking what it needs). `ce-type` names the message.
 */
export function indexEventOf(e: Pick<CreditEvent, 'type' | 'data'>): IndexEvent | undefined {
  switch (e.type) {
    case 'credit.lists.v1.ListTypeDefined': {
      const t = ListTypeDefined.decode(e.data).listType;
      return t && t.code ? { kind: 'list_type_defined', listType: listTypeFact(t) } : undefined;
    }
    case 'credit.lists.v1.MeasureDefined': {
      const m = MeasureDefined.decode(e.data).measure;
      return m && m.code ? { kind: 'measure_defined', measure: measureFact(m) } : undefined;
    }
    case 'credit.lists.v1.ListEntryBecameEffective':
    case 'credit.lists.v1.ListEntryCorrected':
    case 'credit.lists.v1.ListEntryRemoved': {
      const decoder =
        e.type === 'credit.lists.v1.ListEntryBecameEffective' ? ListEntryBecameEffective : e.type === 'credit.lists.v1.ListEntryCorrected' ? ListEntryCorrected : ListEntryRemoved;
      const entry = decoder.decode(e.data).entry;
      const fact = entry && entryFact(entry);
      return fact ? { kind: 'entry_changed', entry: fact } : undefined;
    }
    case 'credit.lists.v1.RatingChanged': {
      const r = RatingChanged.decode(e.data).rating;
      const fact = r && ratingFact(r);
      return fact ? { kind: 'rating_changed', rating: fact } : undefined;
    }
    default:
      return undefined;
  }
}
