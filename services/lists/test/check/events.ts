// Publishes lists events as the core service's outbox would: CloudEvents envelope, protobuf payload, real subjects.
import {
  EntryState,
  ListColour,
  MeasureKind,
  type ListEntry,
  type ListType,
  type Measure,
} from '@credit/contracts/credit/lists/v1/lists.js';
import { ListEntryBecameEffective, ListEntryCorrected, ListEntryRemoved, ListTypeDefined, MeasureDefined } from '@credit/contracts/credit/lists/v1/events.js';
import { timeOrderedId, publishEvent, type Bus } from '@credit/platform';

export function listType(code: string, overrides: Partial<ListType> = {}): ListType {
  return {
    code,
    name: `名单 ${code}`,
    colour: ListColour.LIST_COLOUR_BLACK,
    ownerDepartment: 'court',
    criteria: '认定标准',
    legalBasis: `依据 ${code}`,
    validityDays: 0,
    noticeWorkingDays: 0,
    objectionWorkingDays: 5,
    feedbackWorkingDays: 10,
    ...overrides,
  };
}

export function measure(code: string, overrides: Partial<Measure> = {}): Measure {
  return {
    code,
    name: `措施 ${code}`,
    kind: MeasureKind.MEASURE_KIND_PUNISHMENT,
    implementingDepartment: 'finance',
    listTypes: [],
    ratings: [],
    activities: [],
    legalBasis: `措施依据 ${code}`,
    ...overrides,
  };
}

export function entry(id: string, entityCode: string, overrides: Partial<ListEntry> = {}): ListEntry {
  return {
    id,
    listType: 'debtor',
    colour: ListColour.LIST_COLOUR_BLACK,
    ownerDepartment: 'court',
    entityCode,
    entityName: `单位 ${entityCode}`,
    state: EntryState.ENTRY_STATE_EFFECTIVE,
    facts: '事实',
    decisionDocument: `文书 ${id}`,
    legalBasis: '',
    decidedAt: new Date('2026-01-05T00:00:00Z'),
    noticeEndsAt: undefined,
    effectiveAt: new Date('2026-01-10T00:00:00Z'),
    validUntil: undefined,
    objection: undefined,
    removedAt: undefined,
    removalReason: 0,
    version: 3,
    ...overrides,
  };
}

const colourName = (c: ListColour) => (c === ListColour.LIST_COLOUR_RED ? 'red' : 'black');

async function publish(bus: Bus, type: string, subject: string, entity: string, data: Uint8Array): Promise<number> {
  const ack = await publishEvent(bus, { id: timeOrderedId(), type: `credit.lists.v1.${type}`, source: 'credit/lists', subject, entity, time: new Date(), data });
  return ack.seq;
}

/** Each returns the stream sequence the event got. */
export const publishLists = {
  listType: (bus: Bus, t: ListType) =>
    publish(bus, 'ListTypeDefined', `credit.lists.v1.list_type_defined.${colourName(t.colour)}.${t.code}`, t.code, ListTypeDefined.encode({ listType: t }).finish()),
  measure: (bus: Bus, m: Measure) =>
    publish(bus, 'MeasureDefined', `credit.lists.v1.measure_defined.measure.${m.implementingDepartment}`, m.code, MeasureDefined.encode({ measure: m }).finish()),
  effective: (bus: Bus, e: ListEntry) =>
    publish(bus, 'ListEntryBecameEffective', `credit.lists.v1.entry_effective.${colourName(e.colour)}.${e.listType}`, e.id, ListEntryBecameEffective.encode({ entry: e }).finish()),
  corrected: (bus: Bus, e: ListEntry) =>
    publish(bus, 'ListEntryCorrected', `credit.lists.v1.entry_corrected.${colourName(e.colour)}.${e.listType}`, e.id, ListEntryCorrected.encode({ entry: e, reason: '更正' }).finish()),
  removed: (bus: Bus, e: ListEntry) =>
    publish(bus, 'ListEntryRemoved', `credit.lists.v1.entry_removed.${colourName(e.colour)}.${e.listType}`, e.id, ListEntryRemoved.encode({ entry: e, reason: e.removalReason }).finish()),
};
