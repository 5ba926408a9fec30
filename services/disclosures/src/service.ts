import { readFileSync } from 'node:fs';
import type { DataSource } from 'typeorm';
import { DisclosureServiceService } from '@credit/contracts/credit/disclosures/v1/disclosures.js';
import { CatalogView } from '@credit/catalog-client';
import { signToken, startServiceHost, type Bus, type Logger, type OutboxRelay } from '@credit/platform';
import { Disclosures } from './app/disclosures.js';
import { PreparePool } from './app/prepare-pool.js';
import type { DisclosuresConfig } from './config.js';
import { DisclosureTables1764300000000 } from './db/migrations/1764300000000-disclosure-tables.js';
import { disclosureHandlers } from './grpc/disclosure-handlers.js';

export { loadDisclosuresConfig, type DisclosuresConfig } from './config.js';
export { Disclosures, MAX_ROWS_PER_BATCH, type RowResult } from './app/disclosures.js';

export interface RunningDisclosures {
  grpcPort: number;
  disclosures: Disclosures;
  catalog: CatalogView;
  relay: OutboxRelay;
  ds: DataSource;
  bus: Bus;
  stop(): Promise<void>;
}

// Chunks of up to 1,000 records of a few KB each.
const MAX_MESSAGE_BYTES = 16 * 1024 * 1024;

export async function startDisclosuresService(
  config: DisclosuresConfig,
  logger: Logger,
  opts: { now?: () => Date } = {},
): Promise<RunningDisclosures> {
  const host = await startServiceHost(config, logger, {
    name: 'disclosures',
    migrations: [DisclosureTables1764300000000],
    maxReceiveMessageLength: MAX_MESSAGE_BYTES,
  });
  // The published catalog is the data standard: held in memory, reloaded once per published version.
  const catalog = new CatalogView({
    address: config.catalogAddress,
    token: signToken({ department: 'platform', role: 'operator', subject: 'disclosures' }, config.tokenSecret, { ttlSeconds: 365 * 24 * 3600 }),
    tls: config.tlsCertFile
      ? { rootCert: readFileSync(config.tlsCaFile), certChain: readFileSync(config.tlsCertFile), privateKey: readFileSync(config.tlsKeyFile) }
      : undefined,
    bus: host.bus,
    logger,
  }).start();
  host.onStop(() => catalog.stop());
  const pool = config.validationThreads > 0 ? new PreparePool(config.validationThreads) : undefined;
  if (pool) host.onStop(() => pool.close());
  const disclosures = new Disclosures(host.ds, host.outbox('credit/disclosures'), catalog, opts.now, pool && ((job) => pool.prepare(job)));
  host.server.addService(
    'credit.disclosures.v1.DisclosureService',
    DisclosureServiceService,
    disclosureHandlers(host.server.kit, disclosures, { concurrency: config.ingestConcurrency }),
  );

  // Publicity ends by itself: at start, then periodically. A failed sweep is retried at the next tick.
  const sweep = () =>
    disclosures.endExpiredPublicity().then(
      (n) => n > 0 && logger.info({ ended: n }, '处罚公示期满，已停止公示'),
      (err: unknown) => logger.warn({ err }, 'publicity sweep failed'),
    );
  const sweeping = setInterval(() => void sweep(), config.publicitySweepMinutes * 60_000);
  host.onStop(async () => clearInterval(sweeping));
  void sweep();

  const grpcPort = await host.serve();
  logger.info({ grpcPort }, '双公示服务已就绪 (disclosures ready)');
  return { grpcPort, disclosures, catalog, relay: host.relay, ds: host.ds, bus: host.bus, stop: () => host.stop() };
}
