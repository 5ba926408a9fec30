import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { DataSource } from 'typeorm';
import type { ClassRef } from '../db/class-ref.js';
import { openDatabase } from '../db/database.js';
import { connectBus, type Bus } from '../events/bus.js';
import { Outbox } from '../events/outbox.js';
import { OutboxRelay } from '../events/relay.js';
import { AuditChainer } from '../audit.js';
import { ensureStreams } from '../events/streams.js';
import { createGrpcServer, type GrpcServer } from '../grpc/server.js';
import type { Logger } from '../logger.js';
import type { ServiceSettings } from './settings.js';

export interface ServiceHost {
  ds: DataSource;
  bus: Bus;
  relay: OutboxRelay;
  server: GrpcServer;
  /** An outbox whose rows go straight to this host's relay once their transaction commits. */
  outbox(source: string): Outbox;
  /** Starts answering calls; resolves to the gRPC port. */
  serve(): Promise<number>;
  /** Something to stop after the server has finished its calls and before the relay stops (e.g. a background job). */
  onStop(stop: () => Promise<void>): void;
  /** The shutdown order of style.md: stop serving, finish in-flight calls, stop jobs and the relay, drain NATS, close the DB. */
  stop(): Promise<void>;
}

export interface ServiceHostOptions {
  /** Also the database's application name and the NATS connection name. */
  name: string;
  migrations: ClassRef[];
  /** Largest request message accepted (default: grpc-js's 4 MB). */
  maxReceiveMessageLength?: number;
}

const descriptorSet = () => readFileSync(createRequire(import.meta.url).resolve('@credit/contracts/descriptors'));

/**
 * What every service runs on: its database with migrations applied, the bus with streams, the outbox relay, the
 * audit chainer, the gRPC server.
 */
export async function startServiceHost(config: ServiceSettings, logger: Logger, opts: ServiceHostOptions): Promise<ServiceHost> {
  const ds = await openDatabase({ url: config.databaseUrl, migrations: opts.migrations, applicationName: opts.name, logger });
  const bus = await connectBus({
    url: config.natsUrl,
    name: opts.name,
    prefix: config.natsPrefix,
    ...(config.natsUser ? { user: config.natsUser, pass: config.natsPassword } : {}),
  });
  await ensureStreams(bus);
  const relay = new OutboxRelay({ ds, bus, logger });
  relay.start();
  const chainer = new AuditChainer(ds, logger);
  chainer.start();
  const server = createGrpcServer({
    serviceName: opts.name,
    port: config.grpcPort,
    logger,
    tokenSecret: config.tokenSecret,
    tls: config.tlsCertFile
      ? { rootCert: readFileSync(config.tlsCaFile), certChain: readFileSync(config.tlsCertFile), privateKey: readFileSync(config.tlsKeyFile) }
      : undefined,
    descriptorSet: descriptorSet(),
    ...(opts.maxReceiveMessageLength ? { maxReceiveMessageLength: opts.maxReceiveMessageLength } : {}),
  });
  const stoppers: (() => Promise<void>)[] = [];
  return {
    ds,
    bus,
    relay,
    server,
    outbox: (source) => new Outbox(source, relay),
    serve: () => server.start(),
    onStop: (stop) => stoppers.push(stop),
    async stop() {
      await server.shutdown(5_000);
      for (const stop of stoppers.reverse()) await stop();
      await chainer.stop();
      await relay.stop();
      await bus.close();
      await ds.destroy();
    },
  };
}
