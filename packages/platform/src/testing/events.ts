import { tailEvents } from '../tail.js';
import type { Bus } from '../events/bus.js';
import { type CreditEvent, fromMessage } from '../events/envelope.js';
import { type StreamBase, streamName } from '../events/streams.js';

/**
 * Every event stored in the stream under a subject filter (without the bus prefix), oldest first. Reads through an
 * ephemeral ordered consumer, so it leaves nothing behind on the server. One filter as a string: nats-server 2.9
 * knows no filter_subjects.
 */
export async function readEvents(bus: Bus, subjectFilter: string, stream: StreamBase = 'CREDIT_EVENTS'): Promise<CreditEvent[]> {
  const consumer = await bus.js.consumers.get(streamName(bus, stream), { filter_subjects: bus.prefix + subjectFilter });
  const { num_pending: stored } = await consumer.info();
  const events: CreditEvent[] = [];
  while (events.length < stored) {
    const msg = await consumer.next({ expires: 5000 });
    if (!msg) throw new Error(`stream ended after ${events.length} of ${stored} events`);
    events.push(fromMessage(msg, bus.prefix));
  }
  return events;
}

/** Every event on `subject` (without the bus prefix) from the start of the stream, collected as it arrives. */
export function recordEvents(bus: Bus, subject: string): { events: CreditEvent[]; stop(): void } {
  const events: CreditEvent[] = [];
  const observing = new AbortController();
  void tailEvents(bus, { subject, fromStart: true, signal: observing.signal }, (e) => {
    events.push(e);
  }).catch(() => undefined);
  return { events, stop: () => observing.abort() };
}
