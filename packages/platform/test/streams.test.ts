import { Match } from '@nats-io/nats-core';
import { StorageType } from '@nats-io/jetstream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Bus,
  connectBus,
  type CreditEvent,
  ensureStreams,
  publishEvent,
  streamName,
  toHeaders,
  wireHeaders,
} from '../src/events/index.js';
import { timeOrderedId } from '../src/time-ordered-id.js';
import { cleanupBus, readEvents, testNatsUrl, uniquePrefix } from '../src/testing/index.js';

describe('streams and the event envelope', () => {
  let bus: Bus;

  beforeAll(async () => {
    bus = await connectBus({ url: await testNatsUrl(), name: 'streams-test', prefix: uniquePrefix() });
  });
  afterAll(async () => {
    await cleanupBus(bus);
    await bus.close();
  });

  it('names streams after the prefix, uppercased and made safe', () => {
    expect(streamName({ prefix: 't4f3a09bc.' }, 'CREDIT_EVENTS')).toBe('T4F3A09BC_CREDIT_EVENTS');
    expect(streamName({ prefix: '' }, 'SECTOR_EVENTS')).toBe('SECTOR_EVENTS');
  });

  it('creates both streams on file storage for their prefixed subjects, with a two-minute duplicate window', async () => {
    await ensureStreams(bus);
    await ensureStreams(bus);
    const credit = await bus.jsm.streams.info(streamName(bus, 'CREDIT_EVENTS'));
    const sector = await bus.jsm.streams.info(streamName(bus, 'SECTOR_EVENTS'));
    expect(credit.config.subjects).toEqual([`${bus.prefix}credit.>`]);
    expect(sector.config.subjects).toEqual([`${bus.prefix}sector.>`]);
    expect(credit.config.storage).toBe(StorageType.File);
    expect(credit.config.duplicate_window).toBe(120_000_000_000);
  });

  it('brings an existing stream to a changed configuration', async () => {
    await ensureStreams(bus, { duplicateWindowMs: 300_000, maxAgeDays: 30 });
    const credit = await bus.jsm.streams.info(streamName(bus, 'CREDIT_EVENTS'));
    expect(credit.config.duplicate_window).toBe(300_000_000_000);
    expect(credit.config.max_age).toBe(30 * 86_400 * 1_000_000_000);
  });

  it('carries every CloudEvents attribute through JetStream and drops a repeated event id', async () => {
    await ensureStreams(bus);
    const sent: CreditEvent = {
      id: timeOrderedId(),
      type: 'credit.registry.v1.EntityRegistered',
      source: 'credit/registry',
      subject: 'credit.registry.v1.entity_registered.540100',
      entity: '91540100MA6T000001',
      time: new Date('2025-03-01T08:00:00.123Z'),
      data: new Uint8Array([8, 1, 18, 3]),
      traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
    };
    await publishEvent(bus, sent);
    const ack = await publishEvent(bus, sent);
    expect(ack.duplicate).toBe(true);

    const [got, ...more] = await readEvents(bus, 'credit.registry.v1.>');
    expect(more).toEqual([]);
    expect({ ...got, data: Array.from(got!.data) }).toEqual({ ...sent, data: Array.from(sent.data), deliveryCount: 1 });
  });

  it('writes the headers of the CloudEvents NATS binding in binary mode', () => {
    const h = toHeaders({
      id: '01900000-0000-7000-8000-000000000001',
      type: 't',
      source: 's',
      subject: 'credit.x.v1.y',
      entity: 'E',
      time: new Date(0),
      data: new Uint8Array(),
    });
    expect(h.get('ce-specversion')).toBe('1.0');
    expect(h.get('Nats-Msg-Id', Match.IgnoreCase)).toBe('01900000-0000-7000-8000-000000000001');
    expect(h.get('content-type')).toBe('application/protobuf');
    expect(h.get('ce-time')).toBe('1970-01-01T00:00:00.000Z');
    expect(h.get('ce-subject')).toBe('E');
    expect(h.has('traceparent')).toBe(false);
  });

  describe('headers written in one piece for the relay (wireHeaders)', () => {
    const event: CreditEvent = {
      id: '01900000-0000-7000-8000-000000000002',
      type: 'credit.registry.v1.EntityRegistered',
      source: 'registry',
      subject: 'credit.registry.v1.entity_registered.540100',
      entity: '91540100MA6T00001X',
      time: new Date(Date.UTC(2026, 10, 27, 8, 30)),
      data: new Uint8Array([1]),
      traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
    };
    const bytes = (h: unknown) => Buffer.from((h as { encode(): Uint8Array }).encode()).toString('latin1');

    it('puts on the wire exactly what toHeaders does, with and without a traceparent', () => {
      expect(bytes(wireHeaders(event))).toBe(bytes(toHeaders(event)));
      const { traceparent: _dropped, ...untraced } = event;
      expect(bytes(wireHeaders(untraced))).toBe(bytes(toHeaders(untraced)));
      expect(bytes(wireHeaders(untraced))).not.toContain('traceparent');
    });

    it('reads like a MsgHdrs, and a change made through it reaches the wire', () => {
      const h = wireHeaders(event);
      expect(h.get('ce-type')).toBe(event.type);
      expect(h.get('nats-msg-id', Match.IgnoreCase)).toBe(event.id);
      expect(h.keys()).toContain('ce-subject');
      h.set('x-extra', 'yes');
      const expected = toHeaders(event);
      expected.set('x-extra', 'yes');
      expect(bytes(h)).toBe(bytes(expected));
    });

    it('refuses a value with a line break as toHeaders does, rather than splitting the header block', () => {
      expect(() => wireHeaders({ ...event, entity: 'E\r\nNats-Msg-Id: forged' })).toThrow(/\\r or \\n/);
      expect(bytes(wireHeaders({ ...event, entity: ' E ' }))).toBe(bytes(toHeaders({ ...event, entity: ' E ' })));
    });
  });
});
