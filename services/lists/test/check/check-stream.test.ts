// CheckCreditStream: many checks over one stream, each answered under its tag as CheckCredit would answer it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as grpc from '@grpc/grpc-js';
import type { CheckCreditResponse, CheckCreditStreamRequest, CheckCreditStreamResponse, CreditCheckServiceClient } from '@credit/contracts/credit/lists/v1/lists.js';
import { signToken } from '@credit/platform';
import { startTelemetry, type Telemetry } from '@credit/platform/telemetry';
import { TEST_TOKEN_SECRET, testDatabase, waitFor } from '@credit/platform/testing';
import { entry, listType, measure, publishLists } from './events.js';
import { financeOfficer, publicCaller, startPieces, uscc, type Pieces } from './pieces.js';

const [A, B] = [uscc(21), uscc(22)];
let db: { url: string; drop(): Promise<void> };
let p: Pieces;
let telemetry: Telemetry;

interface OpenStream {
  call: grpc.ClientDuplexStream<CheckCreditStreamRequest, CheckCreditStreamResponse>;
  answers: CheckCreditStreamResponse[];
  status: Promise<grpc.StatusObject>;
}

function open(client: grpc.Client): OpenStream {
  const call = (client as unknown as CreditCheckServiceClient).checkCreditStream();
  const answers: CheckCreditStreamResponse[] = [];
  call.on('data', (m: CheckCreditStreamResponse) => answers.push(m));
  call.on('error', () => undefined); // reported through 'status'
  const status = new Promise<grpc.StatusObject>((resolve) => call.on('status', resolve));
  return { call, answers, status };
}

const reasonOf = (s: grpc.StatusObject) => s.metadata.get('reason')[0];

beforeAll(async () => {
  telemetry = startTelemetry({ serviceName: 'lists-check-stream-test', metricsPort: 0 });
  await telemetry.ready;
  db = await testDatabase();
  p = await startPieces({ db });
  await publishLists.listType(p.bus, listType('debtor', { name: '失信被执行人' }));
  await publishLists.measure(p.bus, measure('restrict_procurement', { listTypes: ['debtor'], activities: ['government_procurement'] }));
  const seq = await publishLists.effective(p.bus, entry('0193a3c1-0000-7000-8000-0000000000d1', A));
  await waitFor(async () => p.check.index.position === seq);
});

afterAll(async () => {
  await p.stop();
  await telemetry.shutdown();
});

/** The credit_check.checks counter as /metrics serves it, by its via and outcome labels. */
async function checkCounts(): Promise<Record<string, number>> {
  const body = await (await fetch(`http://127.0.0.1:${telemetry.metricsPort}/metrics`)).text();
  const counts: Record<string, number> = {};
  for (const line of body.split('\n')) {
    const m = /^credit_check_checks(?:_total)?\{(.*)\} (\d+)/.exec(line);
    if (!m) continue;
    const via = /via="(\w+)"/.exec(m[1]!)?.[1];
    const outcome = /outcome="(\w+)"/.exec(m[1]!)?.[1];
    counts[`${via}/${outcome}`] = Number(m[2]);
  }
  return counts;
}

