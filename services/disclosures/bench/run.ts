// `npm run bench` for disclosures: each figure beside the raw limit of the same stack, measured in the same run.
import { spawn } from 'node:child_process';
import { createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type * as grpc from '@grpc/grpc-js';
import pg from 'pg';
import {
  DisclosureServiceClient,
  RecordOutcome,
  type GetAssessmentReportResponse,
  type IngestRecordsResponse,
} from '@credit/contracts/credit/disclosures/v1/disclosures.js';
import { loadCatalogConfig, publishDefaultCatalog, startCatalogService } from '@credit/catalog';
import { callUnary, connectBus, createClient, createLogger, ensureStreams, streamName, type Bus } from '@credit/platform';
import {
  TEST_TOKEN_SECRET,
  cleanupBus,
  freePort,
  printBenchTable,
  rawPublishPerSecond,
  rssOf,
  testDatabase,
  testNatsUrl,
  testToken,
  uniquePrefix,
  type BenchRow,
} from '@credit/platform/testing';
import { openDisclosureFile } from '../src/files/index.js';
import { AMR_PENALTY_ITEM, amrOfficer, office, penaltyFields } from '../test/harness.js';

const N = Number(process.env.BENCH_RECORDS ?? 50_000);
const FILE_ROWS = Number(process.env.BENCH_FILE_ROWS ?? 1_000_000);
const REPORT_RECORDS = Number(process.env.BENCH_REPORT_RECORDS ?? 10_000_000);
const CHUNK = 1000;
const IN_FLIGHT = 4;
const MAIN = fileURLToPath(new URL('../dist/main.js', import.meta.url));
const CLI = fileURLToPath(new URL('../../../packages/cli/bin/credit.mjs', import.meta.url));

const rows: BenchRow[] = [];
const natsUrl = await testNatsUrl();
const prefix = uniquePrefix();
const catalogDb = await testDatabase();
const db = await testDatabase();
const bus = await connectBus({ url: natsUrl, name: 'bench', prefix });
await ensureStreams(bus);
const logger = createLogger('bench', { level: 'warn' });
const base = { NATS_URL: natsUrl, NATS_SUBJECT_PREFIX: prefix, AUTH_TOKEN_SECRET: TEST_TOKEN_SECRET };
const catalog = await startCatalogService(loadCatalogConfig({ ...base, DATABASE_URL: catalogDb.url, CATALOG_GRPC_PORT: '0', CATALOG_METRICS_PORT: '0' }), logger);
const catalogAddress = `127.0.0.1:${catalog.grpcPort}`;
await publishDefaultCatalog(catalogAddress, {
  departmentToken: (department) => testToken({ department, role: 'department', subject: `${department}-officer` }),
  officeToken: testToken(office),
});

const port = await freePort();
const t0 = performance.now();
const child = spawn(process.execPath, [...(process.env.BENCH_PROFILE ? ['--cpu-prof', '--cpu-prof-dir', process.env.BENCH_PROFILE] : []), MAIN], {
  env: {
    ...process.env,
    ...base,
    DATABASE_URL: db.url,
    CATALOG_ADDRESS: catalogAddress,
    DISCLOSURES_GRPC_PORT: String(port),
    DISCLOSURES_METRICS_PORT: '0',
    LOG_LEVEL: 'warn',
  },
  stdio: ['ignore', 'inherit', 'inherit'],
});
// The service must not outlive the bench, whatever happens to it.
process.once('exit', () => child.kill('SIGKILL'));
const address = `127.0.0.1:${port}`;
const client = createClient(DisclosureServiceClient, address, { token: testToken(amrOfficer), deadlineMs: 600_000 });
const officeClient = createClient(DisclosureServiceClient, address, { token: testToken(office), deadlineMs: 60_000 });
const workDir = mkdtempSync(join(tmpdir(), 'disclosures-bench-'));

/** Ready = answers a call that needs the catalog loaded (the report refuses until then). */
async function waitReady(timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const ok = await callUnary(officeClient as unknown as grpc.Client, 'getAssessmentReport', { from: '', to: '', divisionCode: '' }).then(
      () => true,
      () => false,
    );
    if (ok) return;
    if (Date.now() > until) throw new Error('disclosures did not become ready');
    await new Promise((r) => setTimeout(r, 5));
  }
}

