// Shared by the grpc*.test.ts files: a real server on a loopback port with the registry contract and a tiny
// in-test implementation, and a client for it.
import { Writable } from 'node:stream';
import * as grpc from '@grpc/grpc-js';
import {
  Entity,
  RegistryServiceClient,
  RegistryServiceService,
  type RegistryServiceServer,
} from '@credit/contracts/credit/registry/v1/registry.js';
import { createLogger } from '../src/logger.js';
import { createClient, createGrpcServer, type ClientOptions, type GrpcServer, type GrpcServerOptions } from '../src/grpc/index.js';
import { TEST_TOKEN_SECRET } from '../src/testing/identity.js';

export const REGISTRY = 'credit.registry.v1.RegistryService';

export interface Harness {
  server: GrpcServer;
  address: string;
  logs: Array<Record<string, unknown>>;
  client(opts?: ClientOptions): RegistryServiceClient;
  close(): Promise<void>;
}

export function captureLogs() {
  const logs: Array<Record<string, unknown>> = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split('\n').filter(Boolean)) logs.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  return { logs, logger: createLogger('grpc-test', { destination, level: 'debug' }) };
}

/** Starts a server; `implement` receives the kit and returns handlers for the registry service. */
export async function startRegistry(
  implement: (kit: GrpcServer['kit']) => Partial<RegistryServiceServer>,
  opts: Partial<GrpcServerOptions> = {},
): Promise<Harness> {
  const { logs, logger } = captureLogs();
  const server = createGrpcServer({
    serviceName: 'registry-test',
    host: '127.0.0.1',
    port: 0,
    logger,
    tokenSecret: TEST_TOKEN_SECRET,
    ...opts,
  });
  server.addService(REGISTRY, RegistryServiceService, implement(server.kit) as grpc.UntypedServiceImplementation);
  const port = await server.start();
  const address = `127.0.0.1:${port}`;
  const clients: grpc.Client[] = [];
  return {
    server,
    address,
    logs,
    client(clientOpts = {}) {
      const client = createClient(RegistryServiceClient, address, clientOpts);
      clients.push(client);
      return client;
    },
    async close() {
      for (const client of clients) client.close();
      await server.shutdown(1_000);
    },
  };
}

/** An entity whose fields echo what the handler saw, so a test can assert on the server's view of the call. */
export function echoEntity(fields: Partial<Entity>): Entity {
  return Entity.fromPartial(fields);
}
