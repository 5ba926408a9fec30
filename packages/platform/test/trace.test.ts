import { SpanKind } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import type { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inTransaction, openDatabase } from '../src/db/index.js';
import { type Bus, connectBus, ensureStreams, InboxConsumer, Outbox, OutboxRelay } from '../src/events/index.js';
import { createLogger } from '../src/logger.js';
import { platformTracer } from '../src/telemetry/index.js';
import {
  cleanupBus,
  installTestTracing,
  testDatabase,
  testNatsUrl,
  uniquePrefix,
  waitFor,
} from '../src/testing/index.js';

const logger = createLogger('trace-test', { level: 'silent' });

describe('tracing across the outbox', () => {
  const exporter = installTestTracing();
  let db: { url: string; drop(): Promise<void> };
  let ds: DataSource;
  let bus: Bus;
  let relay: OutboxRelay;
  let consumer: InboxConsumer;
  const handled: string[] = [];

  beforeAll(async () => {
    db = await testDatabase();
    ds = await openDatabase({ url: db.url });
    bus = await connectBus({ url: await testNatsUrl(), name: 'trace-test', prefix: uniquePrefix() });
    await ensureStreams(bus);
    relay = new OutboxRelay({ ds, bus, logger });
    relay.start();
    consumer = new InboxConsumer({
      ds,
      bus,
      logger,
      durable: 'trace-test',
      stream: 'CREDIT_EVENTS',
      filterSubject: 'credit.trace.v1.>',
      handler: async (em, e) => {
        await em.query('SELECT 1');
        handled.push(e.id);
      },
    });
    await consumer.start();
  });

  afterAll(async () => {
    await consumer.stop();
    await relay.stop();
    await cleanupBus(bus);
    await bus.close();
    await ds.destroy();
    await db.drop();
  });

  it('follows one command from its database write through the publish to the consumer in one trace', async () => {
    const id = crypto.randomUUID();
    const traceId = await platformTracer.startActiveSpan('RegisterEntity', async (span) => {
      await inTransaction(ds, (em) =>
        new Outbox('credit/trace').add(em, [
          { id, type: 'credit.trace.v1.Traced', subject: 'credit.trace.v1.traced.1', entity: 'E1', data: new Uint8Array([1]) },
        ]),
      );
      span.end();
      return span.spanContext().traceId;
    });

    await waitFor(async () => handled.includes(id));
    const spans = await waitFor(async () => {
      const inTrace = exporter.getFinishedSpans().filter((s) => s.spanContext().traceId === traceId);
      return inTrace.some((s) => s.kind === SpanKind.CONSUMER) ? inTrace : undefined;
    });

    const byName = (name: string): ReadableSpan | undefined => spans.find((s) => s.name === name);
    const root = byName('RegisterEntity');
    const publish = byName('credit.trace.v1.traced.1 publish');
    const process = byName('credit.trace.v1.traced.1 process');
    expect(root).toBeDefined();
    expect(publish?.kind).toBe(SpanKind.PRODUCER);
    expect(publish?.parentSpanContext?.spanId).toBe(root?.spanContext().spanId);
    expect(process?.kind).toBe(SpanKind.CONSUMER);
    expect(process?.parentSpanContext?.spanId).toBe(publish?.spanContext().spanId);

    // The attribute's name depends on the semantic-convention version the pg instrumentation emits.
    const queries = spans.filter(
      (s) => s.kind === SpanKind.CLIENT && (s.attributes['db.system.name'] ?? s.attributes['db.system']) === 'postgresql',
    );
    // The outbox INSERT under the command, and the inbox INSERT under the consumer.
    expect(queries.some((q) => q.parentSpanContext?.spanId === root?.spanContext().spanId)).toBe(true);
    expect(queries.some((q) => q.parentSpanContext?.spanId === process?.spanContext().spanId)).toBe(true);
  });
});
