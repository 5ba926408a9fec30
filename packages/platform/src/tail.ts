import { DeliverPolicy } from '@nats-io/jetstream';
import { fromMessage, type CreditEvent } from './events/envelope.js';
import { streamName, type StreamBase } from './events/streams.js';
import type { Bus } from './events/bus.js';

export interface TailOptions {
  /** NATS subject filter without the bus prefix, wildcards allowed: 'credit.registry.v1.>' */
  subject: string;
  stream?: StreamBase;
  /** Start with events already in the stream (default: only new ones). */
  fromStart?: boolean;
  signal?: AbortSignal;
}

/**
 * Reads events as an observer: an ordered, ephemeral consumer that leaves no durable state on the server.
 * For operators (`credit events tail`) and tests; services consume through InboxConsumer.
 */
export async function tailEvents(bus: Bus, opts: TailOptions, onEvent: (e: CreditEvent) => void | Promise<void>): Promise<void> {
  const consumer = await bus.js.consumers.get(streamName(bus, opts.stream ?? (opts.subject.startsWith('sector.') ? 'SECTOR_EVENTS' : 'CREDIT_EVENTS')), {
    filter_subjects: bus.prefix + opts.subject,
    deliver_policy: opts.fromStart ? DeliverPolicy.All : DeliverPolicy.New,
  });
  const messages = await consumer.consume();
  opts.signal?.addEventListener('abort', () => void messages.close(), { once: true });
  for await (const msg of messages) {
    await onEvent(fromMessage(msg, bus.prefix));
  }
}
