// One pull loop per provisioned durable. Messages of one durable are handled one after another (in stream order, so
// an entry's removal is never handled before its taking effect); durables run side by side.
//
// The platform's InboxConsumer does the same job inside services, but a sector system must not depend on the
// platform kit (nor may it create consumers), so this is the sector-side counterpart: bind, never create.
import { millis, type NatsConnection } from '@nats-io/nats-core';
import type { ConsumerMessages, JetStreamClient, JsMsg } from '@nats-io/jetstream';
import { type Decoded, decodeEvent, type SectorEvent } from './events.js';

/** A durable consumer the platform provisioned for this department. */
export interface SubscriptionInfo {
  stream: string;
  durable: string;
  filterSubject: string;
  listType?: string;
  ratingSector?: string;
}

export type SubscriptionProblem =
  /** The handler threw; the event comes again after `retryInMs`. */
  | { kind: 'handler_failed'; event: SectorEvent; error: unknown; retryInMs: number }
  /** The handler threw on the last allowed delivery: the event is terminated and will not come again. */
  | { kind: 'gave_up'; event: SectorEvent; error: unknown }
  /** The message cannot be read (missing headers, bad payload): terminated. */
  | { kind: 'malformed'; durable: string; subject: string; sequence: number; reason: string }
  /** An event type newer than this SDK (only when no onUnknown is given): acked. */
  | { kind: 'unknown_event'; durable: string; type: string; id: string }
  /** Pulling failed (broker away, consumer missing or not permitted); the loop tries again after `retryInMs`. */
  | { kind: 'consume_failed'; durable: string; error: unknown; retryInMs: number };

export interface SubscribeOptions {
  /** Called once per delivery; the message is acked when it resolves and redelivered later when it throws. */
  handler: (event: SectorEvent) => Promise<void> | void;
  /** Only these list types' durables (default: every one provisioned for the department). */
  listTypes?: string[];
  /** Only these rating sectors' durables. */
  ratingSectors?: string[];
  /** Deliveries before an event whose handler keeps failing is given up (default 5, at most the durable's own). */
  maxDeliveries?: number;
  /** Redelivery delay after a failure: `baseMs` doubled per delivery up to `maxMs` (default 1 s … 60 s). */
  retry?: { baseMs?: number; maxMs?: number };
  /** Messages fetched ahead of the one being handled (default 64). */
  prefetch?: number;
  /** Handler failures, given-up and malformed events, pull failures. Default: a line on stderr. */
  onError?: (problem: SubscriptionProblem) => void;
  /** Events of a type this SDK version does not know; they are acked. Default: reported to onError. */
  onUnknown?: (info: { type: string; id: string; durable: string }) => void;
}

export interface Subscription {
  readonly durables: SubscriptionInfo[];
  /** Stops pulling; the events being handled finish (and are acked) first. */
  stop(): Promise<void>;
}

/** Exponential backoff, half fixed and half random, so many sector replicas do not retry in step. */
export function retryDelayMs(failures: number, baseMs: number, maxMs: number): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** Math.min(Math.max(failures - 1, 0), 30));
  return Math.round(ceiling / 2 + Math.random() * (ceiling / 2));
}

function defaultOnError(problem: SubscriptionProblem): void {
  const { kind } = problem;
  const error = 'error' in problem ? problem.error : undefined;
  console.error(
    JSON.stringify({
      level: 'warn',
      msg: `sector-sdk: ${kind}`,
      ...('event' in problem ? { eventId: problem.event.id, durable: problem.event.durable } : {}),
      ...('durable' in problem ? { durable: problem.durable } : {}),
      ...('reason' in problem ? { reason: problem.reason } : {}),
      ...(error !== undefined ? { error: error instanceof Error ? error.message : String(error) } : {}),
    }),
  );
}

interface Shared {
  nc: NatsConnection;
  js: JetStreamClient;
  prefix: string;
  opts: SubscribeOptions;
}

// How long one pull request lives on the server (heartbeats come every half of it). Short, so that what a stopped
// client hands back is not delivered to its abandoned request for long.
const PULL_EXPIRES_MS = 5000;

class DurableWorker {
  private stopping = false;
  private messages?: ConsumerMessages;
  private loop?: Promise<void>;
  private wakeSleep?: () => void;
  private maxDeliveries: number;
  private workingEveryMs = 10_000;

  constructor(
    private readonly info: SubscriptionInfo,
    private readonly shared: Shared,
  ) {
    this.maxDeliveries = shared.opts.maxDeliveries ?? 5;
  }

  start(): void {
    this.loop ??= this.run();
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.messages?.stop();
    this.wakeSleep?.();
    await this.loop;
  }

  private report(problem: SubscriptionProblem): void {
    try {
      (this.shared.opts.onError ?? defaultOnError)(problem);
    } catch {
      // A failing error callback must not stop the durable.
    }
  }

