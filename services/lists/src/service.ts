import type { DataSource } from 'typeorm';
import { CreditCheckServiceService, ListsServiceService, type ListsServiceServer } from '@credit/contracts/credit/lists/v1/lists.js';
import { Outbox, startServiceHost, type Bus, type Logger, type OutboxRelay } from '@credit/platform';
import { Cases } from './app/cases.js';
import { Lists } from './app/lists.js';
import { Ratings } from './app/ratings.js';
import { startCreditCheck, type CreditCheck } from './check/index.js';
import { sectorDecisionConsumer } from './app/sector-decisions.js';
import { SectorSubscriptions } from './app/subscriptions.js';
import type { ListsConfig } from './config.js';
import { ListsTables1764400000001 } from './db/migrations/1764400000001-lists-tables.js';
import { RatingsCasesChecks1764400000002 } from './db/migrations/1764400000002-ratings-cases-checks.js';
import { OverdueObjections1764400000003 } from './db/migrations/1764400000003-overdue-objections.js';
import { listsHandlers } from './grpc/lists-handlers.js';
import { ratingAndCaseHandlers } from './grpc/rating-case-handlers.js';

export { loadListsConfig, listsConfigSpec, type ListsConfig } from './config.js';
export { Lists, SWEEPER, type EntryDetail, type Page } from './app/lists.js';
export { SectorSubscriptions } from './app/subscriptions.js';
export { SECTOR_DECISIONS_DURABLE } from './app/sector-decisions.js';
export { defaultListTypes, defaultMeasures } from './domain/index.js';
export { publishDefaultLists, type DefaultListsOptions, type DefaultListsResult } from './default-lists.js';
export { ListsTables1764400000001 } from './db/migrations/1764400000001-lists-tables.js';
export { Ratings } from './app/ratings.js';
export { Cases } from './app/cases.js';
export { CheckIndex, type CreditCheck } from './check/index.js';

export interface RunningLists {
  grpcPort: number;
  lists: Lists;
  ds: DataSource;
  bus: Bus;
  relay: OutboxRelay;
  /** The credit check's in-memory index, its feeder and its audit log. */
  check: CreditCheck;
  /** Runs the timers now (notice periods ending, validity running out); resolves to the entries changed. */
  sweep(): Promise<number>;
  /** Stop serving, finish in-flight calls, stop the consumer, the sweeper and the relay, drain NATS, close the DB. */
  stop(): Promise<void>;
}

const SOURCE = 'credit/lists';

export async function startListsService(config: ListsConfig, logger: Logger, opts: { now?: () => Date } = {}): Promise<RunningLists> {
  const now = opts.now ?? (() => new Date());
  const host = await startServiceHost(config, logger, {
    name: 'lists',
    migrations: [ListsTables1764400000001, RatingsCasesChecks1764400000002, OverdueObjections1764400000003],
  });
  const subs = new SectorSubscriptions(host.ds, host.bus, logger);
  const lists = new Lists(host.ds, host.outbox(SOURCE), subs, now);
  await subs.ensureAll();

  host.server.addService('credit.lists.v1.ListsService', ListsServiceService, {
    ...listsHandlers(host.server.kit, lists, subs, now),
    ...ratingAndCaseHandlers(host.server.kit, new Ratings(host.ds, host.outbox(SOURCE), now), new Cases(host.ds, now)),
  } satisfies ListsServiceServer);

  const check = startCreditCheck({ ds: host.ds, bus: host.bus, logger, now });
  host.onStop(() => check.stop());
  host.server.addService('credit.lists.v1.CreditCheckService', CreditCheckServiceService, check.handlers(host.server.kit));

  // Decisions arriving as events run in the inbox transaction; a refused one is rolled back to a savepoint, so its
  // outbox must not hand rows to the relay before commit (a plain outbox: the relay claims committed rows only).
  const plainOutbox = new Outbox(SOURCE);
  const decisions = sectorDecisionConsumer({ ds: host.ds, bus: host.bus, logger, lists: new Lists(host.ds, plainOutbox, subs, now), outbox: plainOutbox });
  await decisions.start();
  host.onStop(() => decisions.stop());

  const sweeper = startSweeper(lists, config.sweepSeconds * 1000, logger);
  host.onStop(() => sweeper.stop());

  // Ready means the check answers from every list event the stream held at start, never from a partial index.
  await check.ready;
  const grpcPort = await host.serve();
  logger.info({ grpcPort }, '信用红黑名单服务已就绪 (lists ready)');
  return { grpcPort, lists, check, ds: host.ds, bus: host.bus, relay: host.relay, sweep: () => sweeper.run(), stop: () => host.stop() };
}

/** Runs at start and every `everyMs`; never two sweeps at once (a call while one runs waits for it and runs again). */
function startSweeper(lists: Lists, everyMs: number, logger: Logger) {
  let running: Promise<number> = Promise.resolve(0);
  const run = (): Promise<number> => {
    running = running.catch(() => 0).then(() => lists.sweep());
    return running;
  };
  const tick = () =>
    void run().catch((err: unknown) => logger.warn({ err }, '名单定时任务失败，将在下一周期重试 (sweep failed)'));
  tick();
  const timer = setInterval(tick, everyMs);
  timer.unref();
  return {
    run,
    async stop() {
      clearInterval(timer);
      await running.catch(() => 0);
    },
  };
}
