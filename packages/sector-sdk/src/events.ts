// What arrives on a sector's durable consumers, decoded from the CloudEvents NATS binding (binary mode): attributes in
// `ce-*` headers, the protobuf payload as the body.
import * as events from './gen/credit/lists/v1/events.js';
import { type ListEntry, type Rating, type RemovalReason, removalReasonOf, toListEntry, toRating } from './model.js';

export type SectorEventType = 'entry_effective' | 'entry_corrected' | 'entry_removed' | 'rating_changed';

interface EventBase {
  /** The CloudEvents id (ce-id): the same on every redelivery. Record it to make your handling idempotent. */
  id: string;
  /** When the platform recorded the event (ce-time). */
  time: Date;
  /** The code of the entity the event is about (ce-subject): the list entry id or the entity's code. */
  entity: string;
  /** The NATS subject without the bus prefix, e.g. credit.lists.v1.entry_effective.black.court_judgment_debtor. */
  subject: string;
  /** W3C trace context of the decision, to continue its trace in your own system. */
  traceparent?: string;
  /** The event's position in the stream: increases along one durable. */
  sequence: number;
  /** When JetStream stored it: `Date.now() - storedAt` is how far behind your handler runs. */
  storedAt?: Date;
  /** 1 on first delivery. */
  deliveryCount: number;
  redelivered: boolean;
  /** The durable consumer it came through. */
  durable: string;
}

/** 名单生效: an entry took effect; impose your measure and report feedback (phase `impose`). */
export interface EntryEffective extends EventBase {
  type: 'entry_effective';
  entry: ListEntry;
  rating?: undefined;
}

/** 更正: an in-force entry was corrected after an objection. */
export interface EntryCorrected extends EventBase {
  type: 'entry_corrected';
  entry: ListEntry;
  reason: string;
  rating?: undefined;
}

/** 移出: an entry that had taken effect was removed; lift your measure and report feedback (phase `lift`). */
export interface EntryRemoved extends EventBase {
  type: 'entry_removed';
  entry: ListEntry;
  reason?: RemovalReason;
  rating?: undefined;
}

/** A sector's grade of an entity changed. */
export interface RatingChangedEvent extends EventBase {
  type: 'rating_changed';
  rating: Rating;
  /** Absent when the entity had no grade from this sector before. */
  previousGrade?: string;
  entry?: undefined;
}

export type SectorEvent = EntryEffective | EntryCorrected | EntryRemoved | RatingChangedEvent;

/** One message as it came off a durable, reduced to what decoding needs (so decoding is testable without a broker). */
export interface RawMessage {
  subject: string;
  header(name: string): string | undefined;
  data: Uint8Array;
  sequence: number;
  storedAt?: Date;
  deliveryCount: number;
  redelivered: boolean;
  durable: string;
}

export type Decoded =
  | { kind: 'event'; event: SectorEvent }
  /** A lists event a sector has no use for (a list type or measure was defined): acked without calling the handler. */
  | { kind: 'ignored'; type: string }
  /** An event type newer than this SDK: acked and reported, so an old SDK never blocks a durable. */
  | { kind: 'unknown'; type: string; id: string }
  /** Cannot be read, now or ever: terminated and reported. */
  | { kind: 'malformed'; reason: string };

const PACKAGE = 'credit.lists.v1.';
const IGNORED = new Set([`${PACKAGE}ListTypeDefined`, `${PACKAGE}MeasureDefined`]);
const PROTOBUF = 'application/protobuf';

class Malformed extends Error {}

export function decodeEvent(msg: RawMessage, prefix = ''): Decoded {
  try {
    return decode(msg, prefix);
  } catch (err) {
    if (err instanceof Malformed) return { kind: 'malformed', reason: err.message };
    // A protobuf reader error: the body does not match the type its header claims.
    return { kind: 'malformed', reason: `the body is not a valid ${msg.header('ce-type') ?? 'event'}: ${(err as Error).message}` };
  }
}

function decode(msg: RawMessage, prefix: string): Decoded {
  const attr = (name: string): string => {
    const v = msg.header(name);
    if (!v) throw new Malformed(`the message lacks the ${name} header`);
    return v;
  };
  const type = attr('ce-type');
  if (IGNORED.has(type)) return { kind: 'ignored', type };
  const id = attr('ce-id');
  const time = new Date(attr('ce-time'));
  if (Number.isNaN(time.getTime())) throw new Malformed(`ce-time "${msg.header('ce-time')}" is not a timestamp`);
  const contentType = msg.header('content-type');
  if (contentType && contentType !== PROTOBUF) throw new Malformed(`unexpected content-type ${contentType}`);
  const traceparent = msg.header('traceparent');
  const base: EventBase = {
    id,
    time,
    entity: msg.header('ce-subject') ?? '',
    subject: prefix && msg.subject.startsWith(prefix) ? msg.subject.slice(prefix.length) : msg.subject,
    ...(traceparent ? { traceparent } : {}),
    sequence: msg.sequence,
    ...(msg.storedAt ? { storedAt: msg.storedAt } : {}),
    deliveryCount: msg.deliveryCount,
    redelivered: msg.redelivered,
    durable: msg.durable,
  };
  switch (type) {
    case `${PACKAGE}ListEntryBecameEffective`: {
      const e = events.ListEntryBecameEffective.decode(msg.data);
      return { kind: 'event', event: { ...base, type: 'entry_effective', entry: toListEntry(required(e.entry, 'entry')) } };
    }
    case `${PACKAGE}ListEntryCorrected`: {
      const e = events.ListEntryCorrected.decode(msg.data);
      return { kind: 'event', event: { ...base, type: 'entry_corrected', entry: toListEntry(required(e.entry, 'entry')), reason: e.reason } };
    }
    case `${PACKAGE}ListEntryRemoved`: {
      const e = events.ListEntryRemoved.decode(msg.data);
      const reason = removalReasonOf(e.reason);
      return {
        kind: 'event',
        event: { ...base, type: 'entry_removed', entry: toListEntry(required(e.entry, 'entry')), ...(reason ? { reason } : {}) },
      };
    }
    case `${PACKAGE}RatingChanged`: {
      const e = events.RatingChanged.decode(msg.data);
      return {
        kind: 'event',
        event: {
          ...base,
          type: 'rating_changed',
          rating: toRating(required(e.rating, 'rating')),
          ...(e.previousGrade ? { previousGrade: e.previousGrade } : {}),
        },
      };
    }
    default:
      return { kind: 'unknown', type, id };
  }
}

function required<T>(value: T | undefined, field: string): T {
  if (value === undefined) throw new Malformed(`the payload has no ${field}`);
  return value;
}
