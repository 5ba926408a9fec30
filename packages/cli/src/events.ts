import { EntityRegistered, EntityUpdated, LegacyCodeMapped } from '@credit/contracts/credit/registry/v1/events.js';
import { connectBus, tailEvents, type CreditEvent } from '@credit/platform';
import type { Connection } from './connection.js';

interface Decoder {
  decode(bytes: Uint8Array): unknown;
  toJSON(message: never): unknown;
}

// Event types the CLI can show decoded; others are shown with their size only.
const DECODERS: Record<string, Decoder> = {
  'credit.registry.v1.EntityRegistered': EntityRegistered,
  'credit.registry.v1.EntityUpdated': EntityUpdated,
  'credit.registry.v1.LegacyCodeMapped': LegacyCodeMapped,
};

export function describeEvent(e: CreditEvent): string {
  const decoder = DECODERS[e.type];
  const body = decoder ? JSON.stringify(decoder.toJSON(decoder.decode(e.data) as never)) : `(${e.data.length} bytes)`;
  return `${e.time.toISOString()} ${e.subject} ${e.type} id=${e.id} source=${e.source} entity=${e.entity}\n  ${body}`;
}

export async function tailCommand(
  conn: Connection,
  subject: string,
  opts: { fromStart: boolean; limit?: number; prefix?: string },
  out: (l: string) => void,
  signal?: AbortSignal,
): Promise<number> {
  const bus = await connectBus({ url: conn.nats, name: 'credit-cli', prefix: opts.prefix ?? '' });
  const stop = new AbortController();
  signal?.addEventListener('abort', () => stop.abort(), { once: true });
  let seen = 0;
  try {
    await tailEvents(bus, { subject, fromStart: opts.fromStart, signal: stop.signal }, (e) => {
      // Closing the consumer is not immediate: messages already fetched still arrive and must not pass the limit.
      if (stop.signal.aborted) return;
      out(describeEvent(e));
      if (opts.limit !== undefined && ++seen >= opts.limit) stop.abort();
    });
    return 0;
  } finally {
    await bus.close();
  }
}
