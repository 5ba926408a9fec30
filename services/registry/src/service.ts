import type { DataSource } from 'typeorm';
import { RegistryServiceService } from '@credit/contracts/credit/registry/v1/registry.js';
import { startServiceHost, type Bus, type Logger, type OutboxRelay } from '@credit/platform';
import { Registry } from './app/registry.js';
import type { RegistryConfig } from './config.js';
import { RegistryTables1764100000000 } from './db/migrations/1764100000000-registry-tables.js';
import { registryHandlers } from './grpc/registry-handlers.js';

export { loadRegistryConfig, type RegistryConfig } from './config.js';
export { Registry } from './app/registry.js';

export interface RunningRegistry {
  grpcPort: number;
  registry: Registry;
  relay: OutboxRelay;
  ds: DataSource;
  bus: Bus;
  /** The shutdown order of style.md: stop serving, finish in-flight calls, stop the relay, drain NATS, close the DB. */
  stop(): Promise<void>;
}

export async function startRegistryService(config: RegistryConfig, logger: Logger): Promise<RunningRegistry> {
  const host = await startServiceHost(config, logger, { name: 'registry', migrations: [RegistryTables1764100000000] });
  const registry = new Registry(host.ds, host.outbox('credit/registry'));
  host.server.addService(
    'credit.registry.v1.RegistryService',
    RegistryServiceService,
    registryHandlers(host.server.kit, registry, { batchSize: config.importBatchSize, lingerMs: config.importLingerMs, concurrency: config.importConcurrency }),
  );
  const grpcPort = await host.serve();
  logger.info({ grpcPort }, '统一社会信用代码服务已就绪 (registry ready)');
  return { grpcPort, registry, relay: host.relay, ds: host.ds, bus: host.bus, stop: () => host.stop() };
}
