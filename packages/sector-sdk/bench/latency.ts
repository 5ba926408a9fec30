// `npm run bench -w @credit/sector-sdk`: black-list entry effective → SDK handler called, at 200 decisions/s, after a
// warm-up at the same rate (BENCH_WARMUP_SECONDS, default 10); the sector system runs in a process of its own
// (bench/sector-system.ts).
// The lists service runs as its own process (services/lists/dist/main.js: build it first). Each decision is a
// ProposeEntry + NotifySubject on a list type with no notice period, so it takes effect on the notify. Printed beside
// the raw limit of the same stack measured in the same run at the same rate: JetStream publish → pull consume.
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type * as grpc from '@grpc/grpc-js';
import { AckPolicy, DeliverPolicy } from '@nats-io/jetstream';
import { callUnary, connectBus, createClient, ensureStreams, streamName } from '@credit/platform';
import {
  TEST_TOKEN_SECRET,
  cleanupBus,
  freePort,
  openLoop,
  printBenchTable,
  testDatabase,
  testNatsUrl,
  testToken,
  uniquePrefix,
  type BenchRow,
} from '@credit/platform/testing';
import { composeUscc } from '@credit/standards';
import * as pb from '../src/gen/credit/lists/v1/lists.js';

const RATE = Number(process.env.BENCH_RATE ?? 200);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 20);
const RAW_SECONDS = Number(process.env.BENCH_RAW_SECONDS ?? 10);
// Decisions driven at the same rate before measuring, not counted: the first seconds of a fresh process (JIT, the pool's
// connections opening and preparing their statements) are not its steady state. 0 measures from the first decision.
const WARMUP_SECONDS = Number(process.env.BENCH_WARMUP_SECONDS ?? 10);
const MAIN = fileURLToPath(new URL('../../../services/lists/dist/main.js', import.meta.url));
const LIST_TYPE = 'bench_judgment_debtor';
const MEASURE = 'bench_restrict_procurement';

const office = testToken({ department: 'ndrc', role: 'office', subject: 'office-officer' });
const court = testToken({ department: 'court', role: 'department', subject: 'court-officer' });
const finance = testToken({ department: 'finance', role: 'sector', subject: 'procurement-system' });

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

const rows: BenchRow[] = [];
const natsUrl = await testNatsUrl();
const prefix = uniquePrefix();
const db = await testDatabase();
const bus = await connectBus({ url: natsUrl, name: 'sector-sdk-bench', prefix });
await ensureStreams(bus);
const port = await freePort();
// The young generation the lists ConfigMap gives the service in production (NODE_OPTIONS there).
const child = spawn(process.execPath, [...(process.env.BENCH_PROFILE ? ['--cpu-prof', '--cpu-prof-dir', process.env.BENCH_PROFILE] : []), `--max-semi-space-size=${process.env.BENCH_SEMI_SPACE_MB ?? 32}`, MAIN], {
  env: {
    ...process.env,
    DATABASE_URL: db.url,
    NATS_URL: natsUrl,
    NATS_SUBJECT_PREFIX: prefix,
    AUTH_TOKEN_SECRET: TEST_TOKEN_SECRET,
    LISTS_GRPC_PORT: String(port),
    LISTS_METRICS_PORT: '0',
    LOG_LEVEL: 'warn',
  },
  stdio: ['ignore', 'inherit', 'inherit'],
});
let sectorSystem: ChildProcess | undefined;
process.once('exit', () => {
  child.kill('SIGKILL');
  sectorSystem?.kill('SIGKILL');
});
const address = `127.0.0.1:${port}`;
const asOffice = createClient(pb.ListsServiceClient, address, { token: office, deadlineMs: 30_000 }) as unknown as grpc.Client;
const asCourt = createClient(pb.ListsServiceClient, address, { token: court, deadlineMs: 30_000 }) as unknown as grpc.Client;

