// `npm run bench` for the registry: each figure beside the raw limit of the same stack, measured in the same run.
import * as grpc from '@grpc/grpc-js';
import { RegistryServiceClient, type ImportEntitiesResponse } from '@credit/contracts/credit/registry/v1/registry.js';
import { callUnary, connectBus, createClient, ensureStreams, streamName } from '@credit/platform';
import { cleanupBus, printBenchTable, rawPublishPerSecond, rssOf, testDatabase, testNatsUrl, testToken, uniquePrefix, type BenchRow } from '@credit/platform/testing';
import { company, freePort, officer, spawnRegistry } from '../test/harness.js';
import { rawCopyRowsPerSecond, rawUnaryPerSecond } from './raw.js';

const N = Number(process.env.BENCH_ENTITIES ?? 50_000);
const CHUNK = 500;
const LOOKUP_SECONDS = Number(process.env.BENCH_LOOKUP_SECONDS ?? 5);

const rows: BenchRow[] = [];

async function waitServing(client: grpc.Client, timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const ok = await callUnary(client, 'validateCodes', { codes: [] }).then(() => true, () => false);
    if (ok) return;
    if (Date.now() > until) throw new Error('registry did not become ready');
    await new Promise((r) => setTimeout(r, 5));
  }
}

const db = await testDatabase();
const natsUrl = await testNatsUrl();
const prefix = uniquePrefix();
const bus = await connectBus({ url: natsUrl, name: 'bench', prefix });
await ensureStreams(bus);
const port = await freePort();
const t0 = performance.now();
const child = spawnRegistry({
  databaseUrl: db.url,
  natsUrl,
  prefix,
  port,
  nodeArgs: process.env.BENCH_PROFILE ? ['--cpu-prof', '--cpu-prof-dir', process.env.BENCH_PROFILE] : [],
  stdio: ['ignore', 'inherit', 'inherit'],
  env: { LOG_LEVEL: 'warn' },
});
// The service must not outlive the bench, whatever happens to it.
process.once('exit', () => child.kill('SIGKILL'));
const client = createClient(RegistryServiceClient, `127.0.0.1:${port}`, { token: testToken(officer), deadlineMs: 600_000 });
try {
  await waitServing(client as unknown as grpc.Client, 30_000);
  rows.push({ figure: 'start to ready (fresh database, migrations)', value: performance.now() - t0, unit: 'ms' });
  await new Promise((r) => setTimeout(r, 2_000));
  rows.push({ figure: 'idle RSS', value: rssOf(child.pid!), unit: 'MB' });

  // Raw limits of the stack, measured now on the same machine.
  const rawPublish = await rawPublishPerSecond(bus, N);
  const rawCopy = await rawCopyRowsPerSecond(db.url, N);
  const rawUnary = await rawUnaryPerSecond(client as unknown as grpc.Client, LOOKUP_SECONDS);

  // Ingest: stream N entities, end to end = every row answered AND every EntityRegistered in JetStream.
  const before = (await bus.jsm.streams.info(streamName(bus, 'CREDIT_EVENTS'))).state.messages;
  const start = performance.now();
  const stream = client.importEntities();
  let answered = 0;
  let refused = 0;
  const done = new Promise<void>((resolve, reject) => {
    stream.on('data', (a: ImportEntitiesResponse) => {
      answered += a.results.length;
      refused += a.results.filter((r) => r.violations.length > 0).length;
    });
    stream.on('end', resolve);
    stream.on('error', reject);
  });
  for (let first = 1; first <= N; first += CHUNK) {
    const rows = Array.from({ length: Math.min(CHUNK, N - first + 1) }, (_, k) => ({ row: first + k, entity: company(10_000_000 + first + k) }));
    if (!stream.write({ rows })) await new Promise((r) => stream.once('drain', r));
  }
  stream.end();
  await done;
  const stored = performance.now();
  for (;;) {
    const info = await bus.jsm.streams.info(streamName(bus, 'CREDIT_EVENTS'));
    if (info.state.messages - before >= N) break;
    await new Promise((r) => setTimeout(r, 10));
  }
  const published = performance.now();
  if (answered !== N || refused !== 0) throw new Error(`ingest answered ${answered} rows, refused ${refused}`);
  const ingestRate = N / ((published - start) / 1000);
  rows.push({ figure: `ingest over the gRPC stream, ${N} entities, validated+stored+published`, value: ingestRate, unit: 'entities/s', raw: { name: 'JetStream async publish', value: rawPublish } });
  rows.push({ figure: '  same ingest', value: ingestRate, unit: 'entities/s', raw: { name: 'PostgreSQL COPY into the same table', value: rawCopy } });
  rows.push({ figure: '  of which stored and answered', value: N / ((stored - start) / 1000), unit: 'entities/s' });

  // Lookups by USCC with 64 calls in flight.
  let calls = 0;
  const until = performance.now() + LOOKUP_SECONDS * 1000;
  const lookupStart = performance.now();
  await Promise.all(
    Array.from({ length: 64 }, async (_, w) => {
      for (let i = w; performance.now() < until; i += 64) {
        await callUnary(client as unknown as grpc.Client, 'getEntity', { key: { $case: 'uscc', value: company(10_000_000 + 1 + (i % N)).uscc } });
        calls++;
      }
    }),
  );
  rows.push({ figure: 'GetEntity by USCC, 64 in flight', value: calls / ((performance.now() - lookupStart) / 1000), unit: 'calls/s', raw: { name: 'gRPC unary without database (ValidateCodes)', value: rawUnary } });
} finally {
  client.close();
  child.kill('SIGTERM');
  await new Promise((r) => child.once('exit', r));
  await cleanupBus(bus);
  await bus.close();
  await db.drop();
}

printBenchTable('registry', rows);
