import { context, ROOT_CONTEXT, SpanKind, SpanStatusCode } from '@opentelemetry/api';
import type { ConsumerMessages, JsMsg } from '@nats-io/jetstream';
import type { DataSource, EntityManager } from 'typeorm';
import { inTransaction } from '../db/transaction.js';
import type { Logger } from '../logger.js';
import { extractTraceContext, platformMeter, platformTracer } from '../telemetry/index.js';
import { InterruptibleSleep } from './interruptible-sleep.js';
import { backoffMs } from './backoff.js';
import type { Bus } from './bus.js';
import { recordDeadLetter } from './dead-letter.js';
import { ensureDurable } from './durable.js';
import { type CreditEvent, fromMessage } from './envelope.js';
import { isPoison } from './poison.js';
import { type StreamBase, streamName } from './streams.js';

export { PoisonEvent } from './poison.js';

export interface InboxConsumerOptions {
  ds: DataSource;
  bus: Bus;
  logger: Logger;
  /** Durable consumer name; also the inbox's `consumer` column. Stable across releases. */
  durable: string;
  stream: StreamBase;
  /** Subject filter without the bus prefix, e.g. 'credit.registry.v1.>'. */
  filterSubject: string;
  /** Deliveries before the message is dead-lettered (default 5). */
  maxDeliver?: number;
  /** Time the server waits for an ack before redelivering (default 30 s). */
  ackWaitMs?: number;
  deliverPolicy?: 'all' | 'new';
  /** Runs inside the transaction that also records the event in the inbox. Throw PoisonEvent to dead-letter. */
  handler: (em: EntityManager, event: CreditEvent) => Promise<void>;
  /** First redelivery delay after a failure (default 1 s); doubles per delivery. */
  retryBaseMs?: number;
  /** Longest redelivery delay (default 60 s). */
  retryMaxMs?: number;
  /** Messages pulled ahead of the one being handled (default 64). */
  prefetch?: number;
}

type Outcome = 'processed' | 'duplicate';

/**
 * A durable JetStream consumer whose handler runs exactly once per event in effect: the inbox row and the handler's
 * writes commit together, and the ack follows the commit. A redelivery finds the inbox row and only acks.
 */
export class InboxConsumer {
  private readonly maxDeliver: number;
  private loop?: Promise<void>;
  private stopping = false;
  private messages?: ConsumerMessages;
  private readonly pauses = new InterruptibleSleep();
  private lag = 0;
  private readonly metrics;

  constructor(private readonly opts: InboxConsumerOptions) {
    this.maxDeliver = opts.maxDeliver ?? 5;
    const meter = platformMeter();
    this.metrics = {
      handled: meter.createCounter('consumer.handled', { description: 'Events handled, by outcome' }),
      deadLetters: meter.createCounter('consumer.dead_letters', { description: 'Events given up on' }),
      lag: meter.createObservableGauge('consumer.lag', { description: 'Messages the durable has yet to deliver' }),
    };
  }

  async start(): Promise<void> {
    if (this.loop) return;
    this.stopping = false;
    await ensureDurable(this.opts.bus, this.durableSpec());
    this.metrics.lag.addCallback(this.observeLag);
    // Detached from whatever span called start(): each message joins the trace named in its traceparent.
    this.loop = context.with(ROOT_CONTEXT, () => this.run());
  }

  /** Stops pulling; the message being handled finishes (commit and ack) first. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.messages?.stop();
    this.pauses.wake();
    await this.loop;
    this.loop = undefined;
    this.metrics.lag.removeCallback(this.observeLag);
  }

  private durableSpec() {
    return {
      stream: streamName(this.opts.bus, this.opts.stream),
      durable: this.opts.durable,
      filterSubject: this.opts.bus.prefix + this.opts.filterSubject,
      maxDeliver: this.maxDeliver,
      ackWaitMs: this.opts.ackWaitMs ?? 30_000,
      deliverPolicy: this.opts.deliverPolicy ?? 'all',
    };
  }

  private readonly observeLag = (result: { observe(v: number, a?: Record<string, string>): void }): void => {
    result.observe(this.lag, { consumer: this.opts.durable });
  };

  /** The consume loop re-establishes itself after errors, missed heartbeats, or a deleted consumer. */
  private async run(): Promise<void> {
    const { bus, logger } = this.opts;
    const spec = this.durableSpec();
    let failures = 0;
    while (!this.stopping && !bus.nc.isClosed()) {
      try {
        const consumer = await bus.js.consumers.get(spec.stream, spec.durable);
        const messages = await consumer.consume({ max_messages: this.opts.prefetch ?? 64 });
        this.messages = messages;
        if (this.stopping) messages.stop();
        void this.watch(messages);
        for await (const msg of messages) {
          failures = 0;
          this.lag = msg.info.pending;
          await this.handle(msg);
          if (this.stopping) break;
        }
      } catch (err) {
        failures++;
        logger.warn({ err, consumer: spec.durable }, 'consume loop failed; re-establishing');
      }
      this.messages = undefined;
      if (this.stopping || bus.nc.isClosed()) break;
      await this.pauses.sleep(backoffMs(failures, 250, 5000));
      await ensureDurable(bus, spec).catch((err: unknown) =>
        logger.warn({ err, consumer: spec.durable }, 'could not re-create the durable consumer'),
      );
    }
  }

