// 信用核查 (credit check): the in-memory index, its feeder from CREDIT_EVENTS, the batched audit log and the
// CreditCheckService handlers, started as one piece.
//
// Wiring into src/service.ts (after startServiceHost, before host.serve()):
//
//   import { CreditCheckServiceService } from '@credit/contracts/credit/lists/v1/lists.js';
//   import { startCreditCheck } from './check/index.js';
//   import { RatingsCasesChecks1764400000002 } from './db/migrations/1764400000002-ratings-cases-checks.js';
//   // add RatingsCasesChecks1764400000002 to the host's migrations (after the core tables' migration)
//   const check = startCreditCheck({ ds: host.ds, bus: host.bus, logger, now });
//   host.onStop(() => check.stop());
//   host.server.addService('credit.lists.v1.CreditCheckService', CreditCheckServiceService, check.handlers(host.server.kit));
//   // readiness: await check.ready before reporting ready (or before host.serve() if the service has no
//   // separate readiness signal); the index then holds every lists event the stream had at start.
//
// Ratings and cases join the ListsService implementation:
//
//   import { Ratings } from './app/ratings.js';
//   import { Cases } from './app/cases.js';
//   import { ratingAndCaseHandlers } from './grpc/rating-case-handlers.js';
//   const ratings = new Ratings(host.ds, host.outbox('credit/lists'), now);
//   const cases = new Cases(host.ds, now);
//   host.server.addService('credit.lists.v1.ListsService', ListsServiceService,
//     { ...listsHandlers(...), ...ratingAndCaseHandlers(host.server.kit, ratings, cases) });
import type { DataSource } from 'typeorm';
import type { CreditCheckServiceServer } from '@credit/contracts/credit/lists/v1/lists.js';
import type { Bus, HandlerKit, Logger } from '@credit/platform';
import { CheckIndex } from '../domain/check-index.js';
import { sectorLabel } from '../domain/ratings.js';
import { creditCheckHandlers } from '../grpc/check-handlers.js';
import { CheckLog, type CheckLogOptions } from './check-log.js';
import { IndexFeeder, type FeederOptions } from './feeder.js';

export { CheckIndex } from '../domain/check-index.js';
export { CheckLog, type CheckLogRow } from './check-log.js';
export { IndexFeeder, LISTS_EVENTS_FILTER } from './feeder.js';
export { indexEventOf } from './codec.js';

export interface CreditCheck {
  index: CheckIndex;
  feeder: IndexFeeder;
  log: CheckLog;
  /** Resolves once the index holds every lists event the stream had at start. */
  ready: Promise<void>;
  handlers(kit: HandlerKit): CreditCheckServiceServer;
  /** Stops following the stream and writes the buffered check log. */
  stop(): Promise<void>;
}

export interface CreditCheckOptions {
  ds: DataSource;
  bus: Bus;
  logger: Logger;
  now?: () => Date;
  log?: CheckLogOptions;
  feeder?: FeederOptions;
}

export function startCreditCheck(opts: CreditCheckOptions): CreditCheck {
  const now = opts.now ?? (() => new Date());
  const index = new CheckIndex(sectorLabel);
  const log = new CheckLog(opts.ds, opts.logger, opts.log);
  const feeder = new IndexFeeder(opts.bus, index, opts.logger, opts.feeder).start();
  return {
    index,
    feeder,
    log,
    ready: feeder.ready,
    handlers: (kit) => creditCheckHandlers(kit, index, log, now),
    async stop() {
      await feeder.stop();
      await log.stop();
    },
  };
}
