import * as grpc from '@grpc/grpc-js';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { rejectionOf, testToken, waitFor } from '@credit/platform/testing';
import {
  connectSector,
  isSectorError,
  MemoryProcessedEvents,
  once,
  type SectorClient,
  type SectorEvent,
  type SubscriptionProblem,
} from '../src/index.js';
import * as events from '../src/gen/credit/lists/v1/events.js';
import * as pb from '../src/gen/credit/lists/v1/lists.js';
import { listEntry, type Platform, type StandInLists, startPlatform, startStandInLists } from './harness.js';

let platform: Platform;
let lists: StandInLists;
const token = testToken({ department: 'finance', role: 'sector', subject: 'procurement-system' });
const clients: SectorClient[] = [];

beforeAll(async () => {
  platform = await startPlatform();
  lists = await startStandInLists();
});

afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
});

afterAll(async () => {
  await lists?.close();
  await platform?.close();
});

async function sector(): Promise<SectorClient> {
  const client = await connectSector({
    department: 'finance',
    nats: { servers: platform.natsUrl },
    lists: { address: lists.address, token },
    subjectPrefix: platform.prefix,
  });
  clients.push(client);
  return client;
}

/** A list type of its own per test, so durables and events of one test never reach another. */
let n = 0;
async function freshListType(opts: { maxDeliver?: number } = {}): Promise<string> {
  const listType = `lt_${++n}_${Date.now().toString(36)}`;
  lists.subscriptions.push(await platform.provision(listType, opts));
  return listType;
}

