import type { EntityManager } from 'typeorm';
import { injectTraceContext } from '../telemetry/index.js';
import type { NewEvent } from './envelope.js';
import { newEventId } from './event-id.js';

/** The channel the outbox NOTIFYs on commit; the relay LISTENs on it. */
export const OUTBOX_CHANNEL = 'credit_outbox';

const ROWS_PER_STATEMENT = 1000;
// A NATS subject token: no whitespace, no wildcards, not empty.
const SUBJECT = /^[^\s.*>]+(\.[^\s.*>]+)*$/;

/**
 * The transactional outbox: events are rows written in the same transaction as the state change they announce,
 * so either both happen or neither. The relay publishes them after commit.
 */
export class Outbox {
  constructor(private readonly source: string) {}

  async add(em: EntityManager, events: NewEvent[]): Promise<void> {
    if (events.length === 0) return;
    if (!em.queryRunner?.isTransactionActive) {
      throw new Error('Outbox.add needs the EntityManager of an open transaction (use inTransaction)');
    }
    for (const e of events) {
      if (!SUBJECT.test(e.subject)) throw new Error(`invalid event subject "${e.subject}"`);
      if (!e.type) throw new Error('an event needs a type');
    }
    // The trace of the command that caused the events; the relay's publish span continues it.
    const carrier: Record<string, string> = {};
    injectTraceContext(carrier);
    const traceparent = carrier.traceparent ?? null;

    // One statement per chunk with a column per array parameter: a VALUES list would send thousands of parameters,
    // each its own buffer, and make PostgreSQL parse a new statement text every time.
    for (let i = 0; i < events.length; i += ROWS_PER_STATEMENT) {
      const chunk = events.slice(i, i + ROWS_PER_STATEMENT);
      await em.query(
        `INSERT INTO outbox (event_id, source, type, subject, entity, data, traceparent)
         SELECT e.event_id, $6, e.type, e.subject, e.entity, e.data, $7
           FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::bytea[]) AS e(event_id, type, subject, entity, data)`,
        [
          chunk.map((e) => e.id ?? newEventId()),
          chunk.map((e) => e.type),
          chunk.map((e) => e.subject),
          chunk.map((e) => e.entity),
          chunk.map((e) => toBuffer(e.data)),
          this.source,
          traceparent,
        ],
      );
    }
    // Delivered to listeners only when (and if) the transaction commits; repeats within one transaction fold into one.
    await em.query(`SELECT pg_notify($1, '')`, [OUTBOX_CHANNEL]);
  }
}

function toBuffer(data: Uint8Array): Buffer {
  return Buffer.isBuffer(data) ? data : Buffer.from(data.buffer, data.byteOffset, data.byteLength);
}
