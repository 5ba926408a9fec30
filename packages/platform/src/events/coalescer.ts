/**
 * Runs `flush` on the items added, one call at a time: items added while a call is under way wait for it and then go
 * together in the next. Each `add` resolves when the call that carried its items has, and rejects with its error.
 */
export class Coalescer<T> {
  private items: T[] = [];
  private waiters: { resolve: () => void; reject: (err: unknown) => void }[] = [];
  private flushing = false;

  constructor(private readonly flush: (items: T[]) => Promise<unknown>) {}

  add(items: T[]): Promise<void> {
    return new Promise((resolve, reject) => {
      for (const item of items) this.items.push(item);
      this.waiters.push({ resolve, reject });
      if (!this.flushing) void this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.flushing = true;
    while (this.waiters.length > 0) {
      const items = this.items;
      const waiters = this.waiters;
      this.items = [];
      this.waiters = [];
      try {
        await this.flush(items);
        for (const w of waiters) w.resolve();
      } catch (err) {
        for (const w of waiters) w.reject(err);
      }
    }
    this.flushing = false;
  }
}
