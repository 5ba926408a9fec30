import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { DataSource } from 'typeorm';
import { RegistryServiceService } from '@credit/contracts/credit/registry/v1/registry.js';
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

const descriptorSet = () => readFileSync(createRequire(import.meta.url).resolve('@credit/contracts/descriptors'));

export async function startRegistryService(config: RegistryConfig, logger: Logger): Promise<RunningRegistry> {
  const ds = await openDatabase({
    url: config.databaseUrl,
    migrations: [RegistryTables1764100000000],
    applicationName: 'registry',
    logger,
  });
  const bus = await connectBus({ url: config.natsUrl, name: 'registry', prefix: config.natsPrefix });
  await ensureStreams(bus);
  const relay = new OutboxRelay({ ds, bus, logger });
  relay.start();
  const registry = new Registry(ds, new Outbox('credit/registry', relay));

  const server = createGrpcServer({
    serviceName: 'registry',
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
  });
  server.addService(
    'credit.registry.v1.RegistryService',
    RegistryServiceService,
    registryHandlers(server.kit, registry, { batchSize: config.importBatchSize, lingerMs: config.importLingerMs, concurrency: config.importConcurrency }),
  );
  const grpcPort = await server.start();
  logger.info({ grpcPort }, '统一社会信用代码服务已就绪 (registry ready)');

  return {
    grpcPort,
    registry,
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
