// Feeds the check index from the CREDIT_EVENTS stream: an ordered, ephemeral consumer (no durable state on the
// server: the index lives in this process only) from the beginning of the lists events, then on for ever. After a
// broken subscription it resumes right after the last applied sequence, so nothing is applied twice or skipped.
import { DeliverPolicy, type ConsumerMessages, type JsMsg } from '@nats-io/jetstream';
import { fromMessage, streamName, type Bus, type Logger } from '@credit/platform';
import type { CheckIndex } from '../domain/check-index.js';
import { indexEventOf } from './codec.js';

export const LISTS_EVENTS_FILTER = 'credit.lists.v1.>';

export interface FeederOptions {
  /** Longest wait between two attempts to resubscribe. */
  retryMaxMs?: number;
}

export class IndexFeeder {
  /** Resolves once the index holds every lists event the stream had when the feeder started. */
  readonly ready: Promise<void>;
  private markReady!: () => void;
  private isReady = false;
  private stopped = false;
  private messages: ConsumerMessages | undefined;
  private running: Promise<void> | undefined;
  private wake: (() => void) | undefined;
  /** The stream's last sequence when the feeder started: reaching it means caught up. */
  private target: number | undefined;

  constructor(
    private readonly bus: Bus,
    private readonly index: CheckIndex,
    private readonly logger: Logger,
    private readonly opts: FeederOptions = {},
  ) {
    this.ready = new Promise((resolve) => (this.markReady = resolve));
  }

  get caughtUp(): boolean {
    return this.isReady;
  }

  start(): this {
    this.running ??= this.follow();
    return this;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.wake?.();
    // close() resolves only once the iteration has ended, which follow() does; waiting for follow() is enough.
    void this.messages?.close().catch(() => undefined);
    await this.running;
  }

  private caughtUpNow(): void {
    if (this.isReady) return;
    this.isReady = true;
    this.logger.info({ position: this.index.position, entities: this.index.entityCount }, '信用核查索引已就绪 (credit check index caught up)');
    this.markReady();
  }

  private async follow(): Promise<void> {
    const stream = streamName(this.bus, 'CREDIT_EVENTS');
    let failures = 0;
    while (!this.stopped) {
      try {
        this.target ??= (await this.bus.jsm.streams.info(stream)).state.last_seq;
        const from = this.index.position + 1;
        const consumer = await this.bus.js.consumers.get(stream, {
          filter_subjects: this.bus.prefix + LISTS_EVENTS_FILTER,
          ...(from > 1 ? { deliver_policy: DeliverPolicy.StartSequence, opt_start_seq: from } : { deliver_policy: DeliverPolicy.All }),
        });
        if (!this.isReady) {
          // Nothing (more) to read: the last lists event may lie before the stream's last sequence.
          const info = await consumer.info();
          if (info.num_pending === 0 || this.index.position >= this.target) this.caughtUpNow();
        }
        // Larger pulls: at start the whole history streams in, and a pull round trip per 100 messages would dominate.
        const messages = await consumer.consume({ max_messages: 2_000 });
        this.messages = messages;
        // Stopped while it was being created: closing it ends the loop below at once. Not awaited here: close()
        // resolves when the iteration ends, and awaiting it before iterating never returned (a stop right after a
        // start hung).
        if (this.stopped) void messages.close().catch(() => undefined);
        for await (const msg of messages) {
          failures = 0;
          this.applyMessage(msg);
          if (!this.isReady && (msg.info.pending === 0 || this.index.position >= this.target)) this.caughtUpNow();
        }
      } catch (err) {
        if (this.stopped) return;
        failures++;
        this.logger.warn({ err, position: this.index.position }, '信用核查索引订阅中断，稍后重试 (check index subscription failed)');
      }
      if (this.stopped) return;
      await new Promise<void>((resolve) => {
        this.wake = resolve;
        setTimeout(resolve, Math.min(this.opts.retryMaxMs ?? 5_000, 100 * 2 ** Math.min(failures, 10)));
      });
    }
  }

  /** A malformed event cannot become well-formed by reading it again: it is logged and passed over. */
  private applyMessage(msg: JsMsg): void {
    try {
      const event = indexEventOf(fromMessage(msg, this.bus.prefix));
      if (event) this.index.apply(event, msg.seq);
      else this.index.skip(msg.seq);
    } catch (err) {
      this.index.skip(msg.seq);
      this.logger.error({ err, seq: msg.seq, subject: msg.subject }, '无法解析的名单事件，已跳过 (unreadable lists event skipped)');
    }
  }
}
