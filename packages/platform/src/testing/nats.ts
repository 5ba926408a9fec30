import { randomBytes } from 'node:crypto';
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { JetStreamApiError } from '@nats-io/jetstream';
import type { Bus } from '../events/bus.js';
import { type StreamBase, streamName } from '../events/streams.js';
import { dockerReachable, withTimeout } from './docker.js';

const DEFAULT_NATS = 'nats://127.0.0.1:4222';
let natsUrl: Promise<string> | undefined;

/** NATS_URL when set; otherwise a JetStream container when a container engine is reachable, else the local server. */
export function testNatsUrl(): Promise<string> {
  natsUrl ??= (async () => {
    if (process.env.NATS_URL) return process.env.NATS_URL;
    if (await dockerReachable()) {
      try {
        const { GenericContainer, Wait } = await import('testcontainers');
        const container = await withTimeout(
          new GenericContainer('nats:2.12-alpine')
            .withCommand(['-js'])
            .withExposedPorts(4222)
            .withWaitStrategy(Wait.forLogMessage(/Server is ready/))
            .start(),
          180_000,
          'NATS container',
        );
        return `nats://${container.getHost()}:${container.getMappedPort(4222)}`;
      } catch (err) {
        process.emitWarning(`NATS container failed (${String(err)}); using ${DEFAULT_NATS}`);
      }
    }
    return DEFAULT_NATS;
  })();
  return natsUrl;
}

/** A subject/stream prefix of its own for one test file: 't' + 8 hex digits + '.'. */
export function uniquePrefix(): string {
  return `t${randomBytes(4).toString('hex')}.`;
}

/** Deletes the bus's prefixed streams (and with them their consumers). */
export async function cleanupBus(bus: Bus): Promise<void> {
  for (const base of ['CREDIT_EVENTS', 'SECTOR_EVENTS'] as StreamBase[]) {
    try {
      await bus.jsm.streams.delete(streamName(bus, base));
    } catch (err) {
      if (!(err instanceof JetStreamApiError)) throw err;
    }
  }
}

export interface NatsServerHandle {
  url: string;
  port: number;
  /** Stops the server: SIGTERM by default (clean shutdown), SIGKILL to simulate a crash. */
  stop(opts?: { signal?: 'SIGTERM' | 'SIGKILL' }): Promise<void>;
  /** Starts it again on the same port with the same store, so JetStream state survives. */
  start(): Promise<void>;
  /** Stops it and removes a store directory this helper created. */
  dispose(): Promise<void>;
}

const children = new Set<ChildProcess>();
process.once('exit', () => {
  for (const c of children) c.kill('SIGKILL');
});

/** A private nats-server with JetStream on a free loopback port, for tests in which NATS goes away and comes back. */
export async function startNatsServer(opts: { port?: number; storeDir?: string } = {}): Promise<NatsServerHandle> {
  const port = opts.port ?? (await freePort());
  const ownStore = opts.storeDir === undefined;
  const storeDir = opts.storeDir ?? (await mkdtemp(join(tmpdir(), 'nats-test-')));
  let child: ChildProcess | undefined;

  const start = async (): Promise<void> => {
    if (child) return;
    const proc = spawn(natsServerBinary(), ['-js', '-a', '127.0.0.1', '-p', String(port), '-sd', storeDir], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    children.add(proc);
    proc.once('exit', () => {
      children.delete(proc);
      if (child === proc) child = undefined;
    });
    child = proc;
    await withTimeout(ready(proc), 15_000, `nats-server on port ${port}`).catch(async (err: unknown) => {
      await stopProcess(proc, 'SIGKILL');
      throw err;
    });
  };

  const stop = async (o: { signal?: 'SIGTERM' | 'SIGKILL' } = {}): Promise<void> => {
    const proc = child;
    child = undefined;
    if (proc) await stopProcess(proc, o.signal ?? 'SIGTERM');
  };

  await start();
  return {
    url: `nats://127.0.0.1:${port}`,
    port,
    stop,
    start,
    async dispose() {
      await stop({ signal: 'SIGKILL' });
      if (ownStore) await rm(storeDir, { recursive: true, force: true });
    },
  };
}

function natsServerBinary(): string {
  if (process.env.NATS_SERVER_BIN) return process.env.NATS_SERVER_BIN;
  const onPath = (process.env.PATH ?? '').split(':').map((d) => join(d, 'nats-server')).find((p) => existsSync(p));
  return onPath ?? '/usr/sbin/nats-server';
}

/** Resolves on the server's "ready" log line; rejects with its last output if it exits first. */
function ready(proc: ChildProcess): Promise<void> {
  return new Promise((resolve, reject) => {
    let output = '';
    const onData = (chunk: Buffer): void => {
      output = (output + chunk.toString()).slice(-4000);
      if (output.includes('Server is ready')) {
        proc.stderr?.off('data', onData);
        proc.stderr?.resume();
        resolve();
      }
    };
    proc.stderr?.on('data', onData);
    proc.once('exit', (code) => reject(new Error(`nats-server exited (${code}) before it was ready:\n${output}`)));
    proc.once('error', reject);
  });
}

function stopProcess(proc: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  if (proc.exitCode !== null || proc.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    proc.once('exit', () => resolve());
    proc.kill(signal);
  });
}

/** A loopback TCP port nothing listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      srv.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}