async function eventsInStream(b: Bus): Promise<number> {
  return (await b.jsm.streams.info(streamName(b, 'CREDIT_EVENTS'))).state.messages;
}

/** Penalties of companies first.. as column-oriented chunks, decided a few days before the service's today. */
function* penaltyChunks(first: number, n: number): Generator<{ requestId: string; itemCode: string; columns: string[]; rows: { line: number; values: string[] }[] }> {
  const columns = Object.keys(penaltyFields(1, '2026-01-05'));
  for (let at = 0; at < n; at += CHUNK) {
    const size = Math.min(CHUNK, n - at);
    yield {
      requestId: `bench-${first + at}`,
      itemCode: AMR_PENALTY_ITEM,
      columns,
      rows: Array.from({ length: size }, (_, k) => {
        const fields = penaltyFields(first + at + k, '2026-01-05');
        return { line: at + k + 2, values: columns.map((c) => fields[c]!) };
      }),
    };
  }
}

try {
  await waitReady(30_000);
  rows.push({ figure: 'start to ready (fresh database, migrations, catalog loaded)', value: performance.now() - t0, unit: 'ms' });
  await new Promise((r) => setTimeout(r, 2_000));
  rows.push({ figure: 'idle RSS', value: rssOf(child.pid!), unit: 'MB' });

  const rawPublish = await rawPublishPerSecond(bus, N);

  // Stream ingest: N penalties, end to end = every record answered AND every PenaltyPublished in JetStream.
  const before = await eventsInStream(bus);
  const start = performance.now();
  const stream = client.ingestRecords();
  let answered = 0;
  let accepted = 0;
  let pending = 0;
  let wake: (() => void) | undefined;
  const done = new Promise<void>((resolve, reject) => {
    stream.on('data', (a: IngestRecordsResponse) => {
      answered += a.results.length;
      accepted += a.results.filter((r) => r.outcome === RecordOutcome.RECORD_OUTCOME_ACCEPTED).length;
      pending--;
      wake?.();
    });
    stream.on('end', resolve);
    stream.on('error', reject);
  });
  for (const chunk of penaltyChunks(20_000_000, N)) {
    while (pending >= IN_FLIGHT) await new Promise<void>((r) => (wake = r));
    pending++;
    stream.write(chunk);
  }
  stream.end();
  await done;
  const stored = performance.now();
  while ((await eventsInStream(bus)) - before < N) await new Promise((r) => setTimeout(r, 10));
  const published = performance.now();
  if (answered !== N || accepted !== N) throw new Error(`ingest answered ${answered} records, accepted ${accepted}`);
  const ingestRate = N / ((published - start) / 1000);
  rows.push({ figure: `ingest over the gRPC stream, ${N} penalties, validated+stored+published`, value: ingestRate, unit: 'records/s', raw: { name: 'JetStream async publish', value: rawPublish } });
  rows.push({ figure: '  of which stored and answered', value: N / ((stored - start) / 1000), unit: 'records/s' });
  rows.push({ figure: '  service RSS after ingest', value: rssOf(child.pid!), unit: 'MB' });

  // File import through the CLI: a generated CSV of FILE_ROWS penalties, read streaming, sent, answered.
  if (FILE_ROWS > 0) {
    const csv = join(workDir, 'penalties.csv');
    const out = createWriteStream(csv);
    const columns = Object.keys(penaltyFields(1, '2026-01-05'));
    out.write(`${columns.join(',')}\n`);
    for (let i = 0; i < FILE_ROWS; i++) {
      const f = penaltyFields(40_000_000 + i, '2026-01-05');
      if (!out.write(`${columns.map((c) => f[c]).join(',')}\n`)) await once(out, 'drain');
    }
    out.end();
    await once(out, 'finish');

    // Raw: reading the same file with the same reader, nothing sent.
    const readStart = performance.now();
    const file = await openDisclosureFile(csv);
    let read = 0;
    for await (const row of file.rows()) if (row) read++;
    const readRate = read / ((performance.now() - readStart) / 1000);

    const importStart = performance.now();
    const cli = spawn(process.execPath, [CLI, 'disclosures', 'import', csv, '--item', AMR_PENALTY_ITEM, '--disclosures', address, '--token', testToken(amrOfficer)], {
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    let cliPeak = 0;
    let servicePeak = 0;
    const sampler = setInterval(() => {
      try {
        // NaN once the CLI has exited (no memory lines in a zombie's status): keep the last real reading.
        cliPeak = Math.max(cliPeak, rssOf(cli.pid!, 'peak') || 0);
        servicePeak = Math.max(servicePeak, rssOf(child.pid!) || 0);
      } catch {
        // the CLI just exited
      }
    }, 100);
    const [code] = (await once(cli, 'exit')) as [number | null];
    clearInterval(sampler);
    const seconds = (performance.now() - importStart) / 1000;
    if (code !== 0) throw new Error(`credit disclosures import exited with ${code}`);
    rows.push({ figure: `CSV import of ${FILE_ROWS.toLocaleString('en-US')} penalties through \`credit disclosures import\` (seconds)`, value: seconds, unit: 's' });
    rows.push({ figure: '  same import, rate', value: FILE_ROWS / seconds, unit: 'rows/s', raw: { name: 'reading the file alone', value: readRate } });
    rows.push({ figure: '  peak RSS of the CLI', value: cliPeak, unit: 'MB' });
    rows.push({ figure: '  peak RSS of the service (sampled)', value: servicePeak, unit: 'MB' });
  }

  // Assessment over REPORT_RECORDS records: the report reads the per-day counters the ingest keeps, so the counters
  // of that many records are written directly (10 departments × 2 items × 20 divisions × 500 days).
  const counterRows = 10 * 2 * 20 * 500;
  const per = Math.floor(REPORT_RECORDS / counterRows);
  const direct = new pg.Client({ connectionString: db.url });
  await direct.connect();
  await direct.query(
    `INSERT INTO assessment_counter (department, item_code, division_code, day, accepted, late, rejected)
     SELECT 'dept' || d, 'ITEM-' || d || '-' || i, '5401' || lpad(v::text, 2, '0'), date '2025-01-01' + day, $1::bigint, $1::bigint / 10, $1::bigint / 50
       FROM generate_series(1, 10) d, generate_series(1, 2) i, generate_series(1, 20) v, generate_series(0, 499) day
     ON CONFLICT DO NOTHING`,
    [per],
  );
  await direct.query('ANALYZE assessment_counter');
  const scanStart = performance.now();
  await direct.query('SELECT count(*), sum(accepted) FROM assessment_counter');
  const scanMs = performance.now() - scanStart;
  await direct.end();
  let best = Infinity;
  for (let i = 0; i < 3; i++) {
    const reportStart = performance.now();
    const report = await callUnary<unknown, GetAssessmentReportResponse>(officeClient as unknown as grpc.Client, 'getAssessmentReport', { from: '', to: '', divisionCode: '' });
    best = Math.min(best, performance.now() - reportStart);
    if (report.rows.length < 10) throw new Error('the assessment report is missing rows');
  }
  rows.push({ figure: `assessment report over ${(per * counterRows).toLocaleString('en-US')} records (${counterRows.toLocaleString('en-US')} counter rows), best of 3`, value: best, unit: 'ms', raw: { name: 'PostgreSQL scan of the counters (ms)', value: scanMs } });
} catch (err) {
  console.error("bench failed:", err);
  process.exitCode = 1;
} finally {
  client.close();
  officeClient.close();
  child.kill('SIGTERM');
  await once(child, 'exit');
  await catalog.stop();
  rmSync(workDir, { recursive: true, force: true });
  await cleanupBus(bus);
  await bus.close();
  await db.drop();
  await catalogDb.drop();
}

printBenchTable('disclosures', rows);
