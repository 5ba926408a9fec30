import { nanos } from '@nats-io/nats-core';
import {
  DiscardPolicy,
  JetStreamApiCodes,
  JetStreamApiError,
  RetentionPolicy,
  StorageType,
  type StreamConfig,
} from '@nats-io/jetstream';
import type { Bus } from './bus.js';

export type StreamBase = 'CREDIT_EVENTS' | 'SECTOR_EVENTS';

const ROOTS: Record<StreamBase, string> = { CREDIT_EVENTS: 'credit', SECTOR_EVENTS: 'sector' };

export interface StreamOptions {
  /** 3 in production (a JetStream cluster); 1 on a single server. */
  replicas?: number;
  /** Window in which a repeated Nats-Msg-Id is dropped; must outlast a relay retry. Default 2 minutes. */
  duplicateWindowMs?: number;
  /** 0 or absent: keep events for ever; read models and the credit check rebuild from the whole stream. */
  maxAgeDays?: number;
}

/** The stream's name on this bus: 't4f3a.' + 'CREDIT_EVENTS' → 'T4F3A_CREDIT_EVENTS'. */
export function streamName(bus: Pick<Bus, 'prefix'>, base: StreamBase): string {
  return bus.prefix.toUpperCase().replace(/[^A-Z0-9_-]/g, '_') + base;
}

/** Creates the platform's streams, or brings their configuration to the wanted one. Safe to call from every replica. */
export async function ensureStreams(bus: Bus, opts: StreamOptions = {}): Promise<void> {
  for (const base of Object.keys(ROOTS) as StreamBase[]) {
    await ensureStream(bus, wantedConfig(bus, base, opts));
  }
}

function wantedConfig(bus: Bus, base: StreamBase, opts: StreamOptions): StreamConfig {
  return {
    name: streamName(bus, base),
    subjects: [`${bus.prefix}${ROOTS[base]}.>`],
    storage: StorageType.File,
    retention: RetentionPolicy.Limits,
    discard: DiscardPolicy.Old,
    num_replicas: opts.replicas ?? 1,
    duplicate_window: nanos(opts.duplicateWindowMs ?? 120_000),
    max_age: nanos((opts.maxAgeDays ?? 0) * 86_400_000),
  } as StreamConfig;
}

async function ensureStream(bus: Bus, wanted: StreamConfig): Promise<void> {
  // Two attempts: a replica that loses the creation race finds the stream on its second look.
  for (let attempt = 0; ; attempt++) {
    try {
      const info = await bus.jsm.streams.info(wanted.name);
      if (differs(info.config, wanted)) {
        const { name, storage: _storage, retention: _retention, ...changeable } = wanted;
        await bus.jsm.streams.update(name, changeable);
      }
      return;
    } catch (err) {
      if (!isStreamNotFound(err)) throw err;
      try {
        await bus.jsm.streams.add(wanted);
        return;
      } catch (addErr) {
        if (attempt > 0) throw addErr;
      }
    }
  }
}

function differs(have: StreamConfig, want: StreamConfig): boolean {
  return (
    have.subjects.join(' ') !== want.subjects.join(' ') ||
    have.num_replicas !== want.num_replicas ||
    have.duplicate_window !== want.duplicate_window ||
    have.max_age !== want.max_age ||
    have.discard !== want.discard
  );
}

function isStreamNotFound(err: unknown): boolean {
  return err instanceof JetStreamApiError && err.code === JetStreamApiCodes.StreamNotFound;
}
