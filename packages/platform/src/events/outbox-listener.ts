import pg from 'pg';
import type { Logger } from '../logger.js';
import { OUTBOX_CHANNEL } from './outbox.js';

/**
 * A dedicated connection LISTENing for the outbox's NOTIFY, so the relay publishes right after a commit instead of at
 * its next poll. It reconnects on its own; polling covers the gap, and a (re)connect also wakes the relay in case
 * a notification was missed meanwhile.
 */
export class OutboxListener {
  private client?: pg.Client;
  private stopped = false;
  private retry?: NodeJS.Timeout;
  private failures = 0;

  constructor(
    private readonly connectionString: string,
    private readonly onNotify: () => void,
    private readonly logger: Logger,
  ) {}

  start(): void {
    this.stopped = false;
    void this.connect();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.retry);
    const c = this.client;
    this.client = undefined;
    await c?.end().catch(() => undefined);
  }

  private async connect(): Promise<void> {
    const client = new pg.Client({ connectionString: this.connectionString, application_name: 'outbox-relay-listen' });
    client.on('notification', () => this.onNotify());
    client.on('error', (err) => this.lost(client, err));
    client.on('end', () => this.lost(client));
    try {
      await client.connect();
      await client.query(`LISTEN ${OUTBOX_CHANNEL}`);
      if (this.stopped) {
        await client.end();
        return;
      }
      this.client = client;
      this.failures = 0;
      this.onNotify();
    } catch (err) {
      this.lost(client, err);
    }
  }

  private lost(client: pg.Client, err?: unknown): void {
    // Ignore echoes: a stale client's late 'end', or the 'error' and 'end' of one failure arriving both.
    if (this.stopped || this.retry || (this.client && this.client !== client)) return;
    this.client = undefined;
    client.end().catch(() => undefined);
    this.logger.warn({ err }, 'outbox LISTEN connection lost; relying on polling until it is back');
    const wait = Math.min(30_000, 500 * 2 ** this.failures++);
    this.retry = setTimeout(() => {
      this.retry = undefined;
      void this.connect();
    }, wait);
  }
}
