import type * as grpc from '@grpc/grpc-js';
import {
  DisclosureServiceClient,
  type IngestRecordsRequest,
  type IngestRecordsResponse,
} from '@credit/contracts/credit/disclosures/v1/disclosures.js';
import { publishDefaultCatalog, loadCatalogConfig, startCatalogService, type RunningCatalog } from '@credit/catalog';
import { callUnary, connectBus, createClient, createLogger, type Bus, type Caller, type CreditEvent } from '@credit/platform';
import { TEST_TOKEN_SECRET, cleanupBus, recordEvents, testDatabase, testNatsUrl, testToken, uniquePrefix, waitFor } from '@credit/platform/testing';
import { composeUscc } from '@credit/standards';
import { loadDisclosuresConfig, startDisclosuresService, type RunningDisclosures } from '../src/service.js';

export const amrOfficer: Caller = { department: 'amr', role: 'department', subject: 'amr-officer' };
export const taxOfficer: Caller = { department: 'tax', role: 'department', subject: 'tax-officer' };
export const office: Caller = { department: 'ndrc', role: 'office', subject: 'office-officer' };

/** The default catalog's double publicity items of the market regulator (see @credit/catalog). */
export const AMR_LICENCE_ITEM = 'AMR-XK-001';
export const AMR_PENALTY_ITEM = 'AMR-CF-001';
export const TAX_PENALTY_ITEM = 'TAX-CF-001';

export interface TestDisclosures {
  running: RunningDisclosures;
  catalog: RunningCatalog;
  address: string;
  clientAs(caller: Caller | null): DisclosureServiceClient;
  bus: Bus;
  prefix: string;
  /** Events seen on credit.disclosures.v1.> since the start, in order. */
  events: CreditEvent[];
  /** The service's clock; tests move it. */
  clock: { now: Date };
  stop(): Promise<void>;
}

/**
 * A catalog service with the default double publicity catalog published, and a disclosures service reading it,
 * each on its own database, sharing one subject prefix; the disclosures clock is the test's.
 */
export async function startTestDisclosures(opts: { now?: Date } = {}): Promise<TestDisclosures> {
  const natsUrl = await testNatsUrl();
  const prefix = uniquePrefix();
  const catalogDb = await testDatabase();
  const db = await testDatabase();
  const logger = createLogger('disclosures-test', { level: 'warn' });
  const base = { NATS_URL: natsUrl, NATS_SUBJECT_PREFIX: prefix, AUTH_TOKEN_SECRET: TEST_TOKEN_SECRET };
  const catalog = await startCatalogService(
    loadCatalogConfig({ ...base, DATABASE_URL: catalogDb.url, CATALOG_GRPC_PORT: '0', CATALOG_METRICS_PORT: '0' }),
    logger,
  );
  const catalogAddress = `127.0.0.1:${catalog.grpcPort}`;
  await publishDefaultCatalog(catalogAddress, {
    departmentToken: (department) => testToken({ department, role: 'department', subject: `${department}-officer` }),
    officeToken: testToken(office),
  });
  const clock = { now: opts.now ?? new Date('2026-06-15T10:00:00+08:00') };
  const running = await startDisclosuresService(
    loadDisclosuresConfig({ ...base, DATABASE_URL: db.url, CATALOG_ADDRESS: catalogAddress, DISCLOSURES_GRPC_PORT: '0', DISCLOSURES_METRICS_PORT: '0', DISCLOSURES_VALIDATION_THREADS: '0' }),
    logger,
    { now: () => clock.now },
  );
  await running.catalog.loaded(10_000);
  const address = `127.0.0.1:${running.grpcPort}`;
  const clients: grpc.Client[] = [];
  const clientAs = (caller: Caller | null) => {
    const c = createClient(DisclosureServiceClient, address, caller ? { token: testToken(caller) } : {});
    clients.push(c as unknown as grpc.Client);
    return c;
  };
  const bus = await connectBus({ url: natsUrl, name: 'disclosures-test-observer', prefix });
  const { events, stop: stopRecording } = recordEvents(bus, 'credit.disclosures.v1.>');
  return {
    running,
    catalog,
    address,
    clientAs,
    bus,
    prefix,
    events,
    clock,
    async stop() {
      stopRecording();
      clients.forEach((c) => c.close());
      await running.stop();
      await catalog.stop();
      await cleanupBus(bus);
      await bus.close();
      await db.drop();
      await catalogDb.drop();
    },
  };
}

/** A valid USCC (check characters computed, so only what a test changes is wrong). */
export function uscc(n: number, opts: { type?: string; division?: string } = {}): string {
  const body = n < 1_000_000 ? `MA${String(n).padStart(6, '0')}` : String(n).padStart(8, '0');
  return composeUscc(opts.type ?? '91', opts.division ?? '540102', body);
}

