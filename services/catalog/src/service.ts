import type { DataSource } from 'typeorm';
import { CatalogServiceService } from '@credit/contracts/credit/catalog/v1/catalog.js';
import { startServiceHost, type Bus, type Logger, type OutboxRelay } from '@credit/platform';
import { Catalog } from './app/catalog.js';
import { MAX_CSV_BYTES } from './app/read-csv.js';
import type { CatalogConfig } from './config.js';
import { CatalogTables1764200000000 } from './db/migrations/1764200000000-catalog-tables.js';
import { catalogHandlers } from './grpc/catalog-handlers.js';

export { loadCatalogConfig, type CatalogConfig } from './config.js';
export { Catalog, type ItemPage, type PublishedCatalog } from './app/catalog.js';
export type { ImportResult, RowResult, RowOutcome } from './app/import-result.js';
export { VERSION_PUBLISHED_SUBJECT } from './events/catalog-events.js';
export {
  DEFAULT_CATALOG_LABEL,
  DEMO_DEPARTMENTS,
  defaultDoublePublicityItems,
  licenceItemCode,
  penaltyItemCode,
  type PublicityDepartment,
} from './domain/index.js';
export { publishDefaultCatalog, type DefaultCatalogOptions, type DefaultCatalogResult } from './default-catalog.js';

export interface RunningCatalog {
  grpcPort: number;
  catalog: Catalog;
  relay: OutboxRelay;
  ds: DataSource;
  bus: Bus;
  /** Stop serving, finish in-flight calls, stop the relay, drain NATS, close the database. */
  stop(): Promise<void>;
}

export async function startCatalogService(config: CatalogConfig, logger: Logger, opts: { now?: () => Date } = {}): Promise<RunningCatalog> {
  const host = await startServiceHost(config, logger, {
    name: 'catalog',
    migrations: [CatalogTables1764200000000],
    // A 权责清单 CSV travels in one message.
    maxReceiveMessageLength: MAX_CSV_BYTES + 1024 * 1024,
  });
  const catalog = new Catalog(host.ds, host.outbox('credit/catalog'), opts.now);
  host.server.addService('credit.catalog.v1.CatalogService', CatalogServiceService, catalogHandlers(host.server.kit, catalog));
  const grpcPort = await host.serve();
  logger.info({ grpcPort }, '公共信用信息目录服务已就绪 (catalog ready)');
  return { grpcPort, catalog, relay: host.relay, ds: host.ds, bus: host.bus, stop: () => host.stop() };
}
