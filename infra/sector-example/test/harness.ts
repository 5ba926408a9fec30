// The example runs against the real platform: the lists service in this process (its own database and bus
// prefix), list types and measures defined through its gRPC as the office, decisions made as the court. The
// procurement system runs either in this process or as its own process (for crash tests).
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import type * as grpc from '@grpc/grpc-js';
import pg from 'pg';
import {
  EntryState,
  FeedbackOutcome,
  FeedbackPhase,
  ListColour,
  ListsServiceClient,
  MeasureKind,
  RemovalReason,
  type GetEntryResponse,
  type ListEntry,
  type ProposeEntryResponse,
} from '@credit/contracts/credit/lists/v1/lists.js';
import { callUnary, connectBus, createClient, createLogger, ensureStreams, type Bus } from '@credit/platform';
import { TEST_TOKEN_SECRET, cleanupBus, testDatabase, testNatsUrl, testToken, uniquePrefix } from '@credit/platform/testing';
import { composeUscc } from '@credit/standards';
import { loadListsConfig, startListsService } from '@credit/lists';
import type { ProcurementConfig } from '../src/config.js';

export { EntryState, FeedbackOutcome, FeedbackPhase };

export const LIST_TYPE = 'court_judgment_debtor';
export const LIST_TYPE_NAME = '失信被执行人';
export const LEGAL_BASIS = '《中华人民共和国政府采购法》第二十二条';
export const procurementToken = () => testToken({ department: 'finance', role: 'sector', subject: 'procurement-system' });

/** A valid unified social credit code per number. */
export function uscc(n: number): string {
  return composeUscc('91', '540102', String(20_000_000 + n).padStart(8, '0'));
}

export interface Platform {
  natsUrl: string;
  prefix: string;
  listsAddress: string;
  bus: Bus;
  /** Defines the list type (no notice period) and the procurement measure, as the office. */
  seed(): Promise<void>;
  /** ProposeEntry + NotifySubject as the court: the entry takes effect at once. */
  blacklist(n: number): Promise<ListEntry>;
  remove(entryId: string): Promise<ListEntry>;
  getEntry(entryId: string): Promise<GetEntryResponse>;
  /** A database of the procurement system's own, dropped by stop(). */
  procurementDatabase(): Promise<string>;
  procurementConfig(databaseUrl: string): ProcurementConfig;
  stop(): Promise<void>;
}

export async function startPlatform(): Promise<Platform> {
  const natsUrl = await testNatsUrl();
  const prefix = uniquePrefix();
  const listsDb = await testDatabase();
  const databases = [listsDb];
  const bus = await connectBus({ url: natsUrl, name: 'sector-example-test', prefix });
  await ensureStreams(bus);
  const running = await startListsService(
    loadListsConfig({
      DATABASE_URL: listsDb.url,
      NATS_URL: natsUrl,
      NATS_SUBJECT_PREFIX: prefix,
      LISTS_GRPC_PORT: '0',
      LISTS_METRICS_PORT: '0',
      AUTH_TOKEN_SECRET: TEST_TOKEN_SECRET,
    }),
    createLogger('lists-test', { level: 'warn' }),
  );
  const listsAddress = `127.0.0.1:${running.grpcPort}`;
  const as = (department: string, role: 'office' | 'department') =>
    createClient(ListsServiceClient, listsAddress, { token: testToken({ department, role, subject: `${department}-officer` }) }) as unknown as grpc.Client;
  const office = as('ndrc', 'office');
  const court = as('court', 'department');

  return {
    natsUrl,
    prefix,
    listsAddress,
    bus,
    async seed() {
      await callUnary(office, 'defineListType', {
        requestId: 'seed-list-type',
        listType: {
          code: LIST_TYPE,
          name: LIST_TYPE_NAME,
          colour: ListColour.LIST_COLOUR_BLACK,
          ownerDepartment: 'court',
          criteria: '有履行能力而拒不履行生效法律文书确定义务',
          legalBasis: '《最高人民法院关于公布失信被执行人名单信息的若干规定》',
          validityDays: 0,
          noticeWorkingDays: 0,
          objectionWorkingDays: 15,
          feedbackWorkingDays: 10,
        },
      });
      await callUnary(office, 'defineMeasure', {
        requestId: 'seed-measure',
        measure: {
          code: 'restrict_government_procurement',
          name: '限制参与政府采购',
          kind: MeasureKind.MEASURE_KIND_PUNISHMENT,
          implementingDepartment: 'finance',
          listTypes: [LIST_TYPE],
          ratings: [],
          activities: ['government_procurement'],
          legalBasis: LEGAL_BASIS,
        },
      });
    },
    async blacklist(n) {
      const { entry } = await callUnary<unknown, ProposeEntryResponse>(court, 'proposeEntry', {
        requestId: `propose-${n}`,
        listType: LIST_TYPE,
        entityCode: uscc(n),
        entityName: `拉萨测试${n}建设有限公司`,
        facts: '有履行能力而拒不履行生效判决',
        decisionDocument: `(2026)藏0102执${n}号`,
        legalBasis: '',
        decidedOn: '2026-11-20',
      });
      const notified = await callUnary<unknown, { entry: ListEntry }>(court, 'notifySubject', { requestId: `notify-${n}`, entryId: entry!.id, reason: '已书面告知' });
      return notified.entry;
    },
    async remove(entryId) {
      const res = await callUnary<unknown, { entry: ListEntry }>(court, 'removeEntry', {
        requestId: `remove-${entryId}`,
        entryId,
        reason: RemovalReason.REMOVAL_REASON_REPAIRED,
        explanation: '已履行完毕，信用修复',
      });
      return res.entry;
    },
    getEntry: (entryId) => callUnary<unknown, GetEntryResponse>(office, 'getEntry', { entryId }),
    async procurementDatabase() {
      const db = await testDatabase();
      databases.push(db);
      return db.url;
    },
    procurementConfig(databaseUrl) {
      return { natsUrl, subjectPrefix: prefix, listsAddress, token: procurementToken(), databaseUrl, httpPort: 0 };
    },
    async stop() {
      office.close();
      court.close();
      await running.stop();
      await cleanupBus(bus);
      await bus.close();
      for (const db of databases) await db.drop();
    },
  };
}

