import { context, SpanKind, SpanStatusCode, ROOT_CONTEXT } from '@opentelemetry/api';
import type { DataSource } from 'typeorm';
import type { PostgresConnectionOptions } from 'typeorm/driver/postgres/PostgresConnectionOptions.js';
import type { Logger } from '../logger.js';
import { extractTraceContext, injectTraceContext, platformMeter, platformTracer } from '../telemetry/index.js';
import { backoffMs } from './backoff.js';
import type { Bus } from './bus.js';
import type { CreditEvent } from './envelope.js';
import { OutboxListener } from './outbox-listener.js';
import { AckingPublisher } from './acking-publisher.js';
import type { OutboxEntry, OutboxHandOff } from './outbox.js';
import { InterruptibleSleep } from './interruptible-sleep.js';
import { Coalescer } from './coalescer.js';

export interface OutboxRelayOptions {
  ds: DataSource;
  bus: Bus;
  logger: Logger;
  /** Rows claimed per round (default 1000). */
  batchSize?: number;
  /** Sleep between rounds when nothing woke the relay (default 1000 ms). */
  pollIntervalMs?: number;
  /** LISTEN for the outbox NOTIFY to publish right after commit (default true). */
  listen?: boolean;
  /** First retry delay of a row that failed to publish (default 500 ms); doubles per attempt. */
  retryBaseMs?: number;
  /** Longest retry delay (default 30 s). */
  retryMaxMs?: number;
  /** Published rows older than this are purged (default 7 days). */
  retentionDays?: number;
  /** How long one publish waits for JetStream's acknowledgement (default 5 s). */
  publishTimeoutMs?: number;
}

type Query = (sql: string, params: unknown[]) => Promise<unknown>;


const PURGE_EVERY_MS = 10 * 60_000;
const PURGE_ROWS = 10_000;

/**
 * Publishes committed outbox rows to JetStream. Rows are claimed by state (`published_at IS NULL`) with
 * `FOR UPDATE SKIP LOCKED`, never by "id greater than the last one seen": a transaction that commits late, with a
 * smaller id, is still picked up, and several relays (one per replica) never claim the same row.
 * Delivery is at least once; the event id as Nats-Msg-Id lets JetStream drop the repeats.
 */
export class OutboxRelay implements OutboxHandOff {
  private readonly batchSize: number;
  private readonly pollIntervalMs: number;
  private readonly retryBaseMs: number;
  private readonly retryMaxMs: number;
  private running?: Promise<void>;
  private stopping = false;
  private wakeRequested = false;
  private readonly sleeper = new InterruptibleSleep();
  private listener?: OutboxListener;
  private natsWatch?: { stop(): void };
  private lastPurge = 0;
  private publisher?: AckingPublisher;
  /**
   * Records handed-off rows as published. Each commit hands off its own few rows; one UPDATE per commit cost a round
   * trip and a WAL flush per command. While one UPDATE is under way, the ids published meanwhile wait and go together.
   */
  private readonly marks: Coalescer<string>;
  private readonly handedOff = new Set<Promise<void>>();
  private readonly metrics;
  /** Rows handed off by this process stay unclaimed this long, so a poll does not publish them a second time. */
  readonly leaseMs: number;

  constructor(private readonly opts: OutboxRelayOptions) {
    this.batchSize = opts.batchSize ?? 1000;
    this.pollIntervalMs = opts.pollIntervalMs ?? 1000;
    this.retryBaseMs = opts.retryBaseMs ?? 500;
    this.retryMaxMs = opts.retryMaxMs ?? 30_000;
    this.leaseMs = (opts.publishTimeoutMs ?? 5000) + 5000;
    this.marks = new Coalescer((ids) => markPublished((sql, params) => opts.ds.query(sql, params), ids));
    const meter = platformMeter();
    this.metrics = {
      backlog: meter.createObservableGauge('outbox.backlog', { description: 'Outbox rows not yet published' }),
      published: meter.createCounter('outbox.published', { description: 'Events published from the outbox' }),
      failures: meter.createCounter('outbox.publish_failures', { description: 'Failed publish attempts' }),
    };
  }

  start(): void {
    if (this.running) return;
    this.stopping = false;
    this.metrics.backlog.addCallback(this.observeBacklog);
    // Detached from whatever span called start(): each publish joins the trace stored with its row instead.
    context.with(ROOT_CONTEXT, () => {
      if (this.opts.listen ?? true) {
        this.listener = new OutboxListener(connectionString(this.opts.ds), () => this.wake(), this.opts.logger);
        this.listener.start();
      }
      this.watchNats();
      this.publisher = new AckingPublisher(this.opts.bus, this.opts.publishTimeoutMs ?? 5000);
      this.running = this.loop();
    });
  }

  /** Ask for a round now (e.g. right after a commit in this process). */
  wake(): void {
    this.wakeRequested = true;
    this.sleeper.wake();
  }

  get accepting(): boolean {
    return this.running !== undefined && !this.stopping;
  }

