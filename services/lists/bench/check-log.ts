// Part of `npm run bench -w @credit/lists`: what writing the credit check log costs PostgreSQL. The log shares the
// machine's cores with the checks it records, so its database CPU per row is the figure that matters; the raw limit
// is a bare node-postgres client sending the same rows, already encoded, by COPY in batches of the same size.
// PostgreSQL's CPU is read from /proc for the backends of the bench's database, so it needs the server on this machine.
import { readFileSync } from 'node:fs';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { createLogger, openDatabase, timeOrderedId } from '@credit/platform';
import { openLoop, printBenchTable, testDatabase, type BenchRow } from '@credit/platform/testing';
import { composeUscc } from '@credit/standards';
import { CheckLog, type CheckLogRow } from '../src/check/check-log.js';
import { ListsTables1764400000001 } from '../src/db/migrations/1764400000001-lists-tables.js';
import { RatingsCasesChecks1764400000002 } from '../src/db/migrations/1764400000002-ratings-cases-checks.js';
import { OverdueObjections1764400000003 } from '../src/db/migrations/1764400000003-overdue-objections.js';

const RATE = Number(process.env.BENCH_LOG_RATE ?? 5_000);
const SECONDS = Number(process.env.BENCH_LOG_SECONDS ?? 15);
const SATURATED_ROWS = Number(process.env.BENCH_LOG_ROWS ?? 200_000);
// What the log sends at RATE with its 20 ms flushes.
const PACED_BATCH = Math.max(1, Math.round(RATE / 50));

let n = 0;
function checkRow(): CheckLogRow {
  n++;
  return {
    checkId: timeOrderedId(),
    checkedAt: new Date(),
    department: 'finance',
    role: 'sector',
    subject: 'procurement-system',
    entityCode: composeUscc('91', '540102', String(10_000_000 + (n % 1_000_000)).padStart(8, '0')),
    activity: 'government_procurement',
    measureCodes: n % 10 === 0 ? ['restrict_procurement'] : [],
    position: n,
  };
}

const db = await testDatabase();
const ds = await openDatabase({
  url: db.url,
  applicationName: 'lists-log-bench',
  migrations: [ListsTables1764400000001, RatingsCasesChecks1764400000002, OverdueObjections1764400000003],
});
const database = new URL(db.url).pathname.slice(1);
const raw = new pg.Client({ connectionString: db.url });
await raw.connect();

/** CPU ticks (user + system) of each backend serving the bench's database; empty where /proc does not show them. */
async function backendTicks(): Promise<Map<number, number>> {
  const { rows } = await raw.query<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE datname = $1', [database]);
  const ticks = new Map<number, number>();
  for (const { pid } of rows) {
    try {
      const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
      ticks.set(pid, Number(fields[11]) + Number(fields[12]));
    } catch {
      return new Map();
    }
  }
  return ticks;
}

/** CPU seconds the backends spent since `before`. A backend that closed meanwhile was idle (the pool's idle timeout). */
async function backendCpuSince(before: Map<number, number>): Promise<number> {
  const after = await backendTicks();
  if (before.size === 0 || after.size === 0) return NaN;
  let ticks = 0;
  for (const [pid, t] of after) ticks += t - (before.get(pid) ?? 0);
  return ticks / 100;
}

/** Rows recorded RATE a second for `seconds`, then flushed. PostgreSQL's CPU per row, in µs. */
async function paced(seconds: number, record: (row: CheckLogRow) => void, flush: () => Promise<void>): Promise<number> {
  const before = await backendTicks();
  await openLoop(RATE, seconds, () => record(checkRow()));
  await flush();
  return ((await backendCpuSince(before)) * 1e6) / Math.round(RATE * seconds);
}

/** The raw limit's sender: rows encoded before they are timed, one COPY per batch on one connection. */
function bareCopy(batch: number): { record(row: CheckLogRow): void; flush(): Promise<void> } {
  let pending: CheckLogRow[] = [];
  let sending = Promise.resolve();
  const send = (rows: CheckLogRow[]): void => {
    const text = rows
      .map((r) => [r.checkId, r.checkedAt.toISOString(), r.department, r.role, r.subject, r.entityCode, r.activity, `{${r.measureCodes.join(',')}}`, r.position].join('\t'))
      .join('\n');
    sending = sending.then(
      () =>
        new Promise<void>((resolve, reject) => {
          const sink = raw.query(copyFrom('COPY credit_check_log (check_id, checked_at, department, role, subject, entity_code, activity, measure_codes, position) FROM STDIN'));
          sink.on('finish', resolve).on('error', reject);
          sink.end(`${text}\n`);
        }),
    );
  };
  return {
    record(row) {
      pending.push(row);
      if (pending.length === batch) {
        send(pending);
        pending = [];
      }
    },
    async flush() {
      if (pending.length > 0) send(pending);
      pending = [];
      await sending;
    },
  };
}

async function stored(): Promise<number> {
  const [row] = (await ds.query('SELECT count(*)::int AS count FROM credit_check_log')) as { count: number }[];
  return row!.count;
}

const rows: BenchRow[] = [];
try {
  const logger = createLogger('lists-log-bench', { level: 'warn' });
  const log = new CheckLog(ds, logger);
  const bare = bareCopy(PACED_BATCH);
  // Warm-up of both paths (plans, connections, the table's first pages), not counted.
  await paced(2, (r) => log.record(r), () => log.flush());
  await paced(2, bare.record, bare.flush);
  // Alternated, as the machine's other work drifts; the lower of each path's rounds.
  const logRounds: number[] = [];
  const bareRounds: number[] = [];
  for (let round = 0; round < 3; round++) {
    logRounds.push(await paced(SECONDS / 3, (r) => log.record(r), () => log.flush()));
    bareRounds.push(await paced(SECONDS / 3, bare.record, bare.flush));
  }
  console.log(`PostgreSQL CPU per row, each round (µs): check log ${logRounds.map((v) => v.toFixed(1)).join(' ')}; bare COPY ${bareRounds.map((v) => v.toFixed(1)).join(' ')}`);
  const logCpu = Math.min(...logRounds);
  const bareCpu = Math.min(...bareRounds);

  // Saturated: every row recorded at once, written in the log's 1,000-row batches, against the bare client's.
  const saturated = async (record: (row: CheckLogRow) => void, flush: () => Promise<void>): Promise<number> => {
    const start = performance.now();
    for (let i = 0; i < SATURATED_ROWS; i++) record(checkRow());
    await flush();
    return SATURATED_ROWS / ((performance.now() - start) / 1000);
  };
  const logRate = await saturated((r) => log.record(r), () => log.flush());
  const bigBatches = bareCopy(1_000);
  const bareRate = await saturated(bigBatches.record, bigBatches.flush);
  // Every row sent, by either path, is in the table once.
  const count = await stored();
  if (count !== n) throw new Error(`${count} rows stored of ${n} sent`);

  rows.push(
    { figure: `check log at ${RATE.toLocaleString('en-US')} rows/s: PostgreSQL CPU per row`, value: logCpu, unit: 'µs', raw: { name: `bare COPY, ${PACED_BATCH}-row batches`, value: bareCpu } },
    { figure: 'check log, 1,000-row batches, saturated', value: logRate, unit: 'rows/s', raw: { name: 'bare COPY, 1,000-row batches', value: bareRate } },
  );
  printBenchTable('lists · check log', rows);
} finally {
  await raw.end();
  await ds.destroy();
  await db.drop();
}
