import * as grpc from '@grpc/grpc-js';
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { GetEntityRequest, GetEntityResponse, ValidateCodesRequest, ValidateCodesResponse } from '@credit/contracts/credit/registry/v1/registry.js';
import { notFound } from '../src/errors.js';
import { callUnary } from '../src/grpc/index.js';
import { platformTracer } from '../src/telemetry/tracer.js';
import { testToken } from '../src/testing/identity.js';
import { installTestTracing } from '../src/testing/tracing.js';
import { echoEntity, startRegistry, type Harness } from './grpc-harness.js';

const exporter = installTestTracing();
const GET = 'credit.registry.v1.RegistryService/GetEntity';
let harness: Harness;
let client: grpc.Client;

beforeAll(async () => {
  harness = await startRegistry((kit) => ({
    getEntity: kit.unary<GetEntityRequest, GetEntityResponse>(async (req, ctx) => {
      if (req.key?.value === 'missing') throw notFound('ENTITY_NOT_FOUND', 'no such entity');
      if (req.key?.value === 'crash') throw new Error('bug');
      // Work inside the handler (a query, a publish) must land in the server span's trace.
      await platformTracer.startActiveSpan('lookup', async (span) => {
        ctx.logger.info('looking up');
        span.end();
      });
      return { entity: echoEntity({ name: 'ok' }) };
    }),
    validateCodes: kit.unary<ValidateCodesRequest, ValidateCodesResponse>(async () => ({ verdicts: [] }), { public: true }),
  }));
  client = harness.client({ token: testToken() });
});

afterAll(async () => {
  await harness.close();
});

beforeEach(() => {
  exporter.reset();
});

const get = (value: string) => callUnary(client, 'getEntity', { key: { $case: 'uscc', value } });

function only(predicate: (s: ReadableSpan) => boolean): ReadableSpan {
  const spans = exporter.getFinishedSpans().filter(predicate);
  expect(spans).toHaveLength(1);
  return spans[0]!;
}

describe('gRPC tracing', () => {
  it('makes the server span a child of the client span, which is a child of the caller span', async () => {
    const parent = await platformTracer.startActiveSpan('blacklist decision', async (span) => {
      await get('ok');
      span.end();
      return span.spanContext();
    });
    const clientSpan = only((s) => s.kind === SpanKind.CLIENT);
    const serverSpan = only((s) => s.kind === SpanKind.SERVER);
    expect(clientSpan.name).toBe(GET);
    expect(serverSpan.name).toBe(GET);
    expect(clientSpan.parentSpanContext?.spanId).toBe(parent.spanId);
    expect(serverSpan.spanContext().traceId).toBe(parent.traceId);
    expect(serverSpan.parentSpanContext?.spanId).toBe(clientSpan.spanContext().spanId);
    expect(serverSpan.attributes['rpc.grpc.status_code']).toBe(0);
  });

  it('runs the handler inside the server span, so its spans and logs belong to the trace', async () => {
    await get('ok');
    const serverSpan = only((s) => s.kind === SpanKind.SERVER);
    const lookup = only((s) => s.name === 'lookup');
    expect(lookup.parentSpanContext?.spanId).toBe(serverSpan.spanContext().spanId);
    const line = harness.logs.findLast((l) => l.msg === 'looking up');
    expect(line).toMatchObject({ trace_id: serverSpan.spanContext().traceId, method: GET });
    expect(line?.caller).toEqual({ department: 'court', role: 'department', subject: 'test-user' });
  });

  it('records a client mistake on the server span without marking it as a server error', async () => {
    await expect(get('missing')).rejects.toMatchObject({ code: grpc.status.NOT_FOUND });
    const serverSpan = only((s) => s.kind === SpanKind.SERVER);
    expect(serverSpan.attributes['rpc.grpc.status_code']).toBe(grpc.status.NOT_FOUND);
    expect(serverSpan.status.code).not.toBe(SpanStatusCode.ERROR);
  });

  it('marks the server span as an error when the handler fails unexpectedly', async () => {
    await expect(get('crash')).rejects.toMatchObject({ code: grpc.status.INTERNAL });
    const serverSpan = only((s) => s.kind === SpanKind.SERVER);
    expect(serverSpan.status.code).toBe(SpanStatusCode.ERROR);
    expect(serverSpan.events.map((e) => e.name)).toContain('exception');
  });

  it('starts a new trace for a call that arrives without trace context', async () => {
    const bare = new grpc.Client(harness.address, grpc.credentials.createInsecure());
    try {
      await new Promise<void>((resolve, reject) =>
        bare.makeUnaryRequest(
          '/credit.registry.v1.RegistryService/ValidateCodes',
          () => Buffer.alloc(0),
          (b: Buffer) => b,
          {},
          (err) => (err ? reject(err) : resolve()),
        ),
      );
    } finally {
      bare.close();
    }
    const serverSpan = only((s) => s.kind === SpanKind.SERVER);
    expect(serverSpan.parentSpanContext).toBeUndefined();
  });
});
