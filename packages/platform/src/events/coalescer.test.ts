import { describe, expect, it } from 'vitest';
import { Coalescer } from './coalescer.js';

/** A flush whose calls are recorded and finish only when the test says. */
function controlledFlush() {
  const calls: { items: string[]; finish(err?: Error): void }[] = [];
  const flush = (items: string[]) =>
    new Promise<void>((resolve, reject) => calls.push({ items, finish: (err) => (err ? reject(err) : resolve()) }));
  return { calls, flush };
}

const settled = () => new Promise((r) => setImmediate(r));

describe('Coalescer', () => {
  it('sends the first items at once and those added meanwhile together, after it', async () => {
    const { calls, flush } = controlledFlush();
    const c = new Coalescer(flush);
    const done: string[] = [];
    const a = c.add(['a']).then(() => done.push('a'));
    const b = c.add(['b1', 'b2']).then(() => done.push('b'));
    const d = c.add(['d']).then(() => done.push('d'));
    await settled();
    expect(calls.map((x) => x.items)).toEqual([['a']]);
    calls[0]!.finish();
    await a;
    await settled();
    expect(done).toEqual(['a']);
    expect(calls.map((x) => x.items)).toEqual([['a'], ['b1', 'b2', 'd']]);
    calls[1]!.finish();
    await Promise.all([b, d]);
    expect(done).toEqual(['a', 'b', 'd']);
  });

  it('rejects only the adds whose call failed, and carries on with the next', async () => {
    const { calls, flush } = controlledFlush();
    const c = new Coalescer(flush);
    const first = c.add(['x']);
    const second = c.add(['y']);
    await settled();
    calls[0]!.finish(new Error('database gone'));
    await expect(first).rejects.toThrow('database gone');
    await settled();
    calls[1]!.finish();
    await expect(second).resolves.toBeUndefined();
    const third = c.add(['z']);
    await settled();
    expect(calls.map((x) => x.items)).toEqual([['x'], ['y'], ['z']]);
    calls[2]!.finish();
    await third;
  });

  it('sends an add with no items as its own call rather than losing its resolution', async () => {
    const { calls, flush } = controlledFlush();
    const c = new Coalescer(flush);
    const empty = c.add([]);
    await settled();
    calls[0]!.finish();
    await expect(empty).resolves.toBeUndefined();
  });
});
