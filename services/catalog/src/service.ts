import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { DataSource } from 'typeorm';
import { CatalogServiceService } from '@credit/contracts/credit/catalog/v1/catalog.js';
import {
  Outbox,
  OutboxRelay,
  connectBus,
  createGrpcServer,
  ensureStreams,
  openDatabase,
  type Bus,
  type Logger,
} from '@credit/platform';
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

const descriptorSet = () => readFileSync(createRequire(import.meta.url).resolve('@credit/contracts/descriptors'));

export async function startCatalogService(config: CatalogConfig, logger: Logger, opts: { now?: () => Date } = {}): Promise<RunningCatalog> {
  const ds = await openDatabase({
    url: config.databaseUrl,
    migrations: [CatalogTables1764200000000],
    applicationName: 'catalog',
    logger,
  });
  const bus = await connectBus({ url: config.natsUrl, name: 'catalog', prefix: config.natsPrefix });
  await ensureStreams(bus);
  const relay = new OutboxRelay({ ds, bus, logger });
  relay.start();
  const catalog = new Catalog(ds, new Outbox('credit/catalog'), () => relay.wake(), opts.now);

  const server = createGrpcServer({
    serviceName: 'catalog',
    port: config.grpcPort,
    logger,
    tokenSecret: config.tokenSecret,
    tls: config.tlsCertFile
      ? {
          rootCert: readFileSync(config.tlsCaFile),
          certChain: readFileSync(config.tlsCertFile),
          privateKey: readFileSync(config.tlsKeyFile),
        }
      : undefined,
    descriptorSet: descriptorSet(),
    // A 权责清单 CSV travels in one message.
    maxReceiveMessageLength: MAX_CSV_BYTES + 1024 * 1024,
  });
  server.addService('credit.catalog.v1.CatalogService', CatalogServiceService, catalogHandlers(server.kit, catalog));
  const grpcPort = await server.start();
  logger.info({ grpcPort }, '公共信用信息目录服务已就绪 (catalog ready)');

  return {
    grpcPort,
    catalog,
    relay,
    ds,
    bus,
    async stop() {
      await server.shutdown(5_000);
      await relay.stop();
      await bus.close();
      await ds.destroy();
    },
  };
}
