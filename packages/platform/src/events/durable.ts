import { nanos } from '@nats-io/nats-core';
import {
  AckPolicy,
  DeliverPolicy,
  JetStreamApiCodes,
  JetStreamApiError,
  type ConsumerConfig,
} from '@nats-io/jetstream';
import type { Bus } from './bus.js';

export interface DurableSpec {
  stream: string;
  durable: string;
  /** Full subject, prefix included. One filter only: nats-server 2.9 knows no filter_subjects. */
  filterSubject: string;
  maxDeliver: number;
  ackWaitMs: number;
  deliverPolicy: 'all' | 'new';
  maxAckPending?: number;
}

/**
 * Creates the durable pull consumer, or brings the settings that can change (ack wait, max deliver, filter) to the
 * wanted ones. Where it starts (deliver policy) is fixed at creation by JetStream and left alone.
 */
export async function ensureDurable(bus: Bus, spec: DurableSpec): Promise<void> {
  const changeable = {
    ack_wait: nanos(spec.ackWaitMs),
    max_deliver: spec.maxDeliver,
    filter_subject: spec.filterSubject,
    ...(spec.maxAckPending !== undefined ? { max_ack_pending: spec.maxAckPending } : {}),
  };
  for (let attempt = 0; ; attempt++) {
    try {
      const info = await bus.jsm.consumers.info(spec.stream, spec.durable);
      const c = info.config;
      if (
        c.ack_wait !== changeable.ack_wait ||
        c.max_deliver !== changeable.max_deliver ||
        c.filter_subject !== changeable.filter_subject ||
        (changeable.max_ack_pending !== undefined && c.max_ack_pending !== changeable.max_ack_pending)
      ) {
        await bus.jsm.consumers.update(spec.stream, spec.durable, changeable);
      }
      return;
    } catch (err) {
      if (!(err instanceof JetStreamApiError && err.code === JetStreamApiCodes.ConsumerNotFound)) throw err;
      const config: Partial<ConsumerConfig> = {
        ...changeable,
        durable_name: spec.durable,
        ack_policy: AckPolicy.Explicit,
        deliver_policy: spec.deliverPolicy === 'new' ? DeliverPolicy.New : DeliverPolicy.All,
      };
      try {
        await bus.jsm.consumers.add(spec.stream, config);
        return;
      } catch (addErr) {
        // Another replica created it first with other settings: the next round updates it.
        if (attempt > 0) throw addErr;
      }
    }
  }
}
