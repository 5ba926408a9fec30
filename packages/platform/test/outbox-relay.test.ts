import type { Msg } from '@nats-io/nats-core';
import type { DataSource } from 'typeorm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { inTransaction, openDatabase } from '../src/db/index.js';
import { type Bus, connectBus, ensureStreams, type NewEvent, Outbox, type OutboxHandOff, OutboxRelay } from '../src/events/index.js';
import { createLogger } from '../src/logger.js';
import { cleanupBus, readEvents, testDatabase, testNatsUrl, uniquePrefix, waitFor } from '../src/testing/index.js';

const logger = createLogger('outbox-relay-test', { level: 'silent' });
const outbox = new Outbox('credit/test');

function events(topic: string, n: number): NewEvent[] {
  return Array.from({ length: n }, (_, i) => ({
    type: 'credit.test.v1.ThingHappened',
    subject: `credit.test.v1.${topic}.${i % 3}`,
    entity: `E${i}`,
    data: new TextEncoder().encode(`${topic}-${i}`),
  }));
}

describe('outbox and relay', () => {
  let db: { url: string; drop(): Promise<void> };
  let ds: DataSource;
  let bus: Bus;
  const relays: OutboxRelay[] = [];

  function relay(opts: Partial<ConstructorParameters<typeof OutboxRelay>[0]> = {}): OutboxRelay {
    const r = new OutboxRelay({ ds, bus, logger, ...opts });
    relays.push(r);
    r.start();
    return r;
  }

  async function publishedIds(ids: string[]): Promise<string[]> {
    const rows: { event_id: string }[] = await ds.query(
      'SELECT event_id FROM outbox WHERE event_id = ANY($1::uuid[]) AND published_at IS NOT NULL',
      [ids],
    );
    return rows.map((r) => r.event_id);
  }

  beforeAll(async () => {
    db = await testDatabase();
    ds = await openDatabase({ url: db.url });
    bus = await connectBus({ url: await testNatsUrl(), name: 'outbox-relay-test', prefix: uniquePrefix() });
    await ensureStreams(bus);
  });

  afterEach(async () => {
    await Promise.all(relays.splice(0).map((r) => r.stop()));
  });

  afterAll(async () => {
    await cleanupBus(bus);
    await bus.close();
    await ds.destroy();
    await db.drop();
  });

  it('publishes every event of committed transactions exactly once and nothing of a rolled-back one', async () => {
    const committed = [events('commit', 5), events('commit', 7), events('commit', 1)];
    const rolledBack = events('commit', 4);
    for (const batch of committed) await inTransaction(ds, (em) => outbox.add(em, batch));
    await expect(
      inTransaction(ds, async (em) => {
        await outbox.add(em, rolledBack);
        throw new Error('the command failed after writing its events');
      }),
    ).rejects.toThrow('the command failed');

    const r = relay();
    await r.drained();

    const stored = await readEvents(bus, 'credit.test.v1.commit.>');
    const sent = committed.flat();
    expect(stored).toHaveLength(sent.length);
    expect(stored.map((e) => new TextDecoder().decode(e.data)).sort()).toEqual(
      sent.map((e) => new TextDecoder().decode(e.data)).sort(),
    );
    expect(new Set(stored.map((e) => e.id)).size).toBe(sent.length);
    expect(stored.every((e) => e.source === 'credit/test' && e.type === 'credit.test.v1.ThingHappened')).toBe(true);
    expect(await r.backlog()).toBe(0);
  });

  it('publishes a row whose transaction commits after a later one was already published', async () => {
    const r = relay({ pollIntervalMs: 200 });
    const [early] = events('late', 1).map((e) => ({ ...e, id: crypto.randomUUID() }));
    const [later] = events('late', 1).map((e) => ({ ...e, id: crypto.randomUUID() }));

    // Transaction A takes the smaller id but stays open...
    const a = ds.createQueryRunner();
    await a.connect();
    await a.startTransaction();
    await outbox.add(a.manager, [early!]);
    // ...while B inserts after it, commits, and is published.
    await inTransaction(ds, (em) => outbox.add(em, [later!]));
    await waitFor(async () => (await publishedIds([later!.id!])).length === 1, { message: 'B was not published' });
    expect(await publishedIds([early!.id!])).toEqual([]);

    await a.commitTransaction();
    await a.release();
    await waitFor(async () => (await publishedIds([early!.id!])).length === 1, { message: 'late A was lost' });
    await r.drained();

    const stored = await readEvents(bus, 'credit.test.v1.late.>');
    expect(stored.map((e) => e.id)).toEqual([later!.id, early!.id]);
  });

  it('wakes on the commit notification instead of waiting for its next poll', async () => {
    relay({ pollIntervalMs: 60_000 });
    // Wait until the relay LISTENs, so that only the NOTIFY of the commit below can wake it.
    await waitFor(async () => {
      const [row] = await ds.query(
        `SELECT count(*)::int AS n FROM pg_stat_activity
          WHERE datname = current_database() AND application_name = 'outbox-relay-listen' AND query LIKE 'LISTEN%'`,
      );
      return row.n === 1;
    });
    const batch = events('prompt', 1);
    const id = crypto.randomUUID();
    await inTransaction(ds, (em) => outbox.add(em, [{ ...batch[0]!, id }]));

    // Far below the 60 s poll interval: only the NOTIFY can explain it.
    await waitFor(async () => (await publishedIds([id])).length === 1, { timeoutMs: 5000 });
  });

  it('publishes each event exactly once while two relays run at the same time', async () => {
    const seen: string[] = [];
    // A plain subscriber sees every publish, including repeats that the stream's duplicate window would hide.
    const sub = bus.nc.subscribe(`${bus.prefix}credit.test.v1.pair.>`, {
      callback: (_err, msg: Msg) => {
        seen.push(msg.headers?.get('ce-id') ?? '?');
      },
    });
    const batches = Array.from({ length: 20 }, () => events('pair', 25));
    await Promise.all(batches.map((b) => inTransaction(ds, (em) => outbox.add(em, b))));

    // The second relay has a pool of its own, as another replica would.
    const replicaDs = await openDatabase({ url: db.url });
    const one = relay({ batchSize: 10 });
    const two = relay({ batchSize: 10, ds: replicaDs });
    await one.drained(20_000);
    await two.stop();
    await replicaDs.destroy();
    await bus.nc.flush();
    sub.unsubscribe();

    expect(seen).toHaveLength(500);
    expect(new Set(seen).size).toBe(500);
    const [row] = await ds.query(
      `SELECT count(*)::int AS n, max(attempts) AS most FROM outbox WHERE subject LIKE 'credit.test.v1.pair.%'`,
    );
    expect(row).toEqual({ n: 500, most: 1 });
    expect(await readEvents(bus, 'credit.test.v1.pair.>')).toHaveLength(500);
  });

  it('refuses to write events outside a transaction, where they could outlive a failed state change', async () => {
    await expect(outbox.add(ds.manager, events('no-tx', 1))).rejects.toThrow('open transaction');
  });

  it('splits a large batch into several statements and keeps every event', async () => {
    await inTransaction(ds, (em) => outbox.add(em, events('bulk', 2500)));
    const [row] = await ds.query(`SELECT count(*)::int AS n FROM outbox WHERE subject LIKE 'credit.test.v1.bulk.%'`);
    expect(row.n).toBe(2500);
    const r = relay();
    await r.drained(20_000);
    expect(await readEvents(bus, 'credit.test.v1.bulk.>')).toHaveLength(2500);
  });

  describe('hand-off to the relay of the same process', () => {
    /** Every publish on the subjects, repeats included (the stream's duplicate window would hide them). */
    function watch(topic: string): { seen: string[]; stop(): Promise<void> } {
      const seen: string[] = [];
      const sub = bus.nc.subscribe(`${bus.prefix}credit.test.v1.${topic}.>`, {
        callback: (_err, msg: Msg) => {
          seen.push(msg.headers?.get('ce-id') ?? '?');
        },
      });
      return {
        seen,
        async stop() {
          await bus.nc.flush();
          sub.unsubscribe();
        },
      };
    }

    it('publishes committed events at once, with neither a poll nor a notification, and each only once', async () => {
      // No LISTEN and a poll far away: only the hand-off can publish within the wait below.
      const r = relay({ listen: false, pollIntervalMs: 60_000 });
      const handing = new Outbox('credit/test', r);
      const watcher = watch('handoff');
      const batch = events('handoff', 30).map((e) => ({ ...e, id: crypto.randomUUID() }));

      await inTransaction(ds, (em) => handing.add(em, batch.slice(0, 10)));
      await inTransaction(ds, (em) => handing.add(em, batch.slice(10)));

      const ids = batch.map((e) => e.id);
      await waitFor(async () => (await publishedIds(ids)).length === 30, { timeoutMs: 5000, message: 'hand-off did not publish' });
      await watcher.stop();
      expect(watcher.seen.sort()).toEqual([...ids].sort());
      const stored = await readEvents(bus, 'credit.test.v1.handoff.>');
      expect(stored.map((e) => e.id).sort()).toEqual([...ids].sort());
      expect(stored.every((e) => e.source === 'credit/test')).toBe(true);
    });

    it('hands off nothing of a rolled-back transaction', async () => {
      const r = relay({ listen: false, pollIntervalMs: 60_000 });
      const handing = new Outbox('credit/test', r);
      const watcher = watch('handoff-rollback');
      await expect(
        inTransaction(ds, async (em) => {
          await handing.add(em, events('handoff-rollback', 3));
          throw new Error('the command failed after writing its events');
        }),
      ).rejects.toThrow('the command failed');
      const marker = { ...events('handoff-rollback', 1)[0]!, id: crypto.randomUUID() };
      await inTransaction(ds, (em) => handing.add(em, [marker]));
      await waitFor(async () => (await publishedIds([marker.id])).length === 1);
      await watcher.stop();
      expect(watcher.seen).toEqual([marker.id]);
    });

    it('leaves a handed-off event to any relay once its lease ends when the process dies before publishing', async () => {
      // The hand-off target of a process that dies right after its commit: it takes the rows and never publishes.
      const dying: OutboxHandOff = { accepting: true, leaseMs: 1500, accept: () => undefined };
      const orphaned = { ...events('orphan', 1)[0]!, id: crypto.randomUUID() };
      await inTransaction(ds, (em) => new Outbox('credit/test', dying).add(em, [orphaned]));
      const [lease] = await ds.query(
        `SELECT extract(epoch FROM next_attempt_at - now()) * 1000 AS ms FROM outbox WHERE event_id = $1`,
        [orphaned.id],
      );
      // Leased: a relay polling right now would not take it...
      expect(Number(lease.ms)).toBeGreaterThan(500);
      const survivor = relay({ listen: false, pollIntervalMs: 100 });
      expect(await survivor.backlog()).toBeGreaterThanOrEqual(1);
      // ...but another replica publishes it once the lease ends.
      await waitFor(async () => (await publishedIds([orphaned.id])).length === 1, { timeoutMs: 10_000, message: 'orphaned event lost' });
      expect((await readEvents(bus, 'credit.test.v1.orphan.>')).map((e) => e.id)).toEqual([orphaned.id]);
    });

    it('writes events for the next claim when its relay is not running', async () => {
      const stopped = new OutboxRelay({ ds, bus, logger });
      const id = crypto.randomUUID();
      await inTransaction(ds, (em) => new Outbox('credit/test', stopped).add(em, [{ ...events('handoff-stopped', 1)[0]!, id }]));
      const r = relay({ pollIntervalMs: 60_000 });
      // A leased row would wait out its 10 s lease; a row written for claiming is published at once.
      await r.drained(3000);
      expect(await publishedIds([id])).toEqual([id]);
    });
  });
});
