import type { DataSource, EntityManager, MigrationInterface, QueryRunner } from 'typeorm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../src/db/index.js';
import {
  type Bus,
  connectBus,
  type CreditEvent,
  ensureStreams,
  InboxConsumer,
  PoisonEvent,
  publishEvent,
  streamName,
  toHeaders,
} from '../src/events/index.js';
import { timeOrderedId } from '../src/time-ordered-id.js';
import { createLogger } from '../src/logger.js';
import { cleanupBus, testDatabase, testNatsUrl, uniquePrefix, waitFor } from '../src/testing/index.js';

const logger = createLogger('inbox-consumer-test', { level: process.env.TEST_LOG_LEVEL ?? 'silent' });

/** A table standing for a handler's business effect; no unique key, so a second effect would show. */
class Effects1765000000000 implements MigrationInterface {
  name = 'Effects1765000000000';
  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE effect (consumer text NOT NULL, event_id uuid NOT NULL)`);
  }
  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE effect`);
  }
}

function event(topic: string): CreditEvent {
  return {
    id: timeOrderedId(),
    type: 'credit.test.v1.ThingHappened',
    source: 'credit/test',
    subject: `credit.test.v1.${topic}.1`,
    entity: 'E1',
    time: new Date(),
    data: new Uint8Array([1, 2, 3]),
  };
}

