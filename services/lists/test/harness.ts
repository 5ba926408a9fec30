import type * as grpc from '@grpc/grpc-js';
import * as listsProto from '@credit/contracts/credit/lists/v1/lists.js';
import { ListsServiceClient, type ListType as ListTypeMessage, type Measure as MeasureMessage } from '@credit/contracts/credit/lists/v1/lists.js';
import { callUnary, connectBus, createClient, createLogger, type Bus, type Caller, type CreditEvent } from '@credit/platform';
import { TEST_TOKEN_SECRET, cleanupBus, recordEvents, testDatabase, testNatsUrl, testToken, uniquePrefix } from '@credit/platform/testing';
import { composeUscc } from '@credit/standards';
import { loadListsConfig, startListsService, type RunningLists } from '../src/service.js';

export const courtOfficer: Caller = { department: 'court', role: 'department', subject: 'court-officer' };
export const taxOfficer: Caller = { department: 'tax', role: 'department', subject: 'tax-officer' };
export const financeOfficer: Caller = { department: 'finance', role: 'department', subject: 'finance-officer' };
export const transportOfficer: Caller = { department: 'transport', role: 'department', subject: 'transport-officer' };
export const office: Caller = { department: 'ndrc', role: 'office', subject: 'office-officer' };
export const operator: Caller = { department: 'ops', role: 'operator', subject: 'operator' };

/** A valid USCC numbered n (Lhasa division). */
export function uscc(n: number): string {
  return composeUscc('91', '540100', String(n).padStart(8, '0'));
}

/** A clock the test moves by hand; every timer of the service reads it. */
export class TestClock {
  private t: number;
  constructor(start: string | Date) {
    this.t = new Date(start).getTime();
  }
  readonly now = (): Date => new Date(this.t);
  set(at: string | Date): void {
    this.t = new Date(at).getTime();
  }
  advanceDays(days: number): void {
    this.t += days * 86_400_000;
  }
}

export interface TestLists {
  running: RunningLists;
  address: string;
  clock: TestClock;
  bus: Bus;
  prefix: string;
  natsUrl: string;
  /** Events seen on credit.lists.v1.> since the start, in order. */
  events: CreditEvent[];
  /** Events seen on sector.> (decisions and receipts). */
  sectorEvents: CreditEvent[];
  clientAs(caller: Caller | null): grpc.Client;
  /** Calls a ListsService method; the request may leave out fields (they get their proto defaults). */
  call<Res>(caller: Caller, method: string, req: unknown): Promise<Res>;
  stop(): Promise<void>;
}

/** A lists service in this process on its own database and subject prefix, with a hand-moved clock. */
export async function startTestLists(opts: { start?: string } = {}): Promise<TestLists> {
  const db = await testDatabase();
  const natsUrl = await testNatsUrl();
  const prefix = uniquePrefix();
  const clock = new TestClock(opts.start ?? '2026-03-02T02:00:00Z');
  const config = loadListsConfig({
    DATABASE_URL: db.url,
    NATS_URL: natsUrl,
    NATS_SUBJECT_PREFIX: prefix,
    LISTS_GRPC_PORT: '0',
    LISTS_METRICS_PORT: '0',
    AUTH_TOKEN_SECRET: TEST_TOKEN_SECRET,
    LISTS_SWEEP_SECONDS: '3600',
  });
  const running = await startListsService(config, createLogger('lists-test', { level: 'warn' }), { now: clock.now });
  const address = `127.0.0.1:${running.grpcPort}`;
  const clients = new Map<string, grpc.Client>();
  const clientAs = (caller: Caller | null) => {
    const key = caller ? `${caller.department}/${caller.role}/${caller.subject}` : '';
    let c = clients.get(key);
    if (!c) clients.set(key, (c = createClient(ListsServiceClient, address, caller ? { token: testToken(caller) } : {}) as unknown as grpc.Client));
    return c;
  };
  const bus = await connectBus({ url: natsUrl, name: 'lists-test-observer', prefix });
  const credit = recordEvents(bus, 'credit.lists.v1.>');
  const sector = recordEvents(bus, 'sector.>');
  return {
    running,
    address,
    clock,
    bus,
    prefix,
    natsUrl,
    events: credit.events,
    sectorEvents: sector.events,
    clientAs,
    call: (caller, method, req) => callUnary(clientAs(caller), method, requestOf(method, req)),
    async stop() {
      credit.stop();
      sector.stop();
      clients.forEach((c) => c.close());
      await running.stop();
      await cleanupBus(bus);
      await bus.close();
      await db.drop();
    },
  };
}

/** A list type in protobuf form; tests change only what matters to them. */
export function listTypeMessage(code: string, overrides: Partial<ListTypeMessage> = {}): ListTypeMessage {
  return {
    code,
    name: `测试名单 ${code}`,
    colour: 2,
    ownerDepartment: 'court',
    criteria: '测试认定标准',
    legalBasis: '《测试依据》',
    validityDays: 365,
    noticeWorkingDays: 3,
    objectionWorkingDays: 5,
    feedbackWorkingDays: 2,
    ...overrides,
  };
}

export function measureMessage(code: string, overrides: Partial<MeasureMessage> = {}): MeasureMessage {
  return {
    code,
    name: `测试措施 ${code}`,
    kind: 2,
    implementingDepartment: 'finance',
    listTypes: [],
    ratings: [],
    activities: ['government_procurement'],
    legalBasis: '《测试措施依据》',
    ...overrides,
  };
}

/** The complete request message of a method ('proposeEntry' → ProposeEntryRequest.fromPartial). */
function requestOf(method: string, req: unknown): unknown {
  const type = (listsProto as unknown as Record<string, { fromPartial?: (o: unknown) => unknown }>)[`${method[0]!.toUpperCase()}${method.slice(1)}Request`];
  return type?.fromPartial ? type.fromPartial(req) : req;
}
