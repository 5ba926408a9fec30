import { Worker } from 'node:worker_threads';
import type { Prepared, PrepareJob } from './prepare-rows.js';

/**
 * Validation of stream batches on worker threads, so the service's main thread only stores, answers and publishes:
 * validation and the derived values are a third of the work of a record. Batches go round-robin; the item's schema
 * is sent to a thread once per catalog item and version.
 */
export class PreparePool {
  private readonly workers: { worker: Worker; knows: Set<string> }[];
  private readonly waiting = new Map<number, { resolve(p: Prepared[]): void; reject(e: Error): void }>();
  private next = 0;
  private turn = 0;
  private closed = false;

  constructor(size: number) {
    this.workers = Array.from({ length: size }, () => {
      // The thread runs the compiled worker: a resolution condition for TypeScript sources (set in tests) must not follow it.
      const execArgv = process.execArgv.filter((a) => !a.startsWith('--conditions') && !a.startsWith('-C'));
      const worker = new Worker(new URL('./prepare-worker.js', import.meta.url), { execArgv });
      worker.on('message', (m: { id: number; prepared?: Prepared[]; error?: string }) => {
        const w = this.waiting.get(m.id);
        if (!w) return;
        this.waiting.delete(m.id);
        if (m.prepared) w.resolve(m.prepared);
        else w.reject(new Error(`validation thread failed: ${m.error}`));
      });
      worker.on('error', (err) => this.failAll(err));
      worker.on('exit', (code) => {
        if (!this.closed) this.failAll(new Error(`validation thread exited with code ${code}`));
      });
      worker.unref();
      return { worker, knows: new Set<string>() };
    });
  }

  prepare(job: PrepareJob): Promise<Prepared[]> {
    if (this.closed) return Promise.reject(new Error('validation threads stopped'));
    const slot = this.workers[this.turn++ % this.workers.length]!;
    const id = this.next++;
    const itemKey = `${job.item.code}@${job.catalogVersion}`;
    const first = !slot.knows.has(itemKey);
    slot.knows.add(itemKey);
    const { item, ...rest } = job;
    return new Promise<Prepared[]>((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      slot.worker.postMessage({ id, itemKey, ...(first ? { item } : {}), job: rest });
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(this.workers.map((w) => w.worker.terminate()));
    this.failAll(new Error('validation threads stopped'));
  }

  private failAll(err: Error): void {
    for (const w of this.waiting.values()) w.reject(err);
    this.waiting.clear();
  }
}
