import { afterAll, describe, expect, it } from 'vitest';
import type * as grpc from '@grpc/grpc-js';
import { callUnary, connectBus, streamName } from '@credit/platform';
import { cleanupBus, startNatsServer, testDatabase, waitFor } from '@credit/platform/testing';
import { company, startTestRegistry } from './harness.js';

const cleanups: Array<() => Promise<void>> = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c().catch(() => undefined);
});

describe('when NATS is down', () => {
  it('keeps accepting registrations, and every event arrives exactly once after NATS and a crashed service come back', async () => {
    const nats = await startNatsServer();
    cleanups.push(() => nats.stop());
    const db = await testDatabase();
    cleanups.push(() => db.drop());

    const first = await startTestRegistry({ natsUrl: nats.url, databaseUrl: db.url });
    const prefix = first.prefix;
    await callUnary(first.client as unknown as grpc.Client, 'registerEntity', { requestId: 'before', entity: company(1) });
    await waitFor(async () => (await first.running.relay.backlog()) === 0);

    await nats.stop();
    const whileDown = 20;
    for (let i = 0; i < whileDown; i++) {
      await callUnary(first.client as unknown as grpc.Client, 'registerEntity', { requestId: `down-${i}`, entity: company(100 + i) });
    }
    expect(await first.running.relay.backlog()).toBe(whileDown);

    // The first instance stops publishing for good before NATS returns (as if it had crashed); a new instance on
    // the same database must find the waiting outbox rows.
    await first.running.relay.stop();
    cleanups.push(() => first.stop());
    await nats.start();
    const second = await startTestRegistry({ natsUrl: nats.url, databaseUrl: db.url, prefix });
    cleanups.push(async () => {
      await second.running.stop();
      const bus = await connectBus({ url: nats.url, name: 'cleanup', prefix });
      await cleanupBus(bus);
      await bus.close();
    });

    await waitFor(async () => (await second.running.relay.backlog()) === 0, { timeoutMs: 30_000 });
    const observer = await connectBus({ url: nats.url, name: 'observer', prefix });
    cleanups.push(() => observer.close());
    const info = await observer.jsm.streams.info(streamName(observer, 'CREDIT_EVENTS'));
    expect(info.state.messages).toBe(1 + whileDown);
    await waitFor(async () => second.events.length === 1 + whileDown, { timeoutMs: 10_000 });
    expect(new Set(second.events.map((e) => e.id)).size).toBe(1 + whileDown);
    expect(new Set(second.events.map((e) => e.entity)).size).toBe(1 + whileDown);
  });
});