describe('subscribe', () => {
  it('delivers an effective entry as a typed event and acks it once the handler resolves', async () => {
    const listType = await freshListType();
    const id = await platform.publishEffective({ id: 'e-typed', listType });
    const seen: SectorEvent[] = [];
    const client = await sector();
    const sub = await client.subscribe({ listTypes: [listType], handler: (e) => void seen.push(e) });
    expect(sub.durables.map((d) => d.listType)).toEqual([listType]);

    const event = await waitFor(async () => seen[0]);
    expect(event).toMatchObject({
      id,
      type: 'entry_effective',
      subject: `credit.lists.v1.entry_effective.black.${listType}`,
      entity: 'e-typed',
      deliveryCount: 1,
      redelivered: false,
      entry: { id: 'e-typed', listType, colour: 'black', state: 'effective', entityCode: '91540100MA6T1234XA', version: 3 },
    });
    expect(event.entry?.effectiveAt).toEqual(new Date('2026-11-26T02:00:00Z'));
    expect(event.sequence).toBeGreaterThan(0);
    const info = await platform.bus.jsm.consumers.info(sub.durables[0]!.stream, sub.durables[0]!.durable);
    await waitFor(async () => (await platform.bus.jsm.consumers.info(info.stream_name, info.name)).num_ack_pending === 0);
    expect((await platform.bus.jsm.consumers.info(info.stream_name, info.name)).num_pending).toBe(0);
  });

  it('naks a failed handling, redelivers it, and acks it when the handler then succeeds', async () => {
    const listType = await freshListType();
    const id = await platform.publishEffective({ id: 'e-retry', listType });
    const deliveries: SectorEvent[] = [];
    const problems: SubscriptionProblem[] = [];
    const client = await sector();
    await client.subscribe({
      listTypes: [listType],
      retry: { baseMs: 50, maxMs: 100 },
      onError: (p) => problems.push(p),
      handler: (e) => {
        deliveries.push(e);
        if (deliveries.length === 1) throw new Error('database briefly away');
      },
    });
    await waitFor(async () => deliveries.length === 2);
    expect(deliveries.map((d) => [d.id, d.deliveryCount, d.redelivered])).toEqual([
      [id, 1, false],
      [id, 2, true],
    ]);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ kind: 'handler_failed', event: { id } });
    expect((problems[0] as { retryInMs: number }).retryInMs).toBeGreaterThan(0);
  });

  it('terminates an event whose handler keeps failing after the bounded deliveries, tells onError, and goes on', async () => {
    const listType = await freshListType({ maxDeliver: 10 });
    const poisoned = await platform.publishEffective({ id: 'e-bad', listType });
    const healthy = await platform.publishEffective({ id: 'e-good', listType });
    const attempts = new Map<string, number>();
    const problems: SubscriptionProblem[] = [];
    const handled: string[] = [];
    const client = await sector();
    await client.subscribe({
      listTypes: [listType],
      maxDeliveries: 3,
      retry: { baseMs: 20, maxMs: 40 },
      onError: (p) => problems.push(p),
      handler: (e) => {
        attempts.set(e.id, (attempts.get(e.id) ?? 0) + 1);
        if (e.entry?.id === 'e-bad') throw new Error('this entity code is not in our system');
        handled.push(e.id);
      },
    });
    await waitFor(async () => problems.some((p) => p.kind === 'gave_up') && handled.includes(healthy));
    expect(attempts.get(poisoned)).toBe(3);
    expect(problems.map((p) => p.kind)).toEqual(['handler_failed', 'handler_failed', 'gave_up']);
    const gaveUp = problems[2] as Extract<SubscriptionProblem, { kind: 'gave_up' }>;
    expect(gaveUp.event.id).toBe(poisoned);
    expect((gaveUp.error as Error).message).toContain('not in our system');
    // Terminated, not merely left un-acked: nothing remains pending on the durable.
    const [d] = lists.subscriptions.filter((s) => s.source?.value === listType);
    await waitFor(async () => {
      const info = await platform.bus.jsm.consumers.info(d!.stream, d!.durable);
      return info.num_ack_pending === 0 && info.num_pending === 0;
    });
    expect(attempts.get(poisoned)).toBe(3);
  });

  it('acks an event type this SDK does not know, reports it, and keeps delivering', async () => {
    const listType = await freshListType();
    const future = await platform.publishRaw(`credit.lists.v1.entry_suspended.black.${listType}`, new Uint8Array([1, 2, 3]), 'credit.lists.v1.ListEntrySuspended');
    const next = await platform.publishEffective({ id: 'e-after-unknown', listType });
    const unknown: { type: string; id: string }[] = [];
    const seen: string[] = [];
    const client = await sector();
    await client.subscribe({ listTypes: [listType], onUnknown: (u) => unknown.push(u), handler: (e) => void seen.push(e.id) });
    await waitFor(async () => seen.includes(next));
    expect(unknown).toEqual([{ type: 'credit.lists.v1.ListEntrySuspended', id: future, durable: expect.any(String) }]);
    expect(seen).toEqual([next]);
  });

  it('passes over list-type definitions silently: they are not a sector event', async () => {
    const listType = await freshListType();
    await platform.publishRaw(`credit.lists.v1.list_type_defined.black.${listType}`, new Uint8Array(), 'credit.lists.v1.ListTypeDefined');
    const next = await platform.publishEffective({ id: 'e-after-definition', listType });
    const seen: string[] = [];
    const problems: SubscriptionProblem[] = [];
    const client = await sector();
    await client.subscribe({ listTypes: [listType], onError: (p) => problems.push(p), handler: (e) => void seen.push(e.id) });
    await waitFor(async () => seen.includes(next));
    expect(seen).toEqual([next]);
    expect(problems).toEqual([]);
  });

  it('terminates a message it can never read and reports why, without calling the handler', async () => {
    const listType = await freshListType();
    await platform.publishRaw(`credit.lists.v1.entry_effective.black.${listType}`, new Uint8Array([0xff, 0xff, 0xff]), 'credit.lists.v1.ListEntryBecameEffective');
    await platform.publishRaw(`credit.lists.v1.entry_effective.black.${listType}`, events.ListEntryBecameEffective.encode({ entry: listEntry({ listType }) }).finish(), 'credit.lists.v1.ListEntryBecameEffective', { omit: ['ce-time'] });
    const next = await platform.publishEffective({ id: 'e-after-malformed', listType });
    const seen: string[] = [];
    const problems: SubscriptionProblem[] = [];
    const client = await sector();
    await client.subscribe({ listTypes: [listType], onError: (p) => problems.push(p), handler: (e) => void seen.push(e.id) });
    await waitFor(async () => seen.includes(next));
    expect(seen).toEqual([next]);
    expect(problems.map((p) => p.kind)).toEqual(['malformed', 'malformed']);
    expect((problems[1] as { reason: string }).reason).toContain('ce-time');
  });

  it('resumes where it stopped after a restart: nothing handled twice, nothing published meanwhile lost', async () => {
    const listType = await freshListType();
    const first = await platform.publishEffective({ id: 'e-before', listType });
    const seen: string[] = [];
    let client = await sector();
    await client.subscribe({ listTypes: [listType], handler: (e) => void seen.push(e.id) });
    await waitFor(async () => seen.includes(first));
    await client.close();
    clients.splice(clients.indexOf(client), 1);

    const whileDown = await platform.publishEffective({ id: 'e-while-down', listType });
    const removal = await platform.publishRemoved({ id: 'e-before', listType }, pb.RemovalReason.REMOVAL_REASON_REPAIRED);
    const after: SectorEvent[] = [];
    client = await sector();
    await client.subscribe({ listTypes: [listType], handler: (e) => void after.push(e) });
    await waitFor(async () => after.length === 2);
    expect(after.map((e) => e.id)).toEqual([whileDown, removal]);
    expect(after[1]).toMatchObject({ type: 'entry_removed', reason: 'repaired', entry: { id: 'e-before', state: 'removed', removalReason: 'repaired' } });
  });

  it('on close, finishes the event in hand and hands the prefetched ones back, so the next start need not wait the ack wait', async () => {
    // An ack wait of 10 minutes: events left un-acked by the first client would not come again within the test.
    const listType = `lt_close_${Date.now().toString(36)}`;
    lists.subscriptions.push(await platform.provision(listType, { ackWaitMs: 600_000 }));
    const ids: string[] = [];
    for (let i = 0; i < 20; i++) ids.push(await platform.publishEffective({ id: `e-close-${i}`, listType }));
    let release!: () => void;
    const inHand = new Promise<void>((r) => (release = r));
    const first: string[] = [];
    const client = await sector();
    await client.subscribe({
      listTypes: [listType],
      handler: async (e) => {
        first.push(e.id);
        await inHand;
      },
    });
    await waitFor(async () => first.length === 1);
    const closing = client.close();
    release();
    await closing;
    expect(first).toEqual([ids[0]]);

    const second: string[] = [];
    const again = await sector();
    await again.subscribe({ listTypes: [listType], handler: (e) => void second.push(e.id) });
    await waitFor(async () => second.length >= 19, { timeoutMs: 20_000 });
    expect(second.sort()).toEqual(ids.slice(1).sort());
  });

  it('with once(), a redelivered event does its work a single time', async () => {
    const listType = await freshListType();
    const id = await platform.publishEffective({ id: 'e-once', listType });
    const store = new MemoryProcessedEvents();
    const debarments: string[] = [];
    let calls = 0;
    const client = await sector();
    await client.subscribe({
      listTypes: [listType],
      retry: { baseMs: 20, maxMs: 40 },
      onError: () => undefined,
      handler: async (e) => {
        calls++;
        await once(store, e.id, async () => void debarments.push(e.entry!.entityCode));
        // The work committed, then the process "crashed" before the ack: the event comes again.
        if (calls === 1) throw new Error('crash after commit');
      },
    });
    await waitFor(async () => calls === 2);
    expect(debarments).toEqual(['91540100MA6T1234XA']);
    expect(store.has(id)).toBe(true);
  });

  it('refuses a list type the platform has not provisioned for the department, naming it', async () => {
    const client = await sector();
    const err = await rejectionOf(client.subscribe({ listTypes: ['no_such_list'], handler: () => undefined }));
    expect(isSectorError(err)).toBe(true);
    expect(err).toMatchObject({ code: 'FAILED_PRECONDITION', reason: 'SUBSCRIPTION_NOT_PROVISIONED' });
    expect(err.message).toContain('no_such_list');
  });
});

