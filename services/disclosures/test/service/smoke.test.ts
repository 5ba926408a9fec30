import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SubmitRecordResponse } from '@credit/contracts/credit/disclosures/v1/disclosures.js';
import { callUnary } from '@credit/platform';
import { waitFor } from '@credit/platform/testing';
import type * as grpc from '@grpc/grpc-js';
import { AMR_PENALTY_ITEM, amrOfficer, penaltyFields, startTestDisclosures, type TestDisclosures } from '../harness.js';

describe('disclosures smoke', () => {
  let t: TestDisclosures;
  beforeAll(async () => {
    t = await startTestDisclosures();
  }, 60_000);
  afterAll(async () => t?.stop());

  it('stores a penalty and publishes PenaltyPublished', async () => {
    const client = t.clientAs(amrOfficer) as unknown as grpc.Client;
    const res = await callUnary<unknown, SubmitRecordResponse>(client, 'submitRecord', {
      requestId: 'r1',
      itemCode: AMR_PENALTY_ITEM,
      fields: penaltyFields(1, '2026-06-10'),
    });
    expect(res.created).toBe(true);
    expect(res.record?.workingDays).toBeGreaterThan(0);
    await waitFor(async () => t.events.length === 1);
    expect(t.events[0]!.type).toBe('credit.disclosures.v1.PenaltyPublished');
  });
});
