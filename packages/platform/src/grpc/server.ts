// The gRPC server every service runs: its handlers come from the kit; health (grpc.health.v1) and reflection
// are added here so probes and grpcurl work the same against every service.
import * as grpc from '@grpc/grpc-js';
import { loadFileDescriptorSetFromBuffer } from '@grpc/proto-loader';
import { ReflectionService } from '@grpc/reflection';
import { HealthImplementation } from 'grpc-health-check';
import type { Logger } from '../logger.js';
import { serverCredentials, type TlsFiles } from './credentials.js';
import { createHandlerKit, type HandlerKit } from './kit.js';

export interface GrpcServerOptions {
  serviceName: string;
  /** Default 0.0.0.0. */
  host?: string;
  /** 0 = a free port. */
  port: number;
  logger: Logger;
  /** Verifies `authorization: Bearer <token>` metadata. */
  tokenSecret: string;
  /** Mutual TLS: a client certificate from rootCert's CA is required, and the caller comes from its subject. */
  tls?: TlsFiles;
  /** FileDescriptorSet bytes (buf build -o) for server reflection. */
  descriptorSet?: Buffer;
  /** Default 4 MiB. */
  maxReceiveMessageLength?: number;
}

export interface GrpcServer {
  readonly kit: HandlerKit;
  addService(fullName: string, definition: grpc.ServiceDefinition, implementation: grpc.UntypedServiceImplementation): void;
  /** Binds and reports SERVING; returns the bound port. */
  start(): Promise<number>;
  setServing(serving: boolean): void;
  /** NOT_SERVING, tells long-lived streams to end (CallContext.stopping), lets in-flight calls finish for up to timeoutMs (default 10 s), then cancels the rest. */
  shutdown(timeoutMs?: number): Promise<void>;
}

const DEFAULT_MAX_MESSAGE = 4 * 1024 * 1024;

export function createGrpcServer(opts: GrpcServerOptions): GrpcServer {
  const logger = opts.logger.child({ component: 'grpc' });
  const server = new grpc.Server({
    'grpc.max_receive_message_length': opts.maxReceiveMessageLength ?? DEFAULT_MAX_MESSAGE,
  });
  const kit = createHandlerKit({ logger: opts.logger, tokenSecret: opts.tokenSecret });
  const services: string[] = [];
  // '' is the whole server, which is what Kubernetes gRPC probes ask about.
  const health = new HealthImplementation({ '': 'NOT_SERVING' });
  health.addToServer(server);
  if (opts.descriptorSet) {
    const definitions = loadFileDescriptorSetFromBuffer(opts.descriptorSet);
    new ReflectionService(definitions as ConstructorParameters<typeof ReflectionService>[0]).addToServer(server);
  }

  let port: number | undefined;

  const setServing = (serving: boolean) => {
    const status = serving ? 'SERVING' : 'NOT_SERVING';
    for (const name of ['', ...services]) health.setStatus(name, status);
  };

  return {
    kit,

    addService(fullName, definition, implementation) {
      if (port !== undefined) throw new Error(`cannot add ${fullName}: the server has already started`);
      server.addService(definition, implementation);
      services.push(fullName);
      health.setStatus(fullName, 'NOT_SERVING');
    },

    async start() {
      const address = `${opts.host ?? '0.0.0.0'}:${opts.port}`;
      port = await new Promise<number>((resolve, reject) => {
        server.bindAsync(address, serverCredentials(opts.tls), (err, bound) => (err ? reject(err) : resolve(bound)));
      });
      setServing(true);
      logger.info({ port, services, tls: Boolean(opts.tls) }, `${opts.serviceName} gRPC server listening`);
      return port;
    },

    setServing,

    async shutdown(timeoutMs = 10_000) {
      setServing(false);
      kit.beginShutdown();
      let timer: NodeJS.Timeout | undefined;
      const drained = await Promise.race([
        new Promise<boolean>((resolve) => server.tryShutdown(() => resolve(true))),
        new Promise<boolean>((resolve) => {
          timer = setTimeout(() => resolve(false), timeoutMs);
        }),
      ]);
      clearTimeout(timer);
      if (!drained) {
        logger.warn({ timeoutMs }, 'in-flight calls did not finish in time; cancelling them');
        server.forceShutdown();
      }
    },
  };
}