try {
  const until = Date.now() + 30_000;
  for (;;) {
    const ok = await callUnary(asOffice, 'listListTypes', {}).then(() => true, () => false);
    if (ok) break;
    if (Date.now() > until) throw new Error('the lists service did not become ready');
    await new Promise((r) => setTimeout(r, 50));
  }
  await callUnary(asOffice, 'defineListType', {
    requestId: 'bench-list-type',
    listType: {
      code: LIST_TYPE,
      name: '失信被执行人（基准测试）',
      colour: pb.ListColour.LIST_COLOUR_BLACK,
      ownerDepartment: 'court',
      criteria: '拒不履行生效法律文书确定的义务',
      legalBasis: '《最高人民法院关于公布失信被执行人名单信息的若干规定》',
      validityDays: 0,
      noticeWorkingDays: 0,
      objectionWorkingDays: 15,
      feedbackWorkingDays: 10,
    },
  });
  await callUnary(asOffice, 'defineMeasure', {
    requestId: 'bench-measure',
    measure: {
      code: MEASURE,
      name: '限制参与政府采购',
      kind: pb.MeasureKind.MEASURE_KIND_PUNISHMENT,
      implementingDepartment: 'finance',
      listTypes: [LIST_TYPE],
      ratings: [],
      activities: ['government_procurement'],
      legalBasis: '《中华人民共和国政府采购法》第二十二条',
    },
  });

  // The sector system runs in a process of its own, as it would in production: the bench's gRPC driving does not
  // share its event loop. Decision → handler, per entry: from effective_at (the server's clock, same machine), from
  // the entry's storage in JetStream, and from the NotifySubject call's start.
  sectorSystem = spawn(process.execPath, [...process.execArgv, fileURLToPath(new URL('./sector-system.ts', import.meta.url))], {
    env: {
      ...process.env,
      BENCH_NATS_URL: natsUrl,
      BENCH_LISTS_ADDRESS: address,
      BENCH_SECTOR_TOKEN: finance,
      BENCH_SUBJECT_PREFIX: prefix,
      BENCH_LIST_TYPE: LIST_TYPE,
    },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const exited = once(sectorSystem, 'exit').then(() => Promise.reject(new Error('the sector system exited')));
  exited.catch(() => undefined);
  await Promise.race([once(sectorSystem, 'message'), exited]);
  const ask = async <T>(question: 'report' | 'count'): Promise<T> => {
    const answer = once(sectorSystem!, 'message');
    sectorSystem!.send(question);
    return (await Promise.race([answer, exited]))[0] as T;
  };
  const callStart = new Map<string, number>();

  const decide = async (i: number, measured: boolean): Promise<void> => {
    const body = String(10_000_000 + i).padStart(8, '0');
    const proposed = await callUnary<pb.ProposeEntryRequest, pb.ProposeEntryResponse>(asCourt, 'proposeEntry', {
      requestId: `bench-propose-${i}`,
      listType: LIST_TYPE,
      entityCode: composeUscc('91', '540102', body),
      entityName: `拉萨基准测试${i}有限公司`,
      facts: '拒不履行生效判决',
      decisionDocument: `(2026)藏01执${i}号`,
      legalBasis: '',
      decidedOn: '2026-11-20',
    });
    const id = proposed.entry!.id;
    if (measured) callStart.set(id, Date.now());
    await callUnary(asCourt, 'notifySubject', { requestId: `bench-notify-${i}`, entryId: id, reason: '已告知' });
  };
  const warmup = Math.round(RATE * WARMUP_SECONDS);
  await openLoop(RATE, WARMUP_SECONDS, (i) => decide(i, false));
  const total = Math.round(RATE * SECONDS);
  const driveStart = performance.now();
  await openLoop(RATE, SECONDS, (i) => decide(warmup + i, true));
  // When the service falls behind, calls queue: this is the rate it actually answered at.
  const answeredRate = total / ((performance.now() - driveStart) / 1000);
  // The handler has seen every warm-up and measured entry, or the drain gave up: then the records, once.
  const drainUntil = Date.now() + 60_000;
  while ((await ask<{ count: number }>('count')).count < warmup + total && Date.now() < drainUntil) {
    await new Promise((r) => setTimeout(r, 200));
  }
  const measured = (await ask<{ seen: [string, number, number, number][] }>('report')).seen.filter(([id]) => callStart.has(id));
  const handled = measured.length;
  const fromEffective: number[] = [];
  const fromCall: number[] = [];
  const fromStored: number[] = [];
  for (const [id, at, effectiveAt, storedAt] of measured) {
    fromCall.push(at - callStart.get(id)!);
    if (!Number.isNaN(effectiveAt)) fromEffective.push(at - effectiveAt);
    if (!Number.isNaN(storedAt)) fromStored.push(at - storedAt);
  }
  // BENCH_TIMELINE=<file>: per measured entry, when its handler ran, effective → handler and stored → handler (ms),
  // to see when the slow ones happen.
  if (process.env.BENCH_TIMELINE) {
    writeFileSync(process.env.BENCH_TIMELINE, measured.map(([, at, e, st]) => `${at} ${at - e} ${at - st}`).join('\n'));
  }
  if (handled < total) throw new Error(`only ${handled} of ${total} entries reached the handler`);

  // Raw: the same broker, the same rate, a 512-byte message published and pulled by a durable on another subject.
  const rawSubject = `${prefix}credit.bench.v1.latency`;
  await bus.jsm.consumers.add(streamName(bus, 'CREDIT_EVENTS'), {
    durable_name: 'bench_raw_latency',
    filter_subject: rawSubject,
    ack_policy: AckPolicy.Explicit,
    deliver_policy: DeliverPolicy.New,
  });
  const rawLatency: number[] = [];
  const rawWarmup = Math.round(RATE * Math.min(WARMUP_SECONDS, 2));
  const consumer = await bus.js.consumers.get(streamName(bus, 'CREDIT_EVENTS'), 'bench_raw_latency');
  const messages = await consumer.consume({ max_messages: 64 });
  const pulling = (async () => {
    for await (const m of messages) {
      const view = new DataView(m.data.buffer, m.data.byteOffset);
      if (view.getFloat64(8) === 1) rawLatency.push(Date.now() - view.getFloat64(0));
      m.ack();
    }
  })();
  const rawTotal = Math.round(RATE * RAW_SECONDS);
  const publishRaw = async (i: number, measured: boolean) => {
    const payload = new Uint8Array(512);
    const view = new DataView(payload.buffer);
    view.setFloat64(0, Date.now());
    view.setFloat64(8, measured ? 1 : 0);
    await bus.js.publish(rawSubject, payload, { msgID: `raw-${i}` });
  };
  await openLoop(RATE, rawWarmup / RATE, (i) => publishRaw(i, false));
  await openLoop(RATE, RAW_SECONDS, (i) => publishRaw(rawWarmup + i, true));
  while (rawLatency.length < rawTotal) await new Promise((r) => setTimeout(r, 20));
  messages.stop();
  await pulling;

  const sort = (xs: number[]) => [...xs].sort((a, b) => a - b);
  const eff = sort(fromEffective);
  const call = sort(fromCall);
  const raw = sort(rawLatency);
  rows.push({ figure: `decisions offered at ${RATE}/s for ${SECONDS} s after ${WARMUP_SECONDS} s of warm-up, entries reaching the handler`, value: handled, unit: 'entries' });
  rows.push({ figure: '  decisions answered (Propose + Notify) per second', value: answeredRate, unit: '/s' });
  rows.push({ figure: 'effective_at → handler, p50 (target ≤ 5 ms)', value: percentile(eff, 50), unit: 'ms', raw: { name: 'JetStream publish → pull consume p50', value: percentile(raw, 50) } });
  rows.push({ figure: 'effective_at → handler, p99 (target ≤ 25 ms)', value: percentile(eff, 99), unit: 'ms', raw: { name: 'JetStream publish → pull consume p99', value: percentile(raw, 99) } });
  const stored = sort(fromStored);
  rows.push({ figure: '  of which stored in JetStream → handler (the SDK\'s part), p50', value: percentile(stored, 50), unit: 'ms', raw: { name: 'JetStream publish → pull consume p50', value: percentile(raw, 50) } });
  rows.push({ figure: '  of which stored in JetStream → handler (the SDK\'s part), p99', value: percentile(stored, 99), unit: 'ms', raw: { name: 'JetStream publish → pull consume p99', value: percentile(raw, 99) } });
  rows.push({ figure: 'NotifySubject call start → handler, p50', value: percentile(call, 50), unit: 'ms' });
  rows.push({ figure: 'NotifySubject call start → handler, p99', value: percentile(call, 99), unit: 'ms' });
} catch (err) {
  console.error('bench failed:', err);
  process.exitCode = 1;
} finally {
  if (sectorSystem && sectorSystem.exitCode === null) {
    sectorSystem.send('stop');
    await once(sectorSystem, 'exit');
  }
  asOffice.close();
  asCourt.close();
  child.kill('SIGTERM');
  if (child.exitCode === null && child.signalCode === null) await once(child, 'exit');
  await cleanupBus(bus);
  await bus.close();
  await db.drop();
}

printBenchTable('sector SDK latency', rows);
