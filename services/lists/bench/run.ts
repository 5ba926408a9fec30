// `npm run bench -w @credit/lists`: the credit check over 10^6 entities of which 10 % have an in-force entry
// (10^5 entries). Figures beside the raw limit of the same stack in the same run (a gRPC unary without any work:
// the health check of the same server).
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as grpc from '@grpc/grpc-js';
import {
  CreditCheckServiceClient,
  type CheckCreditResponse,
  type CheckCreditStreamRequest,
  type CheckCreditStreamResponse,
} from '@credit/contracts/credit/lists/v1/lists.js';
import { callUnary, connectBus, createClient, createLogger, ensureStreams, streamName, type Bus } from '@credit/platform';
import {
  TEST_TOKEN_SECRET,
  cleanupBus,
  freePort,
  openLoop,
  printBenchTable,
  rssOf,
  testDatabase,
  testNatsUrl,
  testToken,
  uniquePrefix,
  type BenchRow,
} from '@credit/platform/testing';
import { composeUscc } from '@credit/standards';
import { CheckIndex } from '../src/domain/check-index.js';
import { sectorLabel } from '../src/domain/ratings.js';
import { IndexFeeder } from '../src/check/feeder.js';
import { entry, listType, measure, publishLists } from '../test/check/events.js';

const ENTITIES = Number(process.env.BENCH_ENTITIES ?? 1_000_000);
const ENTRIES = Number(process.env.BENCH_ENTRIES ?? 100_000);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const IN_FLIGHT = 64;
// Latency is also measured at a fixed offered rate below saturation: at saturation it is queueing (Little's law: 64 in
// flight at 2,500/s is 26 ms whatever the server does).
const PACED_RATE = Number(process.env.BENCH_PACED_RATE ?? 1_000);
// The rate the credit-check target names (≥ 5,000 checks/s with p99 ≤ 5 ms), offered over one CheckCreditStream.
const STREAM_RATE = Number(process.env.BENCH_STREAM_RATE ?? 5_000);
const LIST_TYPES = 10;
const ACTIVITIES = ['government_procurement', 'bidding', 'subsidy'];
const PACKAGE = fileURLToPath(new URL('..', import.meta.url));
const MAIN = fileURLToPath(new URL('../dist/main.js', import.meta.url));
const finance = { department: 'finance', role: 'department' as const, subject: 'bench' };

const uscc = (n: number) => composeUscc('91', '540100', String(n).padStart(8, '0'));
const entryId = (n: number) => `0193a3c1-0000-7000-8000-${String(n).padStart(12, '0')}`;

async function publishSetup(bus: Bus): Promise<number> {
  for (let t = 0; t < LIST_TYPES; t++) await publishLists.listType(bus, listType(`type_${t}`));
  for (let m = 0; m < 2 * LIST_TYPES; m++) {
    await publishLists.measure(
      bus,
      measure(`measure_${m}`, { listTypes: [`type_${m % LIST_TYPES}`, `type_${(m + 3) % LIST_TYPES}`], activities: m % 4 === 0 ? [] : [ACTIVITIES[m % 3]!] }),
    );
  }
  // Entries on every tenth entity: 10 % of the entities have one.
  const stride = Math.max(1, Math.floor(ENTITIES / ENTRIES));
  let inFlight: Promise<number>[] = [];
  let last = 0;
  for (let i = 0; i < ENTRIES; i++) {
    const n = i * stride;
    inFlight.push(publishLists.effective(bus, entry(entryId(n), uscc(n), { listType: `type_${n % LIST_TYPES}`, version: 1 })));
    if (inFlight.length >= 1000) {
      last = Math.max(last, ...(await Promise.all(inFlight)));
      inFlight = [];
    }
  }
  if (inFlight.length) last = Math.max(last, ...(await Promise.all(inFlight)));
  return last;
}

interface Load {
  perSecond: number;
  p50: number;
  p99: number;
  answers: number;
}

