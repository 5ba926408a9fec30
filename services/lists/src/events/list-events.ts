// The events of list types, measures and entries. Subjects end in <colour>.<list type> (or measure.<department>)
// so a sector system filters with wildcards; see events.proto.
import type { NewEvent } from '@credit/platform';
import {
  ListEntryBecameEffective,
  ListEntryCorrected,
  ListEntryRemoved,
  ListTypeDefined,
  MeasureDefined,
} from '@credit/contracts/credit/lists/v1/events.js';
import { Receipt } from '@credit/contracts/credit/lists/v1/sector.js';
import type { Entry, ListType, Measure } from '../domain/index.js';
import { removalReason, toEntryMessage, toListTypeMessage, toMeasureMessage } from '../grpc/messages.js';

const V1 = 'credit.lists.v1';

export function listTypeDefined(t: ListType): NewEvent {
  return {
    type: `${V1}.ListTypeDefined`,
    subject: `${V1}.list_type_defined.${t.colour}.${t.code}`,
    entity: t.code,
    data: ListTypeDefined.encode({ listType: toListTypeMessage(t) }).finish(),
  };
}

export function measureDefined(m: Measure): NewEvent {
  return {
    type: `${V1}.MeasureDefined`,
    subject: `${V1}.measure_defined.measure.${m.implementingDepartment}`,
    entity: m.code,
    data: MeasureDefined.encode({ measure: toMeasureMessage(m) }).finish(),
  };
}

const entrySubject = (kind: string, e: Entry) => `${V1}.${kind}.${e.colour}.${e.listType}`;

export function entryBecameEffective(e: Entry): NewEvent {
  return {
    type: `${V1}.ListEntryBecameEffective`,
    subject: entrySubject('entry_effective', e),
    entity: e.entityCode,
    data: ListEntryBecameEffective.encode({ entry: toEntryMessage(e) }).finish(),
  };
}

export function entryCorrected(e: Entry, reason: string): NewEvent {
  return {
    type: `${V1}.ListEntryCorrected`,
    subject: entrySubject('entry_corrected', e),
    entity: e.entityCode,
    data: ListEntryCorrected.encode({ entry: toEntryMessage(e), reason }).finish(),
  };
}

export function entryRemoved(e: Entry): NewEvent {
  return {
    type: `${V1}.ListEntryRemoved`,
    subject: entrySubject('entry_removed', e),
    entity: e.entityCode,
    data: ListEntryRemoved.encode({ entry: toEntryMessage(e), reason: removalReason.toProto(e.removalReason) }).finish(),
  };
}

/** The answer to a department's list decision event, on its own receipts subject. */
export function receipt(department: string, r: Receipt): NewEvent {
  return {
    type: `${V1}.Receipt`,
    subject: `sector.${department}.v1.receipts`,
    // The CloudEvents subject must not be empty: the entry when there is one, else the message answered.
    entity: r.entry?.id || r.eventId,
    data: Receipt.encode(r).finish(),
  };
}
