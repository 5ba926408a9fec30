import { describe, expect, it } from 'vitest';
import { formatBytes, Progress } from './progress.js';

function logProgress(opts: { tty: boolean }) {
  const clock = { ms: 0 };
  const lines: string[] = [];
  const written: string[] = [];
  let fraction = 0;
  const progress = new Progress(
    { tty: opts.tty, out: (l) => lines.push(l), write: (t) => written.push(t), now: () => clock.ms },
    (seconds) => `at ${seconds}s`,
    () => fraction,
  );
  return { progress, clock, lines, written, advance: (f: number) => (fraction = f) };
}

describe('progress in a log', () => {
  it('prints a line each time another tenth of the work is done', () => {
    const { progress, clock, lines, advance } = logProgress({ tty: false });
    for (const f of [0.05, 0.1, 0.15, 0.2, 0.35]) {
      clock.ms += 100;
      advance(f);
      progress.tick();
    }
    expect(lines).toEqual(['at 0.2s', 'at 0.4s', 'at 0.5s']);
  });

  it('prints a line every five seconds when the work advances slowly', () => {
    const { progress, clock, lines, advance } = logProgress({ tty: false });
    advance(0.01);
    for (let i = 0; i < 12; i++) {
      clock.ms += 1000;
      progress.tick();
    }
    expect(lines).toEqual(['at 5s', 'at 10s']);
  });
});

describe('progress on a terminal', () => {
  it('rewrites one line at most twice a second and ends it when stopped', () => {
    const { progress, clock, lines, written, advance } = logProgress({ tty: true });
    for (let i = 0; i < 10; i++) {
      clock.ms += 200;
      advance(i / 10);
      progress.tick();
    }
    progress.stop();
    expect(lines).toEqual([]);
    expect(written).toEqual(['\rat 0.6s\x1b[K', '\rat 1.2s\x1b[K', '\rat 1.8s\x1b[K', '\n']);
  });

  it('writes nothing when the work ends before the first update', () => {
    const { progress, clock, written } = logProgress({ tty: true });
    clock.ms += 100;
    progress.tick();
    progress.stop();
    expect(written).toEqual([]);
  });
});

describe('byte counts', () => {
  it('are shown in the largest unit that keeps them at least one', () => {
    expect([0, 1023, 1536, 5 * 1024 * 1024, 3 * 1024 ** 3].map(formatBytes)).toEqual(['0 B', '1023 B', '1.5 KB', '5.0 MB', '3.0 GB']);
  });
});
