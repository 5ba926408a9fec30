import type { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inTransaction, openDatabase } from '../src/db/index.js';
import { type Bus, connectBus, ensureStreams, type NewEvent, Outbox, OutboxRelay } from '../src/events/index.js';
import { createLogger } from '../src/logger.js';
import {
  type NatsServerHandle,
  readEvents,
  startNatsServer,
  testDatabase,
  uniquePrefix,
  waitFor,
} from '../src/testing/index.js';

const logger = createLogger('nats-down-test', { level: 'silent' });
const outbox = new Outbox('credit/test');

function events(n: number): NewEvent[] {
  return Array.from({ length: n }, (_, i) => ({
    type: 'credit.test.v1.ThingHappened',
    subject: `credit.test.v1.outage.${i}`,
    entity: `E${i}`,
    data: new Uint8Array([i]),
  }));
}

describe('relay while NATS is down', () => {
  let db: { url: string; drop(): Promise<void> };
  let ds: DataSource;
  let server: NatsServerHandle;
  let bus: Bus;
  let relay: OutboxRelay;

  beforeAll(async () => {
    db = await testDatabase();
    ds = await openDatabase({ url: db.url });
    server = await startNatsServer();
    bus = await connectBus({ url: server.url, name: 'nats-down-test', prefix: uniquePrefix() });
    await ensureStreams(bus);
    relay = new OutboxRelay({ ds, bus, logger, publishTimeoutMs: 1000, retryBaseMs: 100, retryMaxMs: 2000 });
    relay.start();
  });

  afterAll(async () => {
    await relay.stop();
    await bus.close();
    await server.dispose();
    await ds.destroy();
    await db.drop();
  });

  it('publishes every event written during an outage once NATS is back, none of them twice', async () => {
    await inTransaction(ds, (em) => outbox.add(em, events(1)));
    await relay.drained();

    await server.stop();
    const during = events(40);
    await inTransaction(ds, (em) => outbox.add(em, during));
    // The relay has really tried and failed, so the retry path is what delivers them.
    await waitFor(async () => {
      const [row] = await ds.query(`SELECT count(*)::int AS n FROM outbox WHERE last_error IS NOT NULL`);
      return row.n > 0;
    }, { timeoutMs: 15_000 });
    expect(await relay.backlog()).toBe(40);

    await server.start();
    await relay.drained(30_000);

    const stored = await readEvents(bus, 'credit.test.v1.outage.>');
    expect(stored).toHaveLength(41);
    expect(new Set(stored.map((e) => e.id)).size).toBe(41);
    const [row] = await ds.query(`SELECT count(*)::int AS n FROM outbox WHERE published_at IS NULL`);
    expect(row.n).toBe(0);
  });

  it('brings a crashed server back on the same port with the events it had stored', async () => {
    const before = (await readEvents(bus, 'credit.test.v1.outage.>')).length;
    await server.stop({ signal: 'SIGKILL' });
    await server.start();
    await waitFor(async () => (await readEvents(bus, 'credit.test.v1.outage.>')).length === before, { timeoutMs: 15_000 });
  });
});
