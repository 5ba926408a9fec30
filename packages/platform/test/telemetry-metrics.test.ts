import { context, trace } from '@opentelemetry/api';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GetEntityRequest, GetEntityResponse } from '@credit/contracts/credit/registry/v1/registry.js';
import { notFound } from '../src/errors.js';
import { callUnary } from '../src/grpc/index.js';
import {
  extractTraceContext,
  injectTraceContext,
  platformMeter,
  platformTracer,
  startTelemetry,
  tally,
  type Telemetry,
} from '../src/telemetry/index.js';
import { testToken } from '../src/testing/identity.js';
import { echoEntity, startRegistry, type Harness } from './grpc-harness.js';

let telemetry: Telemetry;
let harness: Harness;

beforeAll(async () => {
  telemetry = startTelemetry({ serviceName: 'telemetry-metrics-test', metricsPort: 0 });
  await telemetry.ready;
  harness = await startRegistry((kit) => ({
    getEntity: kit.unary<GetEntityRequest, GetEntityResponse>(async (req) => {
      if (req.key?.value === 'missing') throw notFound('ENTITY_NOT_FOUND', 'no such entity');
      return { entity: echoEntity({ name: 'ok' }) };
    }),
  }));
});

afterAll(async () => {
  await harness.close();
  await telemetry.shutdown();
});

async function scrape(path = '/metrics'): Promise<{ status: number; body: string }> {
  const res = await fetch(`http://127.0.0.1:${telemetry.metricsPort}${path}`);
  return { status: res.status, body: await res.text() };
}

describe('startTelemetry metrics', () => {
  it('serves the gRPC server duration histogram with method and status code on /metrics', async () => {
    const client = harness.client({ token: testToken() });
    await callUnary(client, 'getEntity', { key: { $case: 'uscc', value: 'x' } });
    await expect(callUnary(client, 'getEntity', { key: { $case: 'uscc', value: 'missing' } })).rejects.toThrow();

    const { status, body } = await scrape();
    expect(status).toBe(200);
    const counts = body.split('\n').filter((l) => l.startsWith('rpc_server_duration') && l.includes('_count'));
    const method = 'rpc_method="credit.registry.v1.RegistryService/GetEntity"';
    expect(counts).toContainEqual(expect.stringMatching(new RegExp(`${method}.*rpc_grpc_status_code="0".* 1$`)));
    expect(counts).toContainEqual(expect.stringMatching(new RegExp(`${method}.*rpc_grpc_status_code="5".* 1$`)));
  });

  it('serves metrics of any instrument made with platformMeter', async () => {
    platformMeter().createCounter('outbox.published').add(3, { stream: 'CREDIT_EVENTS' });
    const { body } = await scrape();
    expect(body).toMatch(/outbox_published(_total)?\{[^}]*stream="CREDIT_EVENTS"[^}]*\} 3/);
  });

  it('serves a tally per declared attribute set, counted ones and zero ones alike', async () => {
    const checks = tally('test.tally_checks', 'checks by outcome', {
      answered: { outcome: 'answered' },
      refused: { outcome: 'refused' },
      failed: { outcome: 'failed' },
    });
    checks.add('answered');
    checks.add('answered', 4);
    checks.add('refused');
    const { body } = await scrape();
    const line = (outcome: string) => body.split('\n').find((l) => l.startsWith('test_tally_checks') && l.includes(`outcome="${outcome}"`));
    expect(line('answered')).toMatch(/ 5$/);
    expect(line('refused')).toMatch(/ 1$/);
    expect(line('failed')).toMatch(/ 0$/);
    checks.add('failed', 2);
    expect((await scrape()).body).toMatch(/test_tally_checks(_total)?\{[^}]*outcome="failed"[^}]*\} 2/);
  });

  it('answers 404 for anything but /metrics', async () => {
    expect((await scrape('/')).status).toBe(404);
  });
});

describe('startTelemetry called twice', () => {
  it('returns the running telemetry and adds the new span processors to it', async () => {
    const exporter = new InMemorySpanExporter();
    const again = startTelemetry({ serviceName: 'other', metricsPort: 0, spanProcessors: [new SimpleSpanProcessor(exporter)] });
    expect(again).toBe(telemetry);
    platformTracer.startSpan('after second start').end();
    expect(exporter.getFinishedSpans().map((s) => s.name)).toEqual(['after second start']);
  });
});

describe('trace context propagation', () => {
  it('carries the active span through a carrier and back', () => {
    const span = platformTracer.startSpan('publisher');
    const carrier: Record<string, string> = {};
    context.with(trace.setSpan(context.active(), span), () => injectTraceContext(carrier));
    span.end();
    expect(carrier.traceparent).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);

    const extracted = trace.getSpanContext(extractTraceContext(carrier));
    expect(extracted?.traceId).toBe(span.spanContext().traceId);
    expect(extracted?.spanId).toBe(span.spanContext().spanId);
    expect(extracted?.isRemote).toBe(true);
  });

  it('extracts no span from a carrier without trace context', () => {
    expect(trace.getSpanContext(extractTraceContext({}))).toBeUndefined();
  });
});