/** 西藏自治区市场监督管理局 as a deciding authority (a state organ: type 11, region level). */
export const AMR_AUTHORITY = uscc(12_345_678, { type: '11', division: '540000' });

/** A valid penalty of company n decided on `decidedOn`; tests override what they test. */
export function penaltyFields(n: number, decidedOn: string, overrides: Record<string, string> = {}): Record<string, string> {
  return {
    CF_XDR_MC: `拉萨市城关区雪域测试商贸有限公司${n}`,
    CF_XDR_LB: '法人及非法人组织',
    CF_XDR_SHXYM: uscc(n),
    CF_WSH: `藏市监罚〔2026〕${n}号`,
    CF_WFXW: '销售不合格商品',
    CF_SY: '经抽检，当事人销售的酥油茶粉菌落总数不符合食品安全标准',
    CF_YJ: '《中华人民共和国食品安全法》第一百二十四条',
    CF_CFLB: '罚款',
    CF_NR: '罚款人民币2万元',
    CF_NR_FK: '2',
    CF_JDRQ: decidedOn,
    CF_CFJG: '西藏自治区市场监督管理局',
    CF_CFJGDM: AMR_AUTHORITY,
    CF_SJLY: '西藏自治区市场监督管理局',
    CF_SJLYDM: AMR_AUTHORITY,
    ...overrides,
  };
}

/** A valid licence of company n. */
export function licenceFields(n: number, decidedOn: string, overrides: Record<string, string> = {}): Record<string, string> {
  return {
    XK_XDR_MC: `拉萨市城关区雪域测试商贸有限公司${n}`,
    XK_XDR_LB: '法人及非法人组织',
    XK_XDR_SHXYM: uscc(n),
    XK_XKWS: '食品经营许可决定书',
    XK_WSH: `藏市监许〔2026〕${n}号`,
    XK_XKLB: '普通',
    XK_XKZS: '食品经营许可证',
    XK_XKBH: `JY1540102${String(n).padStart(7, '0')}`,
    XK_NR: '预包装食品销售',
    XK_JDRQ: decidedOn,
    XK_YXQZ: decidedOn,
    XK_YXQZI: '2031-06-14',
    XK_XKJG: '西藏自治区市场监督管理局',
    XK_XKJGDM: AMR_AUTHORITY,
    XK_LYDW: '西藏自治区市场监督管理局',
    XK_LYDWDM: AMR_AUTHORITY,
    ...overrides,
  };
}

/** A unary call as `caller`; `method` is the client's camelCase name (e.g. 'submitRecord'). */
export function callAs<Res>(t: TestDisclosures, caller: Caller | null, method: string, req: object): Promise<Res> {
  return callUnary<unknown, Res>(t.clientAs(caller) as unknown as grpc.Client, method, req);
}

/** One IngestRecords chunk of field maps: the columns are the union of their keys, a missing key an empty cell. */
export function chunkOf(requestId: string, itemCode: string, records: Record<string, string>[]): IngestRecordsRequest {
  const columns = [...new Set(records.flatMap((r) => Object.keys(r)))];
  return { requestId, itemCode, columns, rows: records.map((r, i) => ({ line: i + 2, values: columns.map((c) => r[c] ?? '') })) };
}

/** Sends the chunks over one IngestRecords stream and resolves with every answer, or rejects with the stream's error. */
export async function ingestAs(t: TestDisclosures, caller: Caller | null, chunks: IngestRecordsRequest[]): Promise<IngestRecordsResponse[]> {
  const stream = t.clientAs(caller).ingestRecords();
  const answers: IngestRecordsResponse[] = [];
  const done = new Promise<void>((resolve, reject) => {
    stream.on('data', (a: IngestRecordsResponse) => answers.push(a));
    stream.on('end', resolve);
    stream.on('error', reject);
  });
  for (const c of chunks) stream.write(c);
  stream.end();
  await done;
  return answers;
}

/** How many rows a table of the service's database holds (optionally under a SQL condition written by the test). */
export async function countRows(t: TestDisclosures, table: 'disclosure_record' | 'outbox' | 'disclosure_revision', where = 'true'): Promise<number> {
  const [row] = (await t.running.ds.query(`SELECT count(*)::int AS n FROM ${table} WHERE ${where}`)) as { n: number }[];
  return row!.n;
}

/** Waits until the relay has published every committed outbox row, so what the stream holds is final. */
export async function outboxDrained(t: TestDisclosures): Promise<void> {
  await waitFor(async () => (await countRows(t, 'outbox', 'published_at IS NULL')) === 0, { message: 'the outbox was never drained' });
}