/** The procurement system as its own process (src/main.ts through the tsx loader), for SIGKILL. */
export interface ProcurementProcess {
  port: number;
  proc: ChildProcess;
  output: string[];
  kill(signal: NodeJS.Signals): Promise<void>;
}

const MAIN = fileURLToPath(new URL('../src/main.ts', import.meta.url));
// tsx as a loader inside ONE node process (its CLI would run the program in a child, which a SIGKILL of the parent
// would leave running).
const TSX_LOADER = new URL('../../../node_modules/tsx/dist/loader.mjs', import.meta.url).href;
const TSCONFIG = fileURLToPath(new URL('../../../tsconfig.base.json', import.meta.url));

export async function spawnProcurement(platform: Platform, databaseUrl: string, port: number): Promise<ProcurementProcess> {
  const proc = spawn(process.execPath, ['--conditions=@credit/source', '--import', TSX_LOADER, MAIN], {
    env: {
      ...process.env,
      TSX_TSCONFIG_PATH: TSCONFIG,
      NATS_URL: platform.natsUrl,
      NATS_SUBJECT_PREFIX: platform.prefix,
      LISTS_ADDRESS: platform.listsAddress,
      PROCUREMENT_TOKEN: procurementToken(),
      PROCUREMENT_DATABASE_URL: databaseUrl,
      PROCUREMENT_HTTP_PORT: String(port),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  // The child must not outlive a failed test run.
  process.once('exit', () => proc.kill('SIGKILL'));
  const output: string[] = [];
  const collect = (chunk: Buffer) => output.push(...chunk.toString().split('\n').filter(Boolean));
  proc.stdout!.on('data', collect);
  proc.stderr!.on('data', collect);
  await new Promise<void>((resolve, reject) => {
    const check = () => {
      if (output.some((l) => l.includes('"msg":"listening"'))) resolve();
    };
    proc.stdout!.on('data', check);
    proc.once('exit', (code) => reject(new Error(`procurement exited (${code}) before listening:\n${output.join('\n')}`)));
  });
  return {
    port,
    proc,
    output,
    async kill(signal) {
      if (proc.exitCode !== null || proc.signalCode !== null) return;
      const exited = once(proc, 'exit');
      proc.kill(signal);
      await exited;
    },
  };
}

/** Counts in the procurement system's own database. */
export async function countRows(databaseUrl: string, sql: string): Promise<number> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ n: string }>(sql);
    return Number(rows[0]!.n);
  } finally {
    await client.end();
  }
}
