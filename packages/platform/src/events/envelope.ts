import { headers, Match, type MsgHdrs } from '@nats-io/nats-core';
import type { JsMsg } from '@nats-io/jetstream';
import { isUuid } from '../time-ordered-id.js';
import { PoisonEvent } from './poison.js';

/** An event a service records in its outbox. */
export interface NewEvent {
  /** CloudEvents type, the protobuf message's full name: 'credit.registry.v1.EntityRegistered'. */
  type: string;
  /** NATS subject without the bus prefix: 'credit.registry.v1.entity_registered.540100'. */
  subject: string;
  /** CloudEvents `subject`: the code of the entity the event is about (a USCC, a list entry id). */
  entity: string;
  /** The protobuf-encoded payload. */
  data: Uint8Array;
  /** Defaults to a time-ordered UUID v7. Give one to make a retried command produce the same event. */
  id?: string;
}

/** An event as it travels: the CloudEvents attributes of the binary-mode NATS binding plus the payload. */
export interface CreditEvent {
  id: string;
  type: string;
  source: string;
  /** NATS subject without the bus prefix. */
  subject: string;
  entity: string;
  time: Date;
  data: Uint8Array;
  traceparent?: string;
  /** JetStream delivery count (1 on first delivery); only set on received events. */
  deliveryCount?: number;
}

export const CONTENT_TYPE = 'application/protobuf';

/** The envelope's headers in order: the CloudEvents NATS binding, binary mode (attributes as `ce-` headers). */
function envelopeHeaders(e: CreditEvent): [string, string][] {
  const pairs: [string, string][] = [
    ['ce-specversion', '1.0'],
    ['ce-id', e.id],
    ['ce-source', e.source],
    ['ce-type', e.type],
    ['ce-time', e.time.toISOString()],
    ['ce-subject', e.entity],
    ['content-type', CONTENT_TYPE],
    // JetStream drops a second message with the same id inside the stream's duplicate window.
    ['Nats-Msg-Id', e.id],
  ];
  if (e.traceparent) pairs.push(['traceparent', e.traceparent]);
  return pairs;
}

/** CloudEvents NATS binding, binary mode: attributes as `ce-` headers, the payload untouched as the body. */
export function toHeaders(e: CreditEvent): MsgHdrs {
  const h = headers();
  for (const [key, value] of envelopeHeaders(e)) h.set(key, value);
  return h;
}

// What MsgHdrsImpl would refuse (CR, LF) or change (it trims values): such a value takes the slow path and its checks.
const NOT_VERBATIM = /[\r\n]|^\s|\s$/;
const TEXT = new TextEncoder();

/**
 * The headers of `toHeaders`, written to the wire form in one string. Building a MsgHdrs validates and canonicalises
 * the key on every `set` and finds keys by scanning them all: about 7 µs an event, 7 % of the registry's thread during
 * a bulk import. The keys are ours and valid, so only the values need a look. nats.js's `publish` takes the block from
 * `encode()` (as it does from its own MsgHdrsImpl); any other MsgHdrs method works on a parsed copy made on first
 * use, and a change through it drops the ready block.
 */
export function wireHeaders(e: CreditEvent): MsgHdrs {
  const pairs = envelopeHeaders(e);
  if (pairs.some(([, value]) => NOT_VERBATIM.test(value))) return toHeaders(e);
  let block = 'NATS/1.0\r\n';
  for (const [key, value] of pairs) block += `${key}: ${value}\r\n`;
  return new WireHeaders(`${block}\r\n`, () => toHeaders(e));
}

class WireHeaders implements MsgHdrs {
  private copy?: MsgHdrs;

  constructor(
    private block: string | undefined,
    private readonly parse: () => MsgHdrs,
  ) {}

  encode(): Uint8Array {
    return this.block !== undefined ? TEXT.encode(this.block) : (this.parsed() as MsgHdrs & { encode(): Uint8Array }).encode();
  }
  toString(): string {
    return this.block ?? this.parsed().toString();
  }
  get hasError() {
    return this.parsed().hasError;
  }
  get status() {
    return this.parsed().status;
  }
  get code() {
    return this.parsed().code;
  }
  get description() {
    return this.parsed().description;
  }
  get(k: string, match?: Match) {
    return this.parsed().get(k, match);
  }
  has(k: string, match?: Match) {
    return this.parsed().has(k, match);
  }
  keys() {
    return this.parsed().keys();
  }
  values(k: string, match?: Match) {
    return this.parsed().values(k, match);
  }
  last(k: string, match?: Match) {
    return this.parsed().last(k, match);
  }
  set(k: string, v: string, match?: Match) {
    this.changed().set(k, v, match);
  }
  append(k: string, v: string, match?: Match) {
    this.changed().append(k, v, match);
  }
  delete(k: string, match?: Match) {
    this.changed().delete(k, match);
  }
  [Symbol.iterator]() {
    return this.parsed()[Symbol.iterator]();
  }

  private parsed(): MsgHdrs {
    return (this.copy ??= this.parse());
  }
  private changed(): MsgHdrs {
    this.block = undefined;
    return this.parsed();
  }
}

/** Reads an event back from a JetStream message. A malformed envelope throws PoisonEvent: retrying cannot fix it. */
export function fromMessage(msg: JsMsg, prefix: string): CreditEvent {
  const h = msg.headers;
  if (!h) throw new PoisonEvent('message has no CloudEvents headers');
  const attr = (name: string): string => {
    const v = h.get(name, Match.IgnoreCase);
    if (!v) throw new PoisonEvent(`message lacks the ${name} header`);
    return v;
  };
  const specversion = attr('ce-specversion');
  if (specversion !== '1.0') throw new PoisonEvent(`unsupported ce-specversion ${specversion}`);
  const id = attr('ce-id');
  if (!isUuid(id)) throw new PoisonEvent(`ce-id ${id} is not a UUID`);
  const time = new Date(attr('ce-time'));
  if (Number.isNaN(time.getTime())) throw new PoisonEvent('ce-time is not a timestamp');
  const contentType = h.get('content-type', Match.IgnoreCase);
  if (contentType && contentType !== CONTENT_TYPE) throw new PoisonEvent(`unexpected content-type ${contentType}`);
  if (!msg.subject.startsWith(prefix)) throw new PoisonEvent(`subject ${msg.subject} lacks the prefix ${prefix}`);
  const traceparent = h.get('traceparent', Match.IgnoreCase);
  return {
    id,
    type: attr('ce-type'),
    source: attr('ce-source'),
    subject: msg.subject.slice(prefix.length),
    entity: attr('ce-subject'),
    time,
    data: msg.data,
    ...(traceparent ? { traceparent } : {}),
    deliveryCount: msg.info.deliveryCount,
  };
}

/** Headers as plain JSON, for the dead-letter table. */
export function headersToJson(h: MsgHdrs | undefined): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  if (!h) return out;
  for (const [k, v] of h) out[k] = v;
  return out;
}