  /**
   * Publishes the rows of a transaction that just committed in this process, without reading them back: the rows
   * were written leased to this relay. What fails to publish is recorded for retry, and what is never recorded (the
   * process dies) is claimed by any relay once the lease ends.
   */
  accept(entries: OutboxEntry[]): void {
    if (!this.accepting || entries.length === 0) return;
    const work = context
      .with(ROOT_CONTEXT, () => this.publishEntries(entries, (sql, params) => this.opts.ds.query(sql, params), this.marks))
      .then(
        () => undefined,
        (err: unknown) => this.opts.logger.warn({ err }, 'handed-off outbox events not recorded; they are published again after their lease'),
      )
      .finally(() => this.handedOff.delete(work));
    this.handedOff.add(work);
  }

  /** Stops after the batch in flight and the handed-off events are published and recorded. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.wake();
    this.natsWatch?.stop();
    this.metrics.backlog.removeCallback(this.observeBacklog);
    await this.listener?.stop();
    await this.running;
    await Promise.all(this.handedOff);
    this.running = undefined;
    this.publisher?.close();
    this.publisher = undefined;
  }

  async backlog(): Promise<number> {
    const rows: { n: number }[] = await this.opts.ds.query(
      'SELECT count(*)::int AS n FROM outbox WHERE published_at IS NULL',
    );
    return rows[0]?.n ?? 0;
  }

  /** Resolves once every committed row is published; rejects after `timeoutMs` (default 10 s). */
  async drained(timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const n = await this.backlog();
      if (n === 0) return;
      if (Date.now() > deadline) throw new Error(`outbox not drained after ${timeoutMs} ms: ${n} rows pending`);
      this.wake();
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  private readonly observeBacklog = async (result: { observe(v: number): void }): Promise<void> => {
    try {
      result.observe(await this.backlog());
    } catch {
      // The database is unreachable: better no sample than a made-up one.
    }
  };

  private async loop(): Promise<void> {
    while (!this.stopping) {
      let pause = this.pollIntervalMs;
      // Any wake-up that arrives from here on is for rows the next claim may not see: keep it for the next sleep.
      this.wakeRequested = false;
      try {
        const round = await this.relayBatch();
        if (round.claimed === this.batchSize) continue;
        if (round.retryInMs !== undefined) pause = Math.min(pause, round.retryInMs);
        await this.purgeOccasionally();
      } catch (err) {
        this.opts.logger.error({ err }, 'outbox relay round failed');
        pause = Math.min(pause, this.retryMaxMs);
      }
      await this.sleep(pause);
    }
  }

  private sleep(ms: number): Promise<void> {
    if (this.wakeRequested || this.stopping) return Promise.resolve();
    return this.sleeper.sleep(ms);
  }

  /** One round: claim, publish concurrently, record the outcome — all under the claim's row locks. */
  private async relayBatch(): Promise<{ claimed: number; retryInMs?: number }> {
    const qr = this.opts.ds.createQueryRunner();
    await qr.connect();
    try {
      await qr.startTransaction();
      const rows: OutboxEntry[] = await qr.query(
        `SELECT id, event_id, source, type, subject, entity, data, traceparent, created_at, attempts
           FROM outbox
          WHERE published_at IS NULL AND next_attempt_at <= now()
          ORDER BY id
          LIMIT $1
            FOR UPDATE SKIP LOCKED`,
        [this.batchSize],
      );
      if (rows.length === 0) {
        await qr.commitTransaction();
        return { claimed: 0 };
      }
      const outcome = await this.publishEntries(rows, (sql, params) => qr.query(sql, params));
      await qr.commitTransaction();
      return { claimed: rows.length, ...outcome };
    } catch (err) {
      if (qr.isTransactionActive) await qr.rollbackTransaction().catch(() => undefined);
      throw err;
    } finally {
      await qr.release();
    }
  }

  /**
   * Publishes the entries concurrently, then records which were published and when the others are retried. `marks`,
   * when given, records the published ones instead of `query`.
   */
  private async publishEntries(entries: OutboxEntry[], query: Query, marks?: Coalescer<string>): Promise<{ retryInMs?: number }> {
    const outcomes = await this.publishAll(entries);
    const published: string[] = [];
    const failed = { ids: [] as string[], errors: [] as string[], delays: [] as number[] };
    outcomes.forEach((o, i) => {
      const row = entries[i]!;
      if (o.status === 'fulfilled') {
        published.push(row.id);
      } else {
        failed.ids.push(row.id);
        failed.errors.push(String((o.reason as Error)?.message ?? o.reason).slice(0, 1000));
        failed.delays.push(backoffMs(row.attempts, this.retryBaseMs, this.retryMaxMs));
      }
    });
    // `published_at IS NULL`: a handed-off row whose lease ran out may have been published by another relay already.
    if (published.length > 0) await (marks ? marks.add(published) : markPublished(query, published));
    if (failed.ids.length > 0) {
      await query(
        `UPDATE outbox AS o
            SET attempts = o.attempts + 1, last_error = f.error,
                next_attempt_at = now() + f.delay_ms * interval '1 millisecond'
           FROM unnest($1::bigint[], $2::text[], $3::int[]) AS f(id, error, delay_ms)
          WHERE o.id = f.id AND o.published_at IS NULL`,
        [failed.ids, failed.errors, failed.delays],
      );
      this.opts.logger.warn(
        { failed: failed.ids.length, published: published.length, error: failed.errors[0] },
        'some outbox events failed to publish; they will be retried',
      );
    }
    this.metrics.published.add(published.length);
    this.metrics.failures.add(failed.ids.length);
    return failed.delays.length > 0 ? { retryInMs: Math.min(...failed.delays) } : {};
  }

  /**
   * Publishes entries that share a trace and a subject under one producer span, which continues the trace of the
   * command that wrote them, so one trace covers RPC → publish → consumer without a span per event of a bulk import.
   * Resolves per entry: one refused message does not fail the others.
   */
  private publishAll(entries: OutboxEntry[]): Promise<PromiseSettledResult<void>[]> {
    const groups = new Map<string, number[]>();
    entries.forEach((e, i) => {
      const key = `${e.traceparent ?? ''} ${e.subject}`;
      const group = groups.get(key);
      if (group) group.push(i);
      else groups.set(key, [i]);
    });
    const outcomes: PromiseSettledResult<void>[] = new Array(entries.length);
    return Promise.all(
      [...groups.values()].map(async (at) => {
        const settled = await this.publishGroup(at.map((i) => entries[i]!));
        settled.forEach((o, k) => (outcomes[at[k]!] = o));
      }),
    ).then(() => outcomes);
  }

  private publishGroup(group: OutboxEntry[]): Promise<PromiseSettledResult<void>[]> {
    const first = group[0]!;
    const parent = first.traceparent ? extractTraceContext({ traceparent: first.traceparent }) : ROOT_CONTEXT;
    return platformTracer.startActiveSpan(
      `${first.subject} publish`,
      {
        kind: SpanKind.PRODUCER,
        attributes: {
          'messaging.system': 'nats',
          'messaging.operation.type': 'send',
          'messaging.destination.name': this.opts.bus.prefix + first.subject,
          ...(group.length === 1 ? { 'messaging.message.id': first.event_id } : { 'messaging.batch.message_count': group.length }),
        },
      },
      parent,
      async (span) => {
        const carrier: Record<string, string> = {};
        injectTraceContext(carrier);
        const traceparent = carrier.traceparent;
        const settled = await Promise.allSettled(
          group.map((row) => {
            const event: CreditEvent = {
              id: row.event_id,
              type: row.type,
              source: row.source,
              subject: row.subject,
              entity: row.entity,
              time: row.created_at,
              data: row.data,
              ...(traceparent ? { traceparent } : {}),
            };
            return this.publisher!.publish(event);
          }),
        );
        const failure = settled.find((o): o is PromiseRejectedResult => o.status === 'rejected');
        if (failure) {
          span.recordException(failure.reason as Error);
          span.setStatus({ code: SpanStatusCode.ERROR, message: (failure.reason as Error)?.message });
        }
        span.end();
        return settled;
      },
    );
  }

  /** After NATS comes back, rows parked by backoff are retried at once instead of waiting out their delay. */
  private watchNats(): void {
    const status = this.opts.bus.nc.status() as AsyncIterable<{ type: string }> & { stop(): void };
    this.natsWatch = status;
    void (async () => {
      for await (const s of status) {
        if (s.type !== 'reconnect' || this.stopping) continue;
        try {
          await this.opts.ds.query(
            `UPDATE outbox SET next_attempt_at = now() WHERE published_at IS NULL AND next_attempt_at > now()`,
          );
        } catch (err) {
          this.opts.logger.warn({ err }, 'could not reset outbox backoff after NATS reconnect');
        }
        this.wake();
      }
    })();
  }

  private async purgeOccasionally(): Promise<void> {
    if (Date.now() - this.lastPurge < PURGE_EVERY_MS) return;
    this.lastPurge = Date.now();
    await this.opts.ds.query(
      `DELETE FROM outbox WHERE id IN (
         SELECT id FROM outbox
          WHERE created_at < now() - make_interval(days => $1) AND published_at IS NOT NULL
          LIMIT $2)`,
      [this.opts.retentionDays ?? 7, PURGE_ROWS],
    );
  }
}

function markPublished(query: Query, ids: string[]): Promise<unknown> {
  return query(
    `UPDATE outbox SET published_at = now(), attempts = attempts + 1, last_error = NULL
      WHERE id = ANY($1::bigint[]) AND published_at IS NULL`,
    [ids],
  );
}

function connectionString(ds: DataSource): string {
  const o = ds.options as PostgresConnectionOptions;
  if (o.url) return o.url;
  const auth = o.username ? `${encodeURIComponent(o.username)}${o.password ? `:${encodeURIComponent(String(o.password))}` : ''}@` : '';
  return `postgres://${auth}${o.host ?? '127.0.0.1'}:${o.port ?? 5432}/${o.database ?? ''}`;
}
