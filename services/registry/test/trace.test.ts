import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type * as grpc from '@grpc/grpc-js';
import { SpanKind } from '@opentelemetry/api';
import { InboxConsumer, callUnary, createLogger } from '@credit/platform';
import { installTestTracing, waitFor } from '@credit/platform/testing';
import { company, startTestRegistry, type TestRegistry } from './harness.js';

// Tracing must be installed before the first database connection, so pg is instrumented.
const exporter = installTestTracing();
let t: TestRegistry;
let consumer: InboxConsumer;
const handled: string[] = [];

beforeAll(async () => {
  t = await startTestRegistry();
  consumer = new InboxConsumer({
    ds: t.running.ds,
    bus: t.running.bus,
    logger: createLogger('trace-test', { level: 'warn' }),
    durable: 'trace_test',
    stream: 'CREDIT_EVENTS',
    filterSubject: 'credit.registry.v1.>',
    handler: async (_em, event) => {
      handled.push(event.entity);
    },
  });
  await consumer.start();
});
afterAll(async () => {
  await consumer?.stop();
  await t?.stop();
});

describe('tracing', () => {
  it('follows one registration through the RPC, the database write, the publish and the consumer in one trace', async () => {
    const input = company(1);
    await callUnary(t.client as unknown as grpc.Client, 'registerEntity', { requestId: 'trace-1', entity: input });
    await waitFor(async () => handled.includes(input.uscc));

    const spans = await waitFor(async () => {
      const all = exporter.getFinishedSpans();
      const server = all.find((s) => s.kind === SpanKind.SERVER && s.name.endsWith('/RegisterEntity'));
      if (!server) return undefined;
      const trace = all.filter((s) => s.spanContext().traceId === server.spanContext().traceId);
      const kinds = new Set(trace.map((s) => s.kind));
      return kinds.has(SpanKind.PRODUCER) && kinds.has(SpanKind.CONSUMER) && trace;
    });
    const names = spans.map((s) => s.name);
    expect(spans.some((s) => s.kind === SpanKind.CLIENT && s.name.endsWith('/RegisterEntity'))).toBe(true);
    expect(spans.some((s) => s.kind === SpanKind.SERVER)).toBe(true);
    // A PostgreSQL query span from the pg instrumentation inside the RPC.
    expect(spans.some((s) => s.kind === SpanKind.CLIENT && (s.attributes['db.system'] === 'postgresql' || s.attributes['db.system.name'] === 'postgresql')), names.join(', ')).toBe(true);
    expect(spans.some((s) => s.kind === SpanKind.PRODUCER)).toBe(true);
    expect(spans.some((s) => s.kind === SpanKind.CONSUMER)).toBe(true);
  });
});
