// The SDK's integration tests play the platform's part themselves: they create the streams and the department's
// durables with an admin connection (as the lists service provisions them), publish CloudEvents with the platform's
// own envelope, and answer ListSubscriptions/ReportFeedback/CheckCredit from a small gRPC server that records what it
// was sent. Real NATS JetStream throughout; the example system's tests use the real lists service.
import * as grpc from '@grpc/grpc-js';
import { AckPolicy, DeliverPolicy } from '@nats-io/jetstream';
import { nanos } from '@nats-io/nats-core';
import { type Bus, connectBus, ensureStreams, timeOrderedId, publishEvent, streamName } from '@credit/platform';
import { cleanupBus, testNatsUrl, uniquePrefix } from '@credit/platform/testing';
import * as events from '../src/gen/credit/lists/v1/events.js';
import * as pb from '../src/gen/credit/lists/v1/lists.js';

export interface Platform {
  bus: Bus;
  natsUrl: string;
  prefix: string;
  provision(listType: string, opts?: { department?: string; maxDeliver?: number; ackWaitMs?: number }): Promise<pb.Subscription>;
  publishEffective(entry: Partial<pb.ListEntry>, opts?: { id?: string }): Promise<string>;
  publishRemoved(entry: Partial<pb.ListEntry>, reason: pb.RemovalReason): Promise<string>;
  publishRaw(subject: string, data: Uint8Array, type: string, opts?: { id?: string; omit?: string[] }): Promise<string>;
  close(): Promise<void>;
}

export function listEntry(overrides: Partial<pb.ListEntry> = {}): pb.ListEntry {
  return {
    id: 'entry-1',
    listType: 'court_judgment_debtor',
    colour: pb.ListColour.LIST_COLOUR_BLACK,
    ownerDepartment: 'court',
    entityCode: '91540100MA6T1234XA',
    entityName: '拉萨某某建设有限公司',
    state: pb.EntryState.ENTRY_STATE_EFFECTIVE,
    facts: '拒不履行生效判决',
    decisionDocument: '(2026)藏01执123号',
    legalBasis: '《最高人民法院关于公布失信被执行人名单信息的若干规定》',
    decidedAt: new Date('2026-11-20T02:00:00Z'),
    effectiveAt: new Date('2026-11-26T02:00:00Z'),
    removalReason: pb.RemovalReason.REMOVAL_REASON_UNSPECIFIED,
    version: 3,
    ...overrides,
  };
}

function subjectOf(event: string, entry: pb.ListEntry): string {
  const colour = entry.colour === pb.ListColour.LIST_COLOUR_RED ? 'red' : 'black';
  return `credit.lists.v1.${event}.${colour}.${entry.listType}`;
}

export async function startPlatform(opts: { natsUrl?: string } = {}): Promise<Platform> {
  const natsUrl = opts.natsUrl ?? (await testNatsUrl());
  const prefix = uniquePrefix();
  const bus = await connectBus({ url: natsUrl, name: 'sector-sdk-test-platform', prefix });
  await ensureStreams(bus);
  const stream = streamName(bus, 'CREDIT_EVENTS');

  async function publish(subject: string, type: string, entity: string, data: Uint8Array, id = timeOrderedId()): Promise<string> {
    await publishEvent(bus, { id, type, source: 'lists', subject, entity, time: new Date(), data });
    return id;
  }

  return {
    bus,
    natsUrl,
    prefix,
    async provision(listType, opts = {}) {
      const durable = `sector_${opts.department ?? 'finance'}_${listType}`;
      const filterSubject = `${prefix}credit.lists.v1.*.*.${listType}`;
      await bus.jsm.consumers.add(stream, {
        durable_name: durable,
        filter_subject: filterSubject,
        ack_policy: AckPolicy.Explicit,
        deliver_policy: DeliverPolicy.All,
        max_deliver: opts.maxDeliver ?? 5,
        ack_wait: nanos(opts.ackWaitMs ?? 30_000),
      });
      return { stream, durable, filterSubject, source: { $case: 'listType', value: listType } };
    },
    async publishEffective(overrides, opts = {}) {
      const entry = listEntry(overrides);
      const data = events.ListEntryBecameEffective.encode({ entry }).finish();
      return publish(subjectOf('entry_effective', entry), 'credit.lists.v1.ListEntryBecameEffective', entry.id, data, opts.id);
    },
    async publishRemoved(overrides, reason) {
      const entry = listEntry({ state: pb.EntryState.ENTRY_STATE_REMOVED, removalReason: reason, ...overrides });
      const data = events.ListEntryRemoved.encode({ entry, reason }).finish();
      return publish(subjectOf('entry_removed', entry), 'credit.lists.v1.ListEntryRemoved', entry.id, data);
    },
    async publishRaw(subject, data, type, opts = {}) {
      const id = opts.id ?? timeOrderedId();
      const headers = (await import('@credit/platform')).toHeaders({ id, type, source: 'lists', subject, entity: 'x', time: new Date(), data });
      for (const name of opts.omit ?? []) headers.delete(name);
      await bus.js.publish(prefix + subject, data, { msgID: id, headers });
      return id;
    },
    async close() {
      await cleanupBus(bus);
      await bus.close();
    },
  };
}

/** What the stand-in lists service was sent. */
export interface Recorded {
  feedback: { request: pb.ReportFeedbackRequest; authorization: string | undefined; deadline: boolean }[];
  checks: { request: pb.CheckCreditRequest; authorization: string | undefined; via: 'unary' | 'stream' }[];
  /** CheckCreditStream calls opened. */
  streams: number;
}

