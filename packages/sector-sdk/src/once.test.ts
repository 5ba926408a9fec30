import { describe, expect, it } from 'vitest';
import { MemoryProcessedEvents, once } from './once.js';

describe('once with MemoryProcessedEvents', () => {
  it('does the work for the first delivery and skips a repeat', async () => {
    const store = new MemoryProcessedEvents();
    const done: string[] = [];
    const first = await once(store, 'ev-1', async () => done.push('a'));
    const repeat = await once(store, 'ev-1', async () => done.push('b'));
    expect(first).toEqual({ done: true, result: 1 });
    expect(repeat).toEqual({ done: false });
    expect(done).toEqual(['a']);
  });

  it('does not record the id when the work fails, so the redelivery does the work', async () => {
    const store = new MemoryProcessedEvents();
    await expect(once(store, 'ev-2', async () => Promise.reject(new Error('constraint violated')))).rejects.toThrow('constraint violated');
    expect(store.has('ev-2')).toBe(false);
    expect(await once(store, 'ev-2', async () => 'ok')).toEqual({ done: true, result: 'ok' });
  });

  it('keeps only the newest ids up to its capacity', async () => {
    const store = new MemoryProcessedEvents(3);
    for (const id of ['a', 'b', 'c', 'd']) await once(store, id, async () => undefined);
    expect(store.size).toBe(3);
    expect(['a', 'b', 'c', 'd'].map((id) => store.has(id))).toEqual([false, true, true, true]);
  });

  it('refuses an empty event id and a nonsense capacity', async () => {
    await expect(once(new MemoryProcessedEvents(), '', async () => undefined)).rejects.toThrow('eventId is required');
    expect(() => new MemoryProcessedEvents(0)).toThrow('capacity');
  });
});
