import { nuid, type Msg, type Subscription } from '@nats-io/nats-core';
import type { Bus } from './bus.js';
import { type CreditEvent, wireHeaders } from './envelope.js';

// JetStream answers a stored message with `{"stream":…,"seq":…}` and puts `"error"` first in any refusal, so these
// bytes at the start mean stored and spare a decode and a JSON parse per event.
const STORED = new TextEncoder().encode('{"stream":');

function startsWith(data: Uint8Array, prefix: Uint8Array): boolean {
  if (data.length < prefix.length) return false;
  for (let i = 0; i < prefix.length; i++) if (data[i] !== prefix[i]) return false;
  return true;
}

interface Pending {
  resolve(): void;
  reject(err: Error): void;
  deadline: number;
}

/**
 * Publishes to JetStream with many acknowledgements in flight on one reply subscription. `js.publish` builds a
 * request (an inbox, a timer and two error objects for stack traces) per message, which cost the relay a quarter of
 * its CPU; here a publish is one core NATS message and a map entry, and one sweep times out what got no answer.
 * The server's answer is the same PubAck (or error, or a 503 "no responders" status when no stream takes the subject).
 */
export class AckingPublisher {
  private readonly inbox: string;
  private readonly pending = new Map<string, Pending>();
  private readonly subscription: Subscription;
  private readonly sweeper: NodeJS.Timeout;
  private next = 0;

  constructor(
    private readonly bus: Bus,
    private readonly timeoutMs = 5_000,
  ) {
    this.inbox = `_INBOX.${nuid.next()}`;
    this.subscription = bus.nc.subscribe(`${this.inbox}.*`, { callback: (_err, msg) => this.settle(msg) });
    this.sweeper = setInterval(() => this.expire(), Math.min(250, timeoutMs)).unref();
  }

  /** Resolves when the subscription for answers is known to the server. */
  ready(): Promise<void> {
    return this.bus.nc.flush();
  }

  publish(e: CreditEvent): Promise<void> {
    const token = (this.next++).toString(36);
    return new Promise<void>((resolve, reject) => {
      this.pending.set(token, { resolve, reject, deadline: Date.now() + this.timeoutMs });
      try {
        this.bus.nc.publish(this.bus.prefix + e.subject, e.data, { reply: `${this.inbox}.${token}`, headers: wireHeaders(e) });
      } catch (err) {
        this.pending.delete(token);
        reject(err as Error);
      }
    });
  }

  close(): void {
    clearInterval(this.sweeper);
    this.subscription.unsubscribe();
    this.failAll(new Error('publisher closed'));
  }

  private settle(msg: Msg): void {
    const token = msg.subject.slice(this.inbox.length + 1);
    const waiting = this.pending.get(token);
    if (!waiting) return;
    this.pending.delete(token);
    if (msg.headers?.hasError) {
      waiting.reject(new Error(`JetStream did not take the message: ${msg.headers.code} ${msg.headers.description}`));
      return;
    }
    if (startsWith(msg.data, STORED)) {
      waiting.resolve();
      return;
    }
    try {
      const ack = msg.json<{ error?: { code: number; description: string }; stream?: string }>();
      if (ack.error) waiting.reject(new Error(`JetStream refused the message: ${ack.error.code} ${ack.error.description}`));
      else waiting.resolve();
    } catch (err) {
      waiting.reject(err as Error);
    }
  }

  private expire(): void {
    const now = Date.now();
    for (const [token, waiting] of this.pending) {
      if (waiting.deadline > now) continue;
      this.pending.delete(token);
      waiting.reject(new Error(`no acknowledgement from JetStream within ${this.timeoutMs} ms`));
    }
  }

  private failAll(err: Error): void {
    for (const waiting of this.pending.values()) waiting.reject(err);
    this.pending.clear();
  }
}
