import type { JsMsg } from '@nats-io/jetstream';
import type { DataSource } from 'typeorm';
import { headersToJson } from './envelope.js';

/** Keeps a message the consumer gives up on, whole, so an operator can see why and replay it. */
export async function recordDeadLetter(
  ds: DataSource,
  consumer: string,
  msg: JsMsg,
  error: unknown,
  eventId?: string,
  type?: string,
): Promise<void> {
  const headers = headersToJson(msg.headers);
  await ds.query(
    `INSERT INTO dead_letter (consumer, event_id, subject, type, headers, data, error, deliveries)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
    [
      consumer,
      eventId ?? headers['ce-id']?.[0] ?? null,
      msg.subject,
      type ?? headers['ce-type']?.[0] ?? null,
      JSON.stringify(headers),
      Buffer.from(msg.data),
      describe(error),
      msg.info.deliveryCount,
    ],
  );
}

function describe(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`.slice(0, 4000);
  return String(error).slice(0, 4000);
}
