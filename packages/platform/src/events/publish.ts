import type { PubAck } from '@nats-io/jetstream';
import type { Bus } from './bus.js';
import { type CreditEvent, toHeaders } from './envelope.js';

/**
 * Publishes one event to JetStream with its id as Nats-Msg-Id, so a repeat inside the duplicate window is dropped.
 * One event, one request: for tests and operators. Services publish through the outbox, whose relay uses the
 * pipelined AckingPublisher.
 */
export function publishEvent(bus: Bus, e: CreditEvent, opts: { timeoutMs?: number } = {}): Promise<PubAck> {
  return bus.js.publish(bus.prefix + e.subject, e.data, {
    msgID: e.id,
    headers: toHeaders(e),
    ...(opts.timeoutMs !== undefined ? { timeout: opts.timeoutMs } : {}),
  });
}