/** `call` with IN_FLIGHT outstanding for `seconds`; latencies in ms. */
async function load(seconds: number, call: (i: number) => Promise<unknown>): Promise<Load> {
  const latencies: number[] = [];
  const until = performance.now() + seconds * 1000;
  const start = performance.now();
  let i = 0;
  await Promise.all(
    Array.from({ length: IN_FLIGHT }, async () => {
      while (performance.now() < until) {
        const t = performance.now();
        await call(i++);
        latencies.push(performance.now() - t);
      }
    }),
  );
  return summary(latencies, (performance.now() - start) / 1000);
}

function summary(latencies: number[], elapsedSeconds: number): Load {
  latencies.sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? NaN;
  return { perSecond: latencies.length / elapsedSeconds, p50: at(0.5), p99: at(0.99), answers: latencies.length };
}

/** Calls started at `rate` per second whatever the answers do (open loop), for `seconds`. */
async function paced(seconds: number, rate: number, call: (i: number) => Promise<unknown>, timeline?: [number, number][]): Promise<Load> {
  const latencies: number[] = [];
  const start = performance.now();
  await openLoop(rate, seconds, (i, due) => {
    // Timed from when the call was due, so a late start counts against it (no coordinated omission); a call started
    // up to a millisecond early (timers are that coarse) is timed from its start.
    const from = Math.min(due, performance.now());
    return call(i).then(() => {
      const ms = performance.now() - from;
      latencies.push(ms);
      timeline?.push([from, ms]);
    });
  });
  return summary(latencies, (performance.now() - start) / 1000);
}

const HealthClient = grpc.makeGenericClientConstructor(
  {
    check: {
      path: '/grpc.health.v1.Health/Check',
      requestStream: false,
      responseStream: false,
      // HealthCheckRequest { service: '' } encodes to no bytes.
      requestSerialize: () => Buffer.alloc(0),
      requestDeserialize: () => ({}),
      responseSerialize: () => Buffer.alloc(0),
      responseDeserialize: (b: Buffer) => b,
    },
  },
  'Health',
);

/**
 * A duplex stream whose server answers in order: each `ask` resolves with the answer to its own message. What a
 * client of CheckCreditStream does (the sector SDK does the same, with deadlines and reconnection).
 */
function inOrder<Req, Res>(call: grpc.ClientDuplexStream<Req, Res>): { ask(req: Req): Promise<Res>; end(): Promise<void> } {
  // Only the questions still waiting: a few dozen at most, so shift() stays cheap.
  const waiting: ((res: Res) => void)[] = [];
  call.on('data', (res: Res) => waiting.shift()?.(res));
  let failure: Error | undefined;
  call.on('error', (err) => (failure = err));
  const ended = new Promise<void>((resolve) => call.on('status', () => resolve()));
  return {
    ask: (req) =>
      new Promise<Res>((resolve, reject) => {
        if (failure) return reject(failure);
        waiting.push(resolve);
        call.write(req);
      }),
    async end() {
      call.end();
      await ended;
      if (failure) throw failure;
    },
  };
}

const EchoClient = grpc.makeGenericClientConstructor(
  {
    echo: {
      path: '/bench.Echo/Echo',
      requestStream: true,
      responseStream: true,
      requestSerialize: (b: Buffer) => b,
      requestDeserialize: (b: Buffer) => b,
      responseSerialize: (b: Buffer) => b,
      responseDeserialize: (b: Buffer) => b,
    },
  },
  'Echo',
);

