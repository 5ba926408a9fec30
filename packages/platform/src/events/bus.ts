import { connect } from '@nats-io/transport-node';
import type { NatsConnection } from '@nats-io/nats-core';
import { jetstream, jetstreamManager, type JetStreamClient, type JetStreamManager } from '@nats-io/jetstream';

/** One NATS connection per process, with its JetStream handles. */
export interface Bus {
  nc: NatsConnection;
  js: JetStreamClient;
  jsm: JetStreamManager;
  /**
   * Prepended to every subject and (uppercased) to every stream name. '' in production; tests use a random one
   * so that files running at the same time on one server never see each other's events.
   */
  prefix: string;
  /** Drains: in-flight publishes and handlers finish, then the connection closes. */
  close(): Promise<void>;
}

export interface BusOptions {
  url: string;
  /** Connection name shown in the server's monitoring: the service name. */
  name: string;
  prefix?: string;
  user?: string;
  pass?: string;
}

export async function connectBus(opts: BusOptions): Promise<Bus> {
  const nc = await connect({
    servers: opts.url,
    name: opts.name,
    // A service outlives broker restarts: it keeps trying, and the outbox holds events meanwhile.
    maxReconnectAttempts: -1,
    waitOnFirstConnect: true,
    ...(opts.user !== undefined ? { user: opts.user, pass: opts.pass ?? '' } : {}),
  });
  try {
    const jsm = await jetstreamManager(nc);
    return {
      nc,
      js: jetstream(nc),
      jsm,
      prefix: opts.prefix ?? '',
      async close() {
        if (!nc.isClosed()) await nc.drain().catch(() => nc.close());
      },
    };
  } catch (err) {
    await nc.close();
    throw err;
  }
}