describe('CheckCreditStream', () => {
  it('answers each check under its tag as CheckCredit does, refuses a malformed one alone, and logs every answered check', async () => {
    const s = open(p.checkAs(financeOfficer));
    s.call.write({ tag: 7, check: { entityCode: A, activity: 'government_procurement' } });
    s.call.write({ tag: 8, check: { entityCode: A.slice(0, 17), activity: 'not valid!' } });
    s.call.write({ tag: 9, check: { entityCode: B, activity: '' } });
    s.call.write({ tag: 10, check: { entityCode: A, activity: 'bidding' } });
    await waitFor(async () => s.answers.length === 4);
    s.call.end();
    expect((await s.status).code).toBe(grpc.status.OK);

    expect(s.answers.map((a) => [a.tag, a.result?.$case])).toEqual([[7, 'answer'], [8, 'refused'], [9, 'answer'], [10, 'answer']]);
    const unary = await p.call<CheckCreditResponse>(p.checkAs(financeOfficer), 'checkCredit', { entityCode: A, activity: 'government_procurement' });
    const first = s.answers[0]!.result as { $case: 'answer'; value: CheckCreditResponse };
    expect(first.value.measures).toEqual(unary.measures);
    expect(first.value).toMatchObject({ entityCode: A, department: 'finance', activity: 'government_procurement', position: unary.position });
    expect(first.value.checkId).not.toBe(unary.checkId);
    expect(s.answers[1]!.result).toEqual({
      $case: 'refused',
      value: {
        code: 'INVALID_ARGUMENT',
        reason: 'INVALID_ARGUMENT',
        message: expect.stringContaining('entity_code') as unknown as string,
        violations: [expect.objectContaining({ field: 'entity_code' }), expect.objectContaining({ field: 'activity', reason: 'MALFORMED' })],
      },
    });
    const clean = s.answers[2]!.result as { $case: 'answer'; value: CheckCreditResponse };
    expect(clean.value.measures).toEqual([]);

    const ids = s.answers.flatMap((a) => (a.result?.$case === 'answer' ? [a.result.value.checkId] : []));
    const logged = await waitFor(async () => {
      const rows: { check_id: string; subject: string }[] = await p.host.ds.query(`SELECT check_id, subject FROM credit_check_log WHERE check_id = ANY($1)`, [ids]);
      return rows.length === 3 && rows;
    });
    expect(logged.every((r) => r.subject === 'finance-officer')).toBe(true);
    // Counted in the metrics like unary checks, which the kit's call metrics would count anyway.
    expect(await checkCounts()).toMatchObject({ 'stream/answered': 3, 'stream/refused': 1, 'unary/answered': 1 });
  });

  it('refuses a caller without credentials or without a department when the stream opens', async () => {
    const anonymous = open(p.checkAs(null));
    anonymous.call.write({ tag: 1, check: { entityCode: A, activity: '' } });
    expect((await anonymous.status).code).toBe(grpc.status.UNAUTHENTICATED);
    const asPublic = open(p.checkAs(publicCaller));
    asPublic.call.write({ tag: 1, check: { entityCode: A, activity: '' } });
    expect((await asPublic.status).code).toBe(grpc.status.PERMISSION_DENIED);
    expect(anonymous.answers).toEqual([]);
    expect(asPublic.answers).toEqual([]);
  });

  it('ends the stream with UNAUTHENTICATED TOKEN_EXPIRED when the caller token expires', async () => {
    const token = signToken(financeOfficer, TEST_TOKEN_SECRET, { ttlSeconds: 2 });
    const s = open(p.checkAs(financeOfficer, token));
    s.call.write({ tag: 1, check: { entityCode: A, activity: '' } });
    await waitFor(async () => s.answers.length === 1);
    const opened = Date.now();
    const ended = await s.status;
    expect(ended.code).toBe(grpc.status.UNAUTHENTICATED);
    expect(reasonOf(ended)).toBe('TOKEN_EXPIRED');
    expect(Date.now() - opened).toBeLessThan(3_000);
  });

  it('ends open streams with UNAVAILABLE SHUTTING_DOWN as soon as the service stops, instead of holding its shutdown', async () => {
    const s = open(p.checkAs(financeOfficer));
    s.call.write({ tag: 1, check: { entityCode: A, activity: '' } });
    await waitFor(async () => s.answers.length === 1);
    const started = Date.now();
    await p.stop({ keep: true });
    const ended = await s.status;
    expect(ended.code).toBe(grpc.status.UNAVAILABLE);
    expect(reasonOf(ended)).toBe('SHUTTING_DOWN');
    // The server waits up to 5 s for calls in flight before cancelling them; the stream did not make it wait.
    expect(Date.now() - started).toBeLessThan(4_000);
    p = await startPieces({ db, prefix: p.prefix });
  });
});