describe('inbox consumer', () => {
  let db: { url: string; drop(): Promise<void> };
  let ds: DataSource;
  let bus: Bus;
  const consumers: InboxConsumer[] = [];

  async function consume(
    topic: string,
    handler: (em: EntityManager, e: CreditEvent) => Promise<void>,
    opts: { maxDeliver?: number } = {},
  ): Promise<InboxConsumer> {
    const c = new InboxConsumer({
      ds,
      bus,
      logger,
      durable: `test-${topic}`,
      stream: 'CREDIT_EVENTS',
      filterSubject: `credit.test.v1.${topic}.>`,
      retryBaseMs: 20,
      retryMaxMs: 100,
      handler,
      ...opts,
    });
    consumers.push(c);
    await c.start();
    return c;
  }

  const recordEffect = (durable: string) => async (em: EntityManager, e: CreditEvent) => {
    await em.query('INSERT INTO effect (consumer, event_id) VALUES ($1, $2)', [durable, e.id]);
  };

  async function effects(durable: string, id: string): Promise<number> {
    const [row] = await ds.query('SELECT count(*)::int AS n FROM effect WHERE consumer = $1 AND event_id = $2', [
      durable,
      id,
    ]);
    return row.n;
  }

  /** True once the durable has been handed `delivered` messages and has none left to deliver or to be acked. */
  async function settled(topic: string, delivered: number): Promise<boolean> {
    const info = await bus.jsm.consumers.info(streamName(bus, 'CREDIT_EVENTS'), `test-${topic}`);
    return info.delivered.stream_seq > 0 && info.num_pending === 0 && info.num_ack_pending === 0 &&
      info.delivered.consumer_seq >= delivered;
  }

  async function deadLetters(durable: string): Promise<{ event_id: string; error: string; deliveries: number }[]> {
    return ds.query('SELECT event_id, error, deliveries FROM dead_letter WHERE consumer = $1 ORDER BY id', [durable]);
  }

  beforeAll(async () => {
    db = await testDatabase();
    ds = await openDatabase({ url: db.url, migrations: [Effects1765000000000] });
    bus = await connectBus({ url: await testNatsUrl(), name: 'inbox-consumer-test', prefix: uniquePrefix() });
    await ensureStreams(bus);
  });

  afterEach(async () => {
    await Promise.all(consumers.splice(0).map((c) => c.stop()));
  });

  afterAll(async () => {
    await cleanupBus(bus);
    await bus.close();
    await ds.destroy();
    await db.drop();
  });

  it('applies an event once even when it is delivered twice', async () => {
    const e = event('twice');
    // Two different message ids defeat JetStream's de-duplication: the stream really holds the event twice.
    await bus.js.publish(bus.prefix + e.subject, e.data, { msgID: 'first', headers: toHeaders(e) });
    await bus.js.publish(bus.prefix + e.subject, e.data, { msgID: 'second', headers: toHeaders(e) });
    const handled: string[] = [];
    await consume('twice', async (em, ev) => {
      handled.push(ev.id);
      await recordEffect('test-twice')(em, ev);
    });

    await waitFor(() => settled('twice', 2));
    expect(await effects('test-twice', e.id)).toBe(1);
    expect(handled).toEqual([e.id]);
  });

  it('retries a handler that fails after writing, and its first attempt leaves no trace', async () => {
    const e = event('flaky');
    await publishEvent(bus, e);
    let calls = 0;
    await consume('flaky', async (em, ev) => {
      calls += 1;
      await recordEffect('test-flaky')(em, ev);
      if (calls === 1) throw new Error('database hiccup');
    });

    await waitFor(() => settled('flaky', 2));
    expect(calls).toBe(2);
    expect(await effects('test-flaky', e.id)).toBe(1);
    expect(await deadLetters('test-flaky')).toEqual([]);
  });

  it('dead-letters a poison event at once and never hands it over again', async () => {
    const poison = event('poison');
    const healthy = event('poison');
    await publishEvent(bus, poison);
    await publishEvent(bus, healthy);
    const seen: string[] = [];
    await consume('poison', async (em, ev) => {
      seen.push(ev.id);
      if (ev.id === poison.id) throw new PoisonEvent('payload does not decode');
      await recordEffect('test-poison')(em, ev);
    });

    await waitFor(() => settled('poison', 2));
    expect(seen).toEqual([poison.id, healthy.id]);
    const letters = await deadLetters('test-poison');
    expect(letters).toEqual([{ event_id: poison.id, error: 'PoisonEvent: payload does not decode', deliveries: 1 }]);
    expect(await effects('test-poison', healthy.id)).toBe(1);
  });

  it('dead-letters an event whose handler still fails at the last delivery', async () => {
    const e = event('hopeless');
    await publishEvent(bus, e);
    let calls = 0;
    await consume(
      'hopeless',
      async () => {
        calls += 1;
        throw new Error('downstream refuses');
      },
      { maxDeliver: 3 },
    );

    await waitFor(async () => (await deadLetters('test-hopeless')).length === 1);
    await waitFor(() => settled('hopeless', 3));
    expect(calls).toBe(3);
    expect(await deadLetters('test-hopeless')).toEqual([
      { event_id: e.id, error: 'Error: downstream refuses', deliveries: 3 },
    ]);
  });

  it('dead-letters a message without a CloudEvents envelope without calling the handler', async () => {
    await bus.js.publish(`${bus.prefix}credit.test.v1.naked.1`, new Uint8Array([9]), { msgID: timeOrderedId() });
    let calls = 0;
    await consume('naked', async () => {
      calls += 1;
    });

    await waitFor(async () => (await deadLetters('test-naked')).length === 1);
    await waitFor(() => settled('naked', 1));
    expect(calls).toBe(0);
    const [letter] = await deadLetters('test-naked');
    expect(letter?.error).toBe('PoisonEvent: message lacks the ce-specversion header');
  });

  it('re-creates its durable consumer when it is deleted and applies nothing twice', async () => {
    const first = event('deleted');
    await publishEvent(bus, first);
    await consume('deleted', recordEffect('test-deleted'));
    await waitFor(() => settled('deleted', 1));

    await bus.jsm.consumers.delete(streamName(bus, 'CREDIT_EVENTS'), 'test-deleted');
    const second = event('deleted');
    await publishEvent(bus, second);

    // The new durable starts from the stream's beginning: the inbox turns the replay of `first` into a no-op.
    await waitFor(async () => (await effects('test-deleted', second.id)) === 1, { timeoutMs: 20_000 });
    await waitFor(() => settled('deleted', 2), { timeoutMs: 20_000 });
    expect(await effects('test-deleted', first.id)).toBe(1);
  });

  it('stops after the message in hand is committed and acknowledged', async () => {
    const e = event('stopping');
    await publishEvent(bus, e);
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let entered!: () => void;
    const inHandler = new Promise<void>((r) => (entered = r));
    const c = await consume('stopping', async (em, ev) => {
      entered();
      await gate;
      await recordEffect('test-stopping')(em, ev);
    });

    await inHandler;
    const stopped = c.stop();
    release();
    await stopped;
    expect(await effects('test-stopping', e.id)).toBe(1);
    await waitFor(() => settled('stopping', 1));
  });
});
