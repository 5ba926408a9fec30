// Test helpers for the ratings, cases and credit check pieces: a service host of their own (database with the lists
// tables, bus with a private prefix, relay, gRPC server) with only these pieces on it, so they are tested apart from
// the entry lifecycle (a second index on the same stream is also what a second replica is).
import type * as grpc from '@grpc/grpc-js';
import {
  CreditCheckServiceClient,
  CreditCheckServiceService,
  ListsServiceClient,
  ListsServiceService,
} from '@credit/contracts/credit/lists/v1/lists.js';
import {
  callUnary,
  connectBus,
  createClient,
  createLogger,
  readConfig,
  serviceSettings,
  startServiceHost,
  type Bus,
  type Caller,
  type ServiceHost,
  type ServiceSettings,
} from '@credit/platform';
import { TEST_TOKEN_SECRET, cleanupBus, testDatabase, testNatsUrl, testToken, uniquePrefix } from '@credit/platform/testing';
import { composeUscc } from '@credit/standards';
import { Cases } from '../../src/app/cases.js';
import { Ratings } from '../../src/app/ratings.js';
import { startCreditCheck, type CreditCheck } from '../../src/check/index.js';
import { ListsTables1764400000001 } from '../../src/db/migrations/1764400000001-lists-tables.js';
import { RatingsCasesChecks1764400000002 } from '../../src/db/migrations/1764400000002-ratings-cases-checks.js';
import { ratingAndCaseHandlers } from '../../src/grpc/rating-case-handlers.js';

export const taxOfficer: Caller = { department: 'tax', role: 'department', subject: 'tax-officer' };
export const customsOfficer: Caller = { department: 'customs', role: 'department', subject: 'customs-officer' };
export const financeOfficer: Caller = { department: 'finance', role: 'department', subject: 'finance-officer' };
export const office: Caller = { department: 'ndrc', role: 'office', subject: 'office-officer' };
export const publicCaller: Caller = { department: '', role: 'public', subject: 'someone' };

/** A valid USCC numbered n (Lhasa division). */
export function uscc(n: number): string {
  return composeUscc('91', '540100', String(n).padStart(8, '0'));
}

export interface Pieces {
  host: ServiceHost;
  bus: Bus;
  prefix: string;
  natsUrl: string;
  dbUrl: string;
  ratings: Ratings;
  cases: Cases;
  check: CreditCheck;
  listsAs(caller: Caller | null): grpc.Client;
  /** `token`: a token of the caller's signed otherwise (e.g. one that expires soon). */
  checkAs(caller: Caller | null, token?: string): grpc.Client;
  call<Res>(client: grpc.Client, method: string, req: unknown): Promise<Res>;
  /** Stops the host; keeps the database and streams when `keep` (for a restart on the same state). */
  stop(opts?: { keep?: boolean }): Promise<void>;
}

export async function startPieces(
  opts: { now?: () => Date; prefix?: string; db?: { url: string; drop(): Promise<void> }; natsUrl?: string } = {},
): Promise<Pieces> {
  const db = opts.db ?? (await testDatabase());
  const natsUrl = opts.natsUrl ?? (await testNatsUrl());
  const prefix = opts.prefix ?? uniquePrefix();
  const logger = createLogger('lists-h2-test', { level: 'warn' });
  const config = readConfig(serviceSettings('lists', { grpc: 0, metrics: 0 }), {
    DATABASE_URL: db.url,
    NATS_URL: natsUrl,
    NATS_SUBJECT_PREFIX: prefix,
    LISTS_GRPC_PORT: '0',
    LISTS_METRICS_PORT: '0',
    AUTH_TOKEN_SECRET: TEST_TOKEN_SECRET,
    LOG_LEVEL: 'warn',
  }) as ServiceSettings;
  const host = await startServiceHost(
    config,
    logger,
    { name: 'lists-h2-test', migrations: [ListsTables1764400000001, RatingsCasesChecks1764400000002] },
  );
  const now = opts.now ?? (() => new Date());
  const ratings = new Ratings(host.ds, host.outbox('credit/lists'), now);
  const cases = new Cases(host.ds, now);
  const check = startCreditCheck({ ds: host.ds, bus: host.bus, logger, now });
  host.onStop(() => check.stop());
  host.server.addService('credit.lists.v1.ListsService', ListsServiceService, ratingAndCaseHandlers(host.server.kit, ratings, cases));
  host.server.addService('credit.lists.v1.CreditCheckService', CreditCheckServiceService, check.handlers(host.server.kit));
  const port = await host.serve();
  const address = `127.0.0.1:${port}`;
  const clients: grpc.Client[] = [];
  const client = (Ctor: typeof ListsServiceClient | typeof CreditCheckServiceClient, caller: Caller | null, token?: string) => {
    const c = createClient(Ctor as never, address, caller ? { token: token ?? testToken(caller) } : {}) as grpc.Client;
    clients.push(c);
    return c;
  };
  const bus = await connectBus({ url: natsUrl, name: 'lists-h2-test-publisher', prefix });
  return {
    host,
    bus,
    prefix,
    natsUrl,
    dbUrl: db.url,
    ratings,
    cases,
    check,
    listsAs: (caller) => client(ListsServiceClient, caller),
    checkAs: (caller, token) => client(CreditCheckServiceClient, caller, token),
    call: (c, method, req) => callUnary(c, method, req),
    async stop(o = {}) {
      clients.forEach((c) => c.close());
      try {
        await host.stop();
      } finally {
        // Even when stopping failed (the error still fails the test): a test database left behind outlives the run.
        try {
          if (!o.keep) {
            await cleanupBus(bus);
            await db.drop();
          }
        } finally {
          await bus.close();
        }
      }
    },
  };
}
