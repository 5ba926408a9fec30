import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SpanKind } from '@opentelemetry/api';
import type { SubmitRecordResponse } from '@credit/contracts/credit/disclosures/v1/disclosures.js';
import { installTestTracing, waitFor } from '@credit/platform/testing';
import { AMR_PENALTY_ITEM, amrOfficer, callAs, penaltyFields, startTestDisclosures, type TestDisclosures } from '../harness.js';

// Tracing must be installed before the first database connection, so that pg is instrumented.
const exporter = installTestTracing();

describe('tracing', () => {
  let t: TestDisclosures;

  beforeAll(async () => {
    t = await startTestDisclosures();
  }, 60_000);
  afterAll(async () => t?.stop());

  it('follows one submission through the RPC, the database write and the publish of its event in one trace', async () => {
    await callAs<SubmitRecordResponse>(t, amrOfficer, 'submitRecord', { requestId: 'trace-1', itemCode: AMR_PENALTY_ITEM, fields: penaltyFields(1, '2026-06-10') });

    const spans = await waitFor(async () => {
      const all = exporter.getFinishedSpans();
      const server = all.find((s) => s.kind === SpanKind.SERVER && s.name.endsWith('/SubmitRecord'));
      if (!server) return undefined;
      const trace = all.filter((s) => s.spanContext().traceId === server.spanContext().traceId);
      return trace.some((s) => s.kind === SpanKind.PRODUCER) && trace;
    });

    const names = spans.map((s) => s.name).join(', ');
    const isPg = (s: (typeof spans)[number]) => s.attributes['db.system'] === 'postgresql' || s.attributes['db.system.name'] === 'postgresql';
    expect(spans.some((s) => s.kind === SpanKind.CLIENT && s.name.endsWith('/SubmitRecord')), names).toBe(true);
    expect(spans.some((s) => s.kind === SpanKind.CLIENT && isPg(s) && /INSERT INTO disclosure_record/.test(String(s.attributes['db.statement'] ?? s.attributes['db.query.text'] ?? ''))), names).toBe(true);
    const producer = spans.find((s) => s.kind === SpanKind.PRODUCER)!;
    expect(String(producer.attributes['messaging.destination.name'] ?? producer.name)).toContain('penalty_published');
  });
});
