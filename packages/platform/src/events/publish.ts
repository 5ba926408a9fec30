import type { PubAck } from '@nats-io/jetstream';
import type { Bus } from './bus.js';
import { type CreditEvent, toHeaders } from './envelope.js';

/**
 * Publishes one event to JetStream with its id as Nats-Msg-Id, so a repeat inside the duplicate window is dropped.
 * Services publish through the outbox; this is the relay's last step and a tool for tests and operators.
 */
export function publishEvent(bus: Bus, e: CreditEvent, opts: { timeoutMs?: number } = {}): Promise<PubAck> {
  return bus.js.publish(bus.prefix + e.subject, e.data, {
    msgID: e.id,
    headers: toHeaders(e),
    ...(opts.timeoutMs !== undefined ? { timeout: opts.timeoutMs } : {}),
  });
}
