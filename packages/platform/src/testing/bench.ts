import { readdirSync, readFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import type { Bus } from '../events/bus.js';

/** One figure of a bench, beside the raw limit of the same stack measured in the same run. */
export interface BenchRow {
  figure: string;
  value: number;
  unit: string;
  raw?: { name: string; value: number };
}

/** Resident memory of a process now (VmRSS) or at its peak so far (VmHWM), in MB. */
export function rssOf(pid: number, which: 'now' | 'peak' = 'now'): number {
  const key = which === 'now' ? 'VmRSS' : 'VmHWM';
  const m = new RegExp(`${key}:\\s+(\\d+) kB`).exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}

/**
 * JetStream async publish of 512-byte messages with a msgID, 1,000 in flight: the raw publish limit. One run of a few
 * seconds moves by ±15 % with what else the machine does, so the limit is the best of three.
 */
export async function rawPublishPerSecond(bus: Bus, n: number, runs = 3): Promise<number> {
  let best = 0;
  for (let run = 0; run < runs; run++) best = Math.max(best, await publishRun(bus, n, run));
  return best;
}

async function publishRun(bus: Bus, n: number, run: number): Promise<number> {
  const payload = new Uint8Array(512).fill(7);
  const subject = `${bus.prefix}credit.bench.v1.raw`;
  const start = performance.now();
  let inFlight: Promise<unknown>[] = [];
  for (let i = 0; i < n; i++) {
    inFlight.push(bus.js.publish(subject, payload, { msgID: `raw-${run}-${i}` }));
    if (inFlight.length >= 1000) {
      await Promise.all(inFlight);
      inFlight = [];
    }
  }
  await Promise.all(inFlight);
  return n / ((performance.now() - start) / 1000);
}

/**
 * An open-loop load: `fire(i, due)` is called `rate` times a second for `seconds`, each at its due time (ms, on
 * performance.now()'s clock) whatever earlier calls are doing, so a slow system meets the load it would meet in
 * production instead of a load that slows down with it; then waits for every call. Timers are ~1 ms coarse: a call
 * less than a millisecond ahead is fired at once.
 */
export async function openLoop(rate: number, seconds: number, fire: (i: number, due: number) => unknown): Promise<void> {
  const total = Math.round(rate * seconds);
  const start = performance.now();
  const pending: unknown[] = [];
  for (let i = 0; i < total; i++) {
    const due = start + (i * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    pending.push(fire(i, due));
  }
  await Promise.all(pending);
}

/** The markdown table BENCHMARKS.md takes, headed by the date and the machine. */
export function printBenchTable(title: string, rows: BenchRow[], print: (line: string) => void = console.log): void {
  const fmt = (n: number) => (n >= 100 ? Math.round(n).toLocaleString('en-US') : n.toFixed(1));
  print(`\n${title} bench · ${new Date().toISOString().slice(0, 10)} · ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'} · ${Math.round(totalmem() / 2 ** 30)} GiB · node ${process.version}`);
  const stall = kernelSamplerNote();
  if (stall) print(stall);
  print('| figure | value | raw limit (same run) | ratio |');
  print('|---|---|---|---|');
  for (const r of rows) {
    const raw = r.raw ? `${r.raw.name}: ${fmt(r.raw.value)}` : '';
    const ratio = r.raw ? (r.value / r.raw.value).toFixed(2) : '';
    print(`| ${r.figure} | ${fmt(r.value)} ${r.unit} | ${raw} | ${ratio} |`);
  }
}

const DAMON = '/sys/kernel/mm/damon/admin/kdamonds';

/**
 * A line for the table's head when the kernel runs DAMON (kdamond) on this machine. On the project's virtual machines
 * it samples physical memory every 500 ms to page out cold regions, and each pass stalls every process for tens of
 * milliseconds: the credit check stream's p99 at 5,000/s read 23–65 ms with it and 4.5–16.6 ms with it stopped
 * (BENCHMARKS.md, ninth session). Tail latencies of such a run are the machine's as much as the code's.
 */
function kernelSamplerNote(): string | undefined {
  try {
    const running = readdirSync(DAMON).filter((d) => /^\d+$/.test(d) && readFileSync(`${DAMON}/${d}/state`, 'utf8').trim() === 'on');
    if (running.length === 0) return undefined;
    const sample = Number(readFileSync(`${DAMON}/${running[0]}/contexts/0/monitoring_attrs/intervals/sample_us`, 'utf8')) / 1000;
    return `note: the kernel's DAMON sampler (kdamond) is on, sampling every ${sample} ms: expect latency tails at that period`;
  } catch {
    return undefined;
  }
}
