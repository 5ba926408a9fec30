import type { EntityManager } from 'typeorm';
import { afterCommit, deferWrite } from '../db/transaction.js';
import { injectTraceContext } from '../telemetry/index.js';
import type { NewEvent } from './envelope.js';
import { timeOrderedId } from '../time-ordered-id.js';

/** The channel the outbox NOTIFYs on commit; the relay LISTENs on it. */
export const OUTBOX_CHANNEL = 'credit_outbox';

const ROWS_PER_STATEMENT = 1000;
// A NATS subject token: no whitespace, no wildcards, not empty.
const SUBJECT = /^[^\s.*>]+(\.[^\s.*>]+)*$/;

/** An outbox row as the relay publishes it. */
export interface OutboxEntry {
  id: string;
  event_id: string;
  source: string;
  type: string;
  subject: string;
  entity: string;
  data: Buffer;
  traceparent: string | null;
  created_at: Date;
  attempts: number;
}

/**
 * Where the outbox hands the rows of a committed transaction for publishing (the relay of the same process). Handed
 * rows are written leased: no relay claims them from the table before the lease ends, so a healthy process publishes
 * them once without reading them back, and if it dies first any relay publishes them after the lease.
 */
export interface OutboxHandOff {
  /** False while the relay is not running: rows are then written for the next claim, as without a hand-off. */
  readonly accepting: boolean;
  readonly leaseMs: number;
  accept(entries: OutboxEntry[]): void;
}

/**
 * The transactional outbox: events are rows written in the same transaction as the state change they announce,
 * so either both happen or neither. The relay publishes them after commit.
 */
export class Outbox {
  constructor(
    private readonly source: string,
    private readonly handOff?: OutboxHandOff,
  ) {}

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
    const createdAt = new Date();

    const handOff = this.handOff?.accepting ? this.handOff : undefined;
    const entries: OutboxEntry[] = [];
    const handedOff = handOff !== undefined && afterCommit(em, () => handOff.accept(entries));
    const leaseMs = handedOff ? handOff.leaseMs : 0;

    // One statement per chunk with a column per array parameter: a VALUES list would send thousands of parameters,
    // each its own buffer, and make PostgreSQL parse a new statement text every time.
    for (let i = 0; i < events.length; i += ROWS_PER_STATEMENT) {
      const chunk = events.slice(i, i + ROWS_PER_STATEMENT);
      const eventIds = chunk.map((e) => e.id ?? timeOrderedId());
      const data = chunk.map((e) => toBuffer(e.data));
      // The hand-off's entries, once the rows' ids are known.
      const written = (rows: Record<string, unknown>[]) => {
        // RETURNING's order is not promised to follow the input's: match rows by event id.
        const rowIds = new Map(rows.map((r) => [String(r.event_id), String(r.id)]));
        chunk.forEach((e, k) =>
          entries.push({
            id: rowIds.get(eventIds[k]!.toLowerCase())!,
            event_id: eventIds[k]!,
            source: this.source,
            type: e.type,
            subject: e.subject,
            entity: e.entity,
            data: data[k]!,
            traceparent,
            created_at: createdAt,
            attempts: 0,
          }),
        );
      };
      // Sent with the transaction's other writes at COMMIT; the hand-off needs the row ids only after it.
      await deferWrite(em, {
        sql: `INSERT INTO outbox (event_id, source, type, subject, entity, data, traceparent, created_at, next_attempt_at)
         SELECT e.event_id, $6, e.type, e.subject, e.entity, e.data, $7, $8, now() + $9 * interval '1 millisecond'
           FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::bytea[]) AS e(event_id, type, subject, entity, data)
         ${handedOff ? 'RETURNING id, event_id' : ''}`,
        params: [eventIds, chunk.map((e) => e.type), chunk.map((e) => e.subject), chunk.map((e) => e.entity), data, this.source, traceparent, createdAt, leaseMs],
        ...(handedOff ? { onRows: written } : {}),
      });
    }
    // Without a hand-off, wake the relays: delivered only when (and if) the transaction commits; repeats within one
    // transaction fold into one.
    if (!handedOff) await em.query(`SELECT pg_notify($1, '')`, [OUTBOX_CHANNEL]);
  }
}

function toBuffer(data: Uint8Array): Buffer {
  return Buffer.isBuffer(data) ? data : Buffer.from(data.buffer, data.byteOffset, data.byteLength);
}