export interface StandInLists {
  address: string;
  recorded: Recorded;
  subscriptions: pb.Subscription[];
  measures: pb.Measure[];
  /** Makes the next ReportFeedback fail with this status, reason and violations. */
  failNextFeedback(code: grpc.status, details: string, reason: string, violations?: object[]): void;
  checkAnswer: pb.CheckCreditResponse | undefined;
  /** 'unimplemented': CheckCreditStream answers UNIMPLEMENTED, as a lists service that predates it. */
  checkStream: 'serve' | 'unimplemented';
  /** Makes the open check stream end with UNAVAILABLE on its next message, without answering it. */
  breakNextCheck(): void;
  /** Makes the open check stream take its next message and never answer anything again (a hung connection). */
  hangNextCheck(): void;
  close(): Promise<void>;
}

/** A gRPC server with the lists service's interface, answering the three calls a sector system makes. */
export async function startStandInLists(): Promise<StandInLists> {
  const server = new grpc.Server();
  const recorded: Recorded = { feedback: [], checks: [], streams: 0 };
  let failure: grpc.ServiceError | undefined;
  let breakCheck = false;
  let hangCheck = false;
  const state: StandInLists = {
    address: '',
    recorded,
    subscriptions: [],
    measures: [],
    checkAnswer: undefined,
    checkStream: 'serve',
    breakNextCheck() {
      breakCheck = true;
    },
    hangNextCheck() {
      hangCheck = true;
    },
    failNextFeedback(code, details, reason, violations = []) {
      const metadata = new grpc.Metadata();
      metadata.set('reason', reason);
      if (violations.length > 0) metadata.set('violations-bin', Buffer.from(JSON.stringify(violations)));
      failure = Object.assign(new Error(details), { code, details, metadata });
    },
    close: () => new Promise<void>((resolve) => server.tryShutdown(() => resolve())),
  };
  const auth = (call: { metadata: grpc.Metadata }) => {
    const v = call.metadata.get('authorization')[0];
    return typeof v === 'string' ? v : undefined;
  };
  const handlers: Partial<pb.ListsServiceServer> = {
    listSubscriptions: (_call, cb) => cb(null, { subscriptions: state.subscriptions }),
    listMeasures: (call, cb) =>
      cb(null, { measures: state.measures.filter((m) => m.implementingDepartment === call.request.implementingDepartment) }),
    reportFeedback: (call, cb) => {
      recorded.feedback.push({ request: call.request, authorization: auth(call), deadline: Number.isFinite(call.getDeadline().valueOf()) });
      if (failure) {
        const f = failure;
        failure = undefined;
        cb(f);
        return;
      }
      const r = call.request;
      cb(null, {
        response: {
          measureCode: r.measureCode,
          implementingDepartment: 'finance',
          phase: r.phase,
          dueAt: new Date('2026-12-10T16:00:00Z'),
          outcome: r.outcome,
          reference: r.reference,
          note: r.note,
          reportedAt: new Date(),
          overdue: false,
          entryId: r.entryId,
        },
      });
    },
  };
  server.addService(pb.ListsServiceService, handlers as pb.ListsServiceServer);
  server.addService(pb.CreditCheckServiceService, {
    checkCredit: (call: grpc.ServerUnaryCall<pb.CheckCreditRequest, pb.CheckCreditResponse>, cb: grpc.sendUnaryData<pb.CheckCreditResponse>) => {
      recorded.checks.push({ request: call.request, authorization: auth(call), via: 'unary' });
      cb(null, answerTo(call.request));
    },
    checkCreditStream: (call: grpc.ServerDuplexStream<pb.CheckCreditStreamRequest, pb.CheckCreditStreamResponse>) => {
      if (state.checkStream === 'unimplemented') {
        call.emit('error', { code: grpc.status.UNIMPLEMENTED, details: 'unknown method' });
        return;
      }
      recorded.streams++;
      let hung = false;
      call.on('data', (msg: pb.CheckCreditStreamRequest) => {
        if (hung || hangCheck) {
          hung = true;
          hangCheck = false;
          return;
        }
        if (breakCheck) {
          breakCheck = false;
          call.emit('error', { code: grpc.status.UNAVAILABLE, details: 'going away' });
          return;
        }
        const request = msg.check ?? { entityCode: '', activity: '' };
        recorded.checks.push({ request, authorization: auth(call), via: 'stream' });
        if (request.entityCode === 'BAD') {
          const violations = [{ field: 'entity_code', reason: 'WRONG_LENGTH', message: '统一社会信用代码应为18位' }];
          call.write({ tag: msg.tag, result: { $case: 'refused', value: { code: 'INVALID_ARGUMENT', reason: 'WRONG_LENGTH', message: 'entity_code: 统一社会信用代码应为18位', violations } } });
          return;
        }
        call.write({ tag: msg.tag, result: { $case: 'answer', value: answerTo(request) } });
      });
      call.on('end', () => call.end());
    },
  });
  function answerTo(request: pb.CheckCreditRequest): pb.CheckCreditResponse {
    return state.checkAnswer ?? { checkId: `c-${request.entityCode}`, entityCode: request.entityCode, department: 'finance', activity: request.activity, measures: [], position: 0 };
  }
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (err, p) => (err ? reject(err) : resolve(p))),
  );
  state.address = `127.0.0.1:${port}`;
  return state;
}