  private async watch(messages: ConsumerMessages): Promise<void> {
    for await (const s of messages.status()) {
      const lost =
        (s.type === 'heartbeats_missed' && s.count >= 2) ||
        s.type === 'consumer_deleted' ||
        s.type === 'consumer_not_found';
      if (lost) {
        this.opts.logger.warn({ status: s, consumer: this.opts.durable }, 'consumer lost; re-establishing');
        messages.stop();
        return;
      }
    }
  }

  private async handle(msg: JsMsg): Promise<void> {
    let event: CreditEvent;
    try {
      event = fromMessage(msg, this.opts.bus.prefix);
    } catch (err) {
      await this.giveUp(msg, err);
      return;
    }
    const parent = extractTraceContext(event.traceparent ? { traceparent: event.traceparent } : {});
    await platformTracer.startActiveSpan(
      `${event.subject} process`,
      {
        kind: SpanKind.CONSUMER,
        attributes: {
          'messaging.system': 'nats',
          'messaging.operation.type': 'process',
          'messaging.destination.name': msg.subject,
          'messaging.consumer.group.name': this.opts.durable,
          'messaging.message.id': event.id,
        },
      },
      parent,
      async (span) => {
        try {
          const outcome = await inTransaction(this.opts.ds, async (em): Promise<Outcome> => {
            const fresh: unknown[] = await em.query(
              `INSERT INTO inbox (consumer, event_id) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING 1`,
              [this.opts.durable, event.id],
            );
            if (fresh.length === 0) return 'duplicate';
            await this.opts.handler(em, event);
            return 'processed';
          });
          msg.ack();
          this.metrics.handled.add(1, { consumer: this.opts.durable, outcome });
        } catch (err) {
          span.recordException(err as Error);
          span.setStatus({ code: SpanStatusCode.ERROR, message: (err as Error)?.message });
          if (isPoison(err) || msg.info.deliveryCount >= this.maxDeliver) {
            await this.giveUp(msg, err, event);
          } else {
            const delay = this.retryDelay(msg);
            this.opts.logger.warn(
              { err, consumer: this.opts.durable, eventId: event.id, delivery: msg.info.deliveryCount, delayMs: delay },
              'event handler failed; it will be redelivered',
            );
            msg.nak(delay);
          }
        } finally {
          span.end();
        }
      },
    );
  }

  private retryDelay(msg: JsMsg): number {
    return backoffMs(msg.info.deliveryCount - 1, this.opts.retryBaseMs ?? 1000, this.opts.retryMaxMs ?? 60_000);
  }

  /** Dead-letter and terminate; if even the dead-letter insert fails, keep the message for another delivery. */
  private async giveUp(msg: JsMsg, err: unknown, event?: CreditEvent): Promise<void> {
    try {
      await recordDeadLetter(this.opts.ds, this.opts.durable, msg, err, event?.id, event?.type);
    } catch (dlErr) {
      this.opts.logger.error({ err: dlErr, cause: err, consumer: this.opts.durable }, 'could not dead-letter event');
      msg.nak(this.retryDelay(msg));
      return;
    }
    // No reason text: nats-server 2.9 does not understand "+TERM <reason>" and would leave the message pending.
    // The reason is in the dead_letter row.
    msg.term();
    this.metrics.deadLetters.add(1, { consumer: this.opts.durable });
    this.opts.logger.error(
      { err, consumer: this.opts.durable, eventId: event?.id, subject: msg.subject, delivery: msg.info.deliveryCount },
      'event dead-lettered',
    );
  }
}
