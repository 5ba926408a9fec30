import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AckingPublisher } from '../src/events/acking-publisher.js';
import { type Bus, connectBus, type CreditEvent, ensureStreams, streamName } from '../src/events/index.js';
import { timeOrderedId } from '../src/time-ordered-id.js';
import { cleanupBus, readEvents, testNatsUrl, uniquePrefix } from '../src/testing/index.js';

const event = (subject: string, id = timeOrderedId()): CreditEvent => ({
  id,
  type: 'credit.test.v1.Tested',
  source: 'credit/test',
  subject,
  entity: '91110000600037341L',
  time: new Date(),
  data: new Uint8Array([1, 2, 3]),
});

describe('the pipelined JetStream publisher', () => {
  let bus: Bus;
  let publisher: AckingPublisher;

  beforeAll(async () => {
    bus = await connectBus({ url: await testNatsUrl(), name: 'acking-publisher-test', prefix: uniquePrefix() });
    await ensureStreams(bus);
    publisher = new AckingPublisher(bus, 2_000);
    await publisher.ready();
  });
  afterAll(async () => {
    publisher.close();
    await cleanupBus(bus);
    await bus.close();
  });

  it('resolves once JetStream stored each of many events in flight, and a repeated id is stored once', async () => {
    const events = Array.from({ length: 500 }, () => event('credit.test.v1.tested.540102'));
    await Promise.all(events.map((e) => publisher.publish(e)));
    await publisher.publish(events[0]!);
    const info = await bus.jsm.streams.info(streamName(bus, 'CREDIT_EVENTS'));
    expect(info.state.messages).toBe(500);
    const stored = await readEvents(bus, 'credit.test.v1.>');
    expect(stored.map((e) => e.id)).toEqual(events.map((e) => e.id));
  });

  it('rejects an event whose subject no stream takes', async () => {
    await expect(publisher.publish(event('nowhere.test.v1.lost'))).rejects.toThrow(/did not take|refused|acknowledgement/);
  });

  it('rejects an event the stream refuses, with JetStream\'s reason, and stores the next one', async () => {
    // A stream of its own that takes nothing larger than 1,000 bytes (headers included): its refusal is a PubAck carrying an error.
    const tiny = `${streamName(bus, 'CREDIT_EVENTS')}_TINY`;
    await bus.jsm.streams.add({ name: tiny, subjects: [`${bus.prefix}tiny.>`], max_msg_size: 1_000 });
    try {
      const large = { ...event('tiny.test.v1.large'), data: new Uint8Array(2_000) };
      await expect(publisher.publish(large)).rejects.toThrow(/JetStream refused the message: 400 .*size/i);
      await publisher.publish({ ...event('tiny.test.v1.small'), data: new Uint8Array(4) });
      expect((await bus.jsm.streams.info(tiny)).state.messages).toBe(1);
    } finally {
      await bus.jsm.streams.delete(tiny);
    }
  });

  it('rejects what is still waiting when it is closed', async () => {
    const other = new AckingPublisher(bus, 60_000);
    const pending = other.publish(event('nowhere.test.v1.unanswered'));
    other.close();
    await expect(pending).rejects.toThrow(/closed|did not take/);
  });
});