describe('reportFeedback and checkCredit', () => {
  it('sends the bearer token and a deadline, derives a stable request id, and returns a plain response', async () => {
    const client = await sector();
    const report = { entryId: 'e-1', measureCode: 'restrict_government_procurement', phase: 'impose', outcome: 'applied', reference: 'DEB-7', note: '' } as const;
    const response = await client.reportFeedback(report);
    await client.reportFeedback(report);
    expect(response).toMatchObject({ entryId: 'e-1', measureCode: 'restrict_government_procurement', phase: 'impose', outcome: 'applied', reference: 'DEB-7', overdue: false });
    const [a, b] = lists.recorded.feedback.slice(-2);
    expect(a!.authorization).toBe(`Bearer ${token}`);
    expect(a!.deadline).toBe(true);
    expect(a!.request.requestId).toBe(b!.request.requestId);
    expect(a!.request).toMatchObject({ phase: pb.FeedbackPhase.FEEDBACK_PHASE_IMPOSE, outcome: pb.FeedbackOutcome.FEEDBACK_OUTCOME_APPLIED });
    await client.reportFeedback({ ...report, outcome: 'failed', reference: '' });
    expect(lists.recorded.feedback.at(-1)!.request.requestId).not.toBe(a!.request.requestId);
  });

  it('turns a refusal into a SectorError with code, reason, violations and a Chinese message', async () => {
    const client = await sector();
    lists.failNextFeedback(grpc.status.INVALID_ARGUMENT, 'measure_code: 本部门不实施该措施', 'MEASURE_NOT_IMPLEMENTED', [
      { field: 'measure_code', reason: 'MEASURE_NOT_IMPLEMENTED', message: '本部门不实施该措施' },
    ]);
    const err = await rejectionOf(client.reportFeedback({ entryId: 'e-1', measureCode: 'other', phase: 'lift', outcome: 'applied', reference: 'x' }));
    expect(isSectorError(err)).toBe(true);
    expect(err).toMatchObject({
      code: 'INVALID_ARGUMENT',
      reason: 'MEASURE_NOT_IMPLEMENTED',
      retryable: false,
      violations: [{ field: 'measure_code', reason: 'MEASURE_NOT_IMPLEMENTED', message: '本部门不实施该措施' }],
    });
    expect((err as unknown as { messageZh: string }).messageZh).toBe('反馈上报失败：参数有误 — measure_code: 本部门不实施该措施');
    expect(err.message).toContain('ReportFeedback: invalid argument');
  });

  it('refuses bad feedback before calling, naming each field', async () => {
    const client = await sector();
    const before = lists.recorded.feedback.length;
    const err = await rejectionOf(
      client.reportFeedback({ entryId: '', measureCode: 'm', phase: 'imposed' as 'impose', outcome: 'done' as 'applied', reference: 'r' }),
    );
    expect(err.message).toContain('entryId is required');
    expect(err.message).toContain("phase must be 'impose' or 'lift'");
    expect(err.message).toContain('outcome must be');
    expect(lists.recorded.feedback.length).toBe(before);
  });

  it('returns the credit check as plain objects and flags a punishment as restricted', async () => {
    const client = await sector();
    lists.checkAnswer = {
      checkId: 'chk-9',
      entityCode: '91540100MA6T1234XA',
      department: 'finance',
      activity: 'government_procurement',
      position: 42,
      checkedAt: new Date('2026-11-26T03:00:00Z'),
      measures: [
        {
          measure: {
            code: 'restrict_government_procurement',
            name: '限制参与政府采购',
            kind: pb.MeasureKind.MEASURE_KIND_PUNISHMENT,
            implementingDepartment: 'finance',
            listTypes: ['court_judgment_debtor'],
            ratings: [],
            activities: ['government_procurement'],
            legalBasis: '《政府采购法》第二十二条',
          },
          causes: [{ cause: { $case: 'entry', value: listEntry() }, listTypeName: '失信被执行人', legalBasis: '《政府采购法》第二十二条' }],
        },
      ],
    };
    const result = await client.checkCredit('91540100MA6T1234XA', 'government_procurement');
    lists.checkAnswer = undefined;
    expect(result).toMatchObject({
      checkId: 'chk-9',
      restricted: true,
      position: 42,
      measures: [{ measure: { code: 'restrict_government_procurement', kind: 'punishment' }, causes: [{ listTypeName: '失信被执行人', entry: { colour: 'black', entityCode: '91540100MA6T1234XA' } }] }],
    });
    expect(lists.recorded.checks.at(-1)).toMatchObject({
      request: { entityCode: '91540100MA6T1234XA', activity: 'government_procurement' },
      authorization: `Bearer ${token}`,
      via: 'stream',
    });
  });

  it('asks concurrent checks over one stream and gives each its own answer', async () => {
    const client = await sector();
    const streamsBefore = lists.recorded.streams;
    const codes = Array.from({ length: 50 }, (_, i) => `9154010000000${String(i).padStart(4, '0')}X`);
    const results = await Promise.all(codes.map((code) => client.checkCredit(code, 'bidding')));
    expect(results.map((r) => r.entityCode)).toEqual(codes);
    expect(results.map((r) => r.checkId)).toEqual(codes.map((c) => `c-${c}`));
    expect(lists.recorded.streams - streamsBefore).toBe(1);
  });

  it('rejects a refused check with its violations, and the stream goes on answering', async () => {
    const client = await sector();
    const err = await rejectionOf(client.checkCredit('BAD'));
    expect(err).toMatchObject({
      code: 'INVALID_ARGUMENT',
      reason: 'WRONG_LENGTH',
      retryable: false,
      violations: [{ field: 'entity_code', reason: 'WRONG_LENGTH', message: '统一社会信用代码应为18位' }],
    });
    expect((err as unknown as { messageZh: string }).messageZh).toBe('信用核查失败：参数有误 — entity_code: 统一社会信用代码应为18位');
    expect((await client.checkCredit('91540100MA6T1234XA')).entityCode).toBe('91540100MA6T1234XA');
  });

  it('asks a check once more on a new stream when the stream breaks under it', async () => {
    const client = await sector();
    await client.checkCredit('91540100MA6T1234XA');
    const streamsBefore = lists.recorded.streams;
    lists.breakNextCheck();
    const result = await client.checkCredit('91540100MA6T5678XA');
    expect(result.entityCode).toBe('91540100MA6T5678XA');
    expect(lists.recorded.streams - streamsBefore).toBe(1);
  });

  it('gives up on a check unanswered past its deadline and asks the next one on a new stream', async () => {
    const client = await connectSector({ department: 'finance', nats: { servers: platform.natsUrl }, lists: { address: lists.address, token, deadlineMs: 500 } });
    clients.push(client);
    await client.checkCredit('91540100MA6T1234XA');
    const streamsBefore = lists.recorded.streams;
    lists.hangNextCheck();
    const err = await rejectionOf(client.checkCredit('91540100MA6T5678XA'));
    expect(err).toMatchObject({ code: 'DEADLINE_EXCEEDED', retryable: true });
    expect((await client.checkCredit('91540100MA6T5678XA')).entityCode).toBe('91540100MA6T5678XA');
    expect(lists.recorded.streams - streamsBefore).toBe(1);
  });

  it('falls back to unary CheckCredit against a lists service without the stream', async () => {
    lists.checkStream = 'unimplemented';
    try {
      const client = await sector();
      const [a, b] = await Promise.all([client.checkCredit('91540100MA6T1234XA'), client.checkCredit('91540100MA6T5678XA')]);
      expect([a.entityCode, b.entityCode]).toEqual(['91540100MA6T1234XA', '91540100MA6T5678XA']);
      expect(lists.recorded.checks.slice(-2).map((c) => c.via)).toEqual(['unary', 'unary']);
      await client.checkCredit('91540100MA6T1234XA');
      expect(lists.recorded.checks.at(-1)!.via).toBe('unary');
    } finally {
      lists.checkStream = 'serve';
    }
  });

  it('lists the measures its department implements, as plain objects', async () => {
    const client = await sector();
    lists.measures.push(
      { code: 'restrict_government_procurement', name: '限制参与政府采购', kind: pb.MeasureKind.MEASURE_KIND_PUNISHMENT, implementingDepartment: 'finance', listTypes: ['court_judgment_debtor'], ratings: [], activities: ['government_procurement'], legalBasis: '《政府采购法》第二十二条' },
      { code: 'green_channel', name: '绿色通道', kind: pb.MeasureKind.MEASURE_KIND_REWARD, implementingDepartment: 'tax', listTypes: ['a_taxpayer'], ratings: [], activities: [], legalBasis: '' },
    );
    expect(await client.listMeasures()).toEqual([
      { code: 'restrict_government_procurement', name: '限制参与政府采购', kind: 'punishment', implementingDepartment: 'finance', listTypes: ['court_judgment_debtor'], ratings: [], activities: ['government_procurement'], legalBasis: '《政府采购法》第二十二条' },
    ]);
  });

  it('maps an unreachable lists service to a retryable UNAVAILABLE SectorError', async () => {
    const client = await connectSector({
      department: 'finance',
      nats: { servers: platform.natsUrl },
      lists: { address: '127.0.0.1:1', token, deadlineMs: 2000 },
    });
    clients.push(client);
    const err = await rejectionOf(client.checkCredit('91540100MA6T1234XA'));
    expect(err).toMatchObject({ retryable: true });
    expect(['UNAVAILABLE', 'DEADLINE_EXCEEDED']).toContain((err as unknown as { code: string }).code);
  });
});

describe('connectSector', () => {
  it('refuses incomplete options, naming each missing one', async () => {
    const err = await rejectionOf(connectSector({ department: 'Finance!', nats: { servers: [] }, lists: { address: '', token: '' } }));
    expect(err).toBeInstanceOf(TypeError);
    for (const part of ['department must be', 'nats.servers is required', 'lists.address', 'lists.token']) expect(err.message).toContain(part);
  });
});