/** The echo server of bench/echo-server.mjs in its own process, and a stream to it. */
async function startEcho(): Promise<{ stream: { ask(b: Buffer): Promise<Buffer> }; stop(): Promise<void> }> {
  const proc = spawn(process.execPath, [fileURLToPath(new URL('./echo-server.mjs', import.meta.url))], { cwd: PACKAGE, stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<number>((resolve, reject) => {
    proc.stdout.once('data', (d: Buffer) => resolve(Number(d.toString().trim())));
    proc.once('exit', (code) => reject(new Error(`the echo server exited (${code})`)));
  });
  const client = new EchoClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure()) as unknown as grpc.Client & {
    echo(): grpc.ClientDuplexStream<Buffer, Buffer>;
  };
  const stream = inOrder(client.echo());
  return {
    stream,
    async stop() {
      await stream.end();
      client.close();
      const exited = new Promise((res) => proc.once('exit', res));
      proc.kill('SIGTERM');
      await exited;
    },
  };
}

/**
 * Seconds the feeder takes to rebuild an index from the stream in this process. The index is dropped afterwards: the
 * bench process keeping 10^5 entries alive would lengthen its own garbage collections and blur the latencies below.
 */
async function rebuildHere(bus: Bus, lastSeq: number): Promise<number> {
  const start = performance.now();
  const local = new CheckIndex(sectorLabel);
  const feeder = new IndexFeeder(bus, local, createLogger('lists-bench', { level: 'warn' })).start();
  await feeder.ready;
  const seconds = (performance.now() - start) / 1000;
  await feeder.stop();
  if (local.position !== lastSeq) throw new Error(`the feeder stopped at ${local.position}, not ${lastSeq}`);
  return seconds;
}

const rows: BenchRow[] = [];
const natsUrl = await testNatsUrl();
const prefix = uniquePrefix();
const db = await testDatabase();
const bus = await connectBus({ url: natsUrl, name: 'lists-bench', prefix });
await ensureStreams(bus);
let child: ReturnType<typeof spawn> | undefined;
try {
  const setupStart = performance.now();
  const lastSeq = await publishSetup(bus);
  const stored = (await bus.jsm.streams.info(streamName(bus, 'CREDIT_EVENTS'))).state;
  rows.push({ figure: `bench setup: ${ENTRIES.toLocaleString('en-US')} entry events (+ types, measures) published`, value: (performance.now() - setupStart) / 1000, unit: 's' });
  rows.push({ figure: '  stream size', value: stored.bytes / 2 ** 20, unit: 'MB' });

  // The feeder alone, in this process: stream read + decode + apply, without process start and migrations.
  const feedSeconds = await rebuildHere(bus, lastSeq);
  rows.push({ figure: '  index rebuild by the feeder alone (in the bench process)', value: stored.messages / feedSeconds, unit: 'events/s' });

  const port = await freePort();
  if (!existsSync(MAIN)) throw new Error('build the service first (npm run bench builds it through turbo)');
  const profile = process.env.BENCH_PROFILE ? ['--cpu-prof', '--cpu-prof-dir', process.env.BENCH_PROFILE] : [];
  // The young generation the deployment gives the service (k8s/base/lists/configmap.yaml, NODE_OPTIONS): check-log rows
  // wait for their batch (100 ms then), and with the default semi-space they were promoted and later cost a long
  // mark-compact (p99 at 1,000 checks/s: 214 ms with the default, 25 ms with 32 MB).
  // BENCH_NODE_FLAGS: more flags for the service's node, e.g. '--trace-gc-nvp' for what each scavenge copied and promoted.
  const extraFlags = (process.env.BENCH_NODE_FLAGS ?? '').split(' ').filter(Boolean);
  const args = [...profile, ...(process.env.BENCH_TRACE_GC ? ['--trace-gc'] : []), ...extraFlags, `--max-semi-space-size=${process.env.BENCH_SEMI_SPACE_MB ?? 32}`, MAIN];
  const t0 = performance.now();
  child = spawn(process.execPath, args, {
    cwd: PACKAGE,
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
  const proc = child;
  process.once('exit', () => proc.kill('SIGKILL'));
  const address = `127.0.0.1:${port}`;
  const client = createClient(CreditCheckServiceClient, address, { token: testToken(finance), deadlineMs: 30_000 }) as unknown as grpc.Client;
  const health = new HealthClient(address, grpc.credentials.createInsecure()) as unknown as grpc.Client & {
    check(req: object, cb: (err: grpc.ServiceError | null) => void): void;
  };
  // The load uses a bare client with the token in fixed metadata: the platform client's per-call span and
  // request id would make the bench's own process the bottleneck on a small machine.
  const bare = new CreditCheckServiceClient(address, grpc.credentials.createInsecure());
  const auth = new grpc.Metadata();
  auth.set('authorization', `Bearer ${testToken(finance)}`);
  const check = (entityCode: string, activity: string) =>
    new Promise<CheckCreditResponse>((res, rej) =>
      bare.checkCredit({ entityCode, activity }, auth.clone(), (err, r) => (err ? rej(err) : res(r))),
    );
  const firstCheck = (entityCode: string) => callUnary<unknown, CheckCreditResponse>(client, 'checkCredit', { entityCode, activity: '' });

  // Ready = the service answers from an index that holds every event published above.
  for (;;) {
    // Not serving yet (the port opens once the index caught up): try again.
    const r = await firstCheck(uscc(0)).catch(() => undefined);
    if (r && Number(r.position) >= lastSeq) break;
    if (performance.now() - t0 > 600_000) throw new Error('the credit check did not become ready');
    await new Promise((res) => setTimeout(res, 20));
  }
  rows.push({ figure: `start to ready: migrations + index rebuilt from ${ENTRIES.toLocaleString('en-US')} entry events (dist/main.js)`, value: (performance.now() - t0) / 1000, unit: 's' });
  rows.push({ figure: '  service RSS after rebuild', value: rssOf(proc.pid!), unit: 'MB' });

  // Pre-drawn random entities of the 10^6, so the bench's own work stays out of the figures.
  const drawn = Array.from({ length: 200_000 }, () => uscc(Math.floor(Math.random() * ENTITIES)));
  await load(1, (i) => check(drawn[i % drawn.length]!, ACTIVITIES[i % 3]!)); // warm-up
  let matched = 0;
  const cpuBefore = cpuSecondsOf(proc.pid!);
  const checks = await load(SECONDS, async (i) => {
    const r = await check(drawn[i % drawn.length]!, ACTIVITIES[i % 3]!);
    if (r.measures.length > 0) matched++;
  });
  const serverCpu = (cpuSecondsOf(proc.pid!) - cpuBefore) / SECONDS;
  const raw = await load(Math.max(3, SECONDS / 2), () => new Promise((res, rej) => health.check({}, (err) => (err ? rej(err) : res(undefined)))));

  rows.push({ figure: `CheckCredit, ${IN_FLIGHT} in flight, random entities of ${ENTITIES.toLocaleString('en-US')}`, value: checks.perSecond, unit: 'checks/s', raw: { name: 'gRPC health check, same server', value: raw.perSecond } });
  rows.push({ figure: '  p50 latency', value: checks.p50, unit: 'ms', raw: { name: 'health check p50', value: raw.p50 } });
  rows.push({ figure: '  p99 latency', value: checks.p99, unit: 'ms', raw: { name: 'health check p99', value: raw.p99 } });
  rows.push({ figure: '  service CPU during the load (1.0 = one core busy)', value: serverCpu, unit: 'cores' });
  const healthCall = () => new Promise((res, rej) => health.check({}, (err) => (err ? rej(err) : res(undefined))));
  const steady = await paced(SECONDS, PACED_RATE, (i) => check(drawn[i % drawn.length]!, ACTIVITIES[i % 3]!));
  const steadyRaw = await paced(Math.max(3, SECONDS / 2), PACED_RATE, healthCall);
  rows.push({ figure: `CheckCredit at ${PACED_RATE.toLocaleString('en-US')} checks/s offered: p50`, value: steady.p50, unit: 'ms', raw: { name: 'health check, same rate, p50', value: steadyRaw.p50 } });
  rows.push({ figure: '  p99', value: steady.p99, unit: 'ms', raw: { name: 'health check, same rate, p99', value: steadyRaw.p99 } });
  rows.push({ figure: '  answers with at least one measure', value: (100 * matched) / checks.answers, unit: '%' });

  // The same checks over one CheckCreditStream, against an echo stream without any work in a process of its own.
  const streamCall = (bare as unknown as { checkCreditStream(m: grpc.Metadata): grpc.ClientDuplexStream<CheckCreditStreamRequest, CheckCreditStreamResponse> }).checkCreditStream(auth.clone());
  const stream = inOrder(streamCall);
  let refused = 0;
  const streamCheck = async (i: number) => {
    const r = await stream.ask({ tag: i, check: { entityCode: drawn[i % drawn.length]!, activity: ACTIVITIES[i % 3]! } });
    if (r.tag !== i || r.result?.$case !== 'answer') refused++;
  };
  await load(1, streamCheck); // warm-up
  const streamCpuBefore = cpuSecondsOf(proc.pid!);
  const streamed = await load(SECONDS, streamCheck);
  const streamCpu = (cpuSecondsOf(proc.pid!) - streamCpuBefore) / SECONDS;
  // BENCH_TIMELINE=<file>: each check of the 5,000/s phase as "start (ms since the phase began) latency (ms)", to see
  // when the slow ones happen.
  const timelineFile = process.env.BENCH_TIMELINE;
  const timeline: [number, number][] | undefined = timelineFile ? [] : undefined;
  const streamSteady = await paced(SECONDS, STREAM_RATE, streamCheck, timeline);
  if (timelineFile && timeline) {
    const t0 = timeline.reduce((m, [at]) => Math.min(m, at), Infinity);
    writeFileSync(timelineFile, timeline.map(([at, ms]) => `${(at - t0).toFixed(1)} ${ms.toFixed(2)}`).join('\n'));
  }
  await stream.end();
  const echo = await startEcho();
  const message = Buffer.alloc(64, 1);
  await load(1, () => echo.stream.ask(message));
  const echoed = await load(Math.max(3, SECONDS / 2), () => echo.stream.ask(message));
  const echoSteady = await paced(Math.max(3, SECONDS / 2), STREAM_RATE, () => echo.stream.ask(message));
  await echo.stop();
  if (refused > 0) throw new Error(`${refused} streamed checks were refused or answered out of order`);
  rows.push({ figure: `CheckCreditStream, ${IN_FLIGHT} in flight on one stream`, value: streamed.perSecond, unit: 'checks/s', raw: { name: 'gRPC bidi echo stream, no work, own process', value: echoed.perSecond } });
  rows.push({ figure: '  p50 latency', value: streamed.p50, unit: 'ms', raw: { name: 'echo p50', value: echoed.p50 } });
  rows.push({ figure: '  p99 latency', value: streamed.p99, unit: 'ms', raw: { name: 'echo p99', value: echoed.p99 } });
  rows.push({ figure: '  service CPU during the load (1.0 = one core busy)', value: streamCpu, unit: 'cores' });
  rows.push({ figure: `CheckCreditStream at ${STREAM_RATE.toLocaleString('en-US')} checks/s offered: p50`, value: streamSteady.p50, unit: 'ms', raw: { name: 'echo, same rate, p50', value: echoSteady.p50 } });
  rows.push({ figure: '  p99', value: streamSteady.p99, unit: 'ms', raw: { name: 'echo, same rate, p99', value: echoSteady.p99 } });
  rows.push({ figure: '  answered per second at that rate', value: streamSteady.perSecond, unit: 'checks/s' });
  rows.push({ figure: '  service RSS after the load', value: rssOf(proc.pid!), unit: 'MB' });
  client.close();
  bare.close();
  health.close();
  printBenchTable('credit check (lists)', rows);
  const logged = await waitForLog(db.url, checks.answers + streamed.answers + streamSteady.answers);
  console.log(`credit_check_log rows: ${logged.toLocaleString('en-US')}`);
} finally {
  if (child && child.exitCode === null) {
    const exited = new Promise((res) => child!.once('exit', res));
    child.kill('SIGTERM');
    await exited;
  }
  await cleanupBus(bus);
  await bus.close();
  await db.drop();
}

/** User + system CPU seconds a process has used (Linux /proc, clock ticks of 1/100 s). */
function cpuSecondsOf(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** The check log after the service stopped (it flushes at stop); read after SIGTERM would race, so poll briefly. */
async function waitForLog(url: string, atLeast: number): Promise<number> {
  const { default: pg } = await import('pg');
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    let n = 0;
    for (let k = 0; k < 50; k++) {
      n = (await c.query<{ n: number }>(`SELECT count(*)::int AS n FROM credit_check_log`)).rows[0]!.n;
      if (n >= atLeast) break;
      await new Promise((res) => setTimeout(res, 100));
    }
    return n;
  } finally {
    await c.end();
  }
}