  /** Re-binds after errors, lost heartbeats, or a consumer the platform re-provisioned. Durable state is server-side. */
  private async run(): Promise<void> {
    const { js, nc } = this.shared;
    let failures = 0;
    while (!this.stopping && !nc.isClosed()) {
      try {
        const consumer = await js.consumers.get(this.info.stream, this.info.durable);
        const config = (await consumer.info(true)).config;
        // Give up before the server stops redelivering by itself, so the give-up is always seen and terminated.
        if (config.max_deliver && config.max_deliver > 0) {
          this.maxDeliveries = Math.min(this.shared.opts.maxDeliveries ?? 5, config.max_deliver);
        }
        if (config.ack_wait) this.workingEveryMs = Math.max(500, millis(config.ack_wait) / 2);
        const messages = await consumer.consume({ max_messages: this.shared.opts.prefetch ?? 64, expires: PULL_EXPIRES_MS });
        this.messages = messages;
        if (this.stopping) messages.stop();
        void this.watch(messages);
        for await (const msg of messages) {
          // After stop() the iterator still yields what was prefetched: hand it back, or the next process would
          // wait the durable's whole ack wait for it. Not at once: the server would give it to this client's pull
          // request, which it keeps until the request expires although nobody listens any more.
          if (this.stopping) {
            msg.nak(PULL_EXPIRES_MS + 1000);
            continue;
          }
          failures = 0;
          await this.handle(msg);
        }
      } catch (err) {
        if (this.stopping || nc.isClosed()) break;
        failures++;
        this.report({ kind: 'consume_failed', durable: this.info.durable, error: err, retryInMs: retryDelayMs(failures, 250, 5000) });
      }
      this.messages = undefined;
      if (this.stopping || nc.isClosed()) break;
      await this.sleep(retryDelayMs(Math.max(failures, 1), 250, 5000));
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done(): void {
        clearTimeout(timer);
        resolve();
      }
      this.wakeSleep = done;
    });
  }

  private async watch(messages: ConsumerMessages): Promise<void> {
    for await (const s of messages.status()) {
      const lost =
        (s.type === 'heartbeats_missed' && s.count >= 2) || s.type === 'consumer_deleted' || s.type === 'consumer_not_found';
      if (lost) {
        messages.stop();
        return;
      }
    }
  }

  private async handle(msg: JsMsg): Promise<void> {
    const decoded: Decoded = decodeEvent(
      {
        subject: msg.subject,
        header: (name) => msg.headers?.get(name) || undefined,
        data: msg.data,
        sequence: msg.seq,
        storedAt: new Date(msg.info.timestampNanos / 1e6),
        deliveryCount: msg.info.deliveryCount,
        redelivered: msg.redelivered,
        durable: this.info.durable,
      },
      this.shared.prefix,
    );
    switch (decoded.kind) {
      case 'ignored':
        msg.ack();
        return;
      case 'unknown': {
        msg.ack();
        const info = { type: decoded.type, id: decoded.id, durable: this.info.durable };
        if (this.shared.opts.onUnknown) {
          try {
            this.shared.opts.onUnknown(info);
          } catch {
            // Reporting must not stop the durable.
          }
        } else {
          this.report({ kind: 'unknown_event', ...info });
        }
        return;
      }
      case 'malformed':
        // No reason text: nats-server 2.9 does not understand "+TERM <reason>" and would leave the message pending.
        msg.term();
        this.report({ kind: 'malformed', durable: this.info.durable, subject: msg.subject, sequence: msg.seq, reason: decoded.reason });
        return;
      case 'event':
        await this.deliver(msg, decoded.event);
    }
  }

  private async deliver(msg: JsMsg, event: SectorEvent): Promise<void> {
    // A slow handler keeps its claim on the message instead of having it redelivered to another replica meanwhile.
    const working = setInterval(() => msg.working(), this.workingEveryMs);
    try {
      await this.shared.opts.handler(event);
      msg.ack();
    } catch (error) {
      if (event.deliveryCount >= this.maxDeliveries) {
        msg.term();
        this.report({ kind: 'gave_up', event, error });
      } else {
        const { baseMs = 1000, maxMs = 60_000 } = this.shared.opts.retry ?? {};
        const retryInMs = retryDelayMs(event.deliveryCount, baseMs, maxMs);
        msg.nak(retryInMs);
        this.report({ kind: 'handler_failed', event, error, retryInMs });
      }
    } finally {
      clearInterval(working);
    }
  }
}

/** Starts one worker per durable; `stop()` stops them all. */
export function startSubscription(durables: SubscriptionInfo[], shared: Shared): Subscription {
  const workers = durables.map((d) => new DurableWorker(d, shared));
  for (const w of workers) w.start();
  return {
    durables,
    async stop() {
      await Promise.all(workers.map((w) => w.stop()));
    },
  };
}

