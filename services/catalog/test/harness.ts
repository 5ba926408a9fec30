import type * as grpc from '@grpc/grpc-js';
import { CatalogServiceClient, type ItemInput } from '@credit/contracts/credit/catalog/v1/catalog.js';
import { connectBus, createClient, createLogger, type Bus, type Caller, type CreditEvent } from '@credit/platform';
import { TEST_TOKEN_SECRET, cleanupBus, recordEvents, testDatabase, testNatsUrl, testToken, uniquePrefix } from '@credit/platform/testing';
import { licenceSchema } from '../src/domain/index.js';
import { toFieldMessage } from '../src/grpc/messages.js';
import { category, disclosure, frequency, level } from '../src/grpc/enums.js';
import { loadCatalogConfig, startCatalogService, type RunningCatalog } from '../src/service.js';

export const amrOfficer: Caller = { department: 'amr', role: 'department', subject: 'amr-officer' };
export const taxOfficer: Caller = { department: 'tax', role: 'department', subject: 'tax-officer' };
export const office: Caller = { department: 'ndrc', role: 'office', subject: 'office-officer' };

export interface TestCatalog {
  running: RunningCatalog;
  address: string;
  /** A client calling as someone; null: no credentials. */
  clientAs(caller: Caller | null): grpc.Client;
  bus: Bus;
  prefix: string;
  natsUrl: string;
  /** Events seen on credit.catalog.v1.> since the start, in order. */
  events: CreditEvent[];
  stop(): Promise<void>;
}

/** A catalog service in this process, on its own database and subject prefix, with an event recorder. */
export async function startTestCatalog(opts: { port?: number; prefix?: string } = {}): Promise<TestCatalog> {
  const db = await testDatabase();
  const natsUrl = await testNatsUrl();
  const prefix = opts.prefix ?? uniquePrefix();
  const config = loadCatalogConfig({
    DATABASE_URL: db.url,
    NATS_URL: natsUrl,
    NATS_SUBJECT_PREFIX: prefix,
    CATALOG_GRPC_PORT: String(opts.port ?? 0),
    CATALOG_METRICS_PORT: '0',
    AUTH_TOKEN_SECRET: TEST_TOKEN_SECRET,
  });
  const running = await startCatalogService(config, createLogger('catalog-test', { level: 'warn' }));
  const address = `127.0.0.1:${running.grpcPort}`;
  const clients: grpc.Client[] = [];
  const clientAs = (caller: Caller | null) => {
    const c = createClient(CatalogServiceClient, address, caller ? { token: testToken(caller) } : {}) as unknown as grpc.Client;
    clients.push(c);
    return c;
  };
  const bus = await connectBus({ url: natsUrl, name: 'catalog-test-observer', prefix });
  const { events, stop: stopRecording } = recordEvents(bus, 'credit.catalog.v1.>');
  return {
    running,
    address,
    clientAs,
    bus,
    prefix,
    natsUrl,
    events,
    async stop() {
      stopRecording();
      clients.forEach((c) => c.close());
      await running.stop();
      await cleanupBus(bus);
      await bus.close();
      await db.drop();
    },
  };
}

/** A licence item input in protobuf form; tests change only what matters to them. */
export function licenceItem(code: string, overrides: Partial<ItemInput> = {}): ItemInput {
  return {
    code,
    name: `行政许可信息 ${code}`,
    level: level.toProto('region'),
    category: category.toProto('licence'),
    fields: licenceSchema().map(toFieldMessage),
    disclosure: disclosure.toProto('public'),
    updateFrequency: frequency.toProto('on_change'),
    legalBasis: '《中华人民共和国行政许可法》',
    ...overrides,
  };
}

/** UTF-8 CSV bytes of a 权责清单 with the standard headers. */
export function responsibilityCsv(rows: string[][], opts: { bom?: boolean } = {}): Buffer {
  const lines = [['事项编码', '事项名称', '事项类型', '实施依据', '实施层级'], ...rows].map((r) => r.map(quote).join(','));
  return Buffer.from((opts.bom ? '\uFEFF' : '') + lines.join('\r\n') + '\r\n', 'utf8');
}

const quote = (cell: string) => (/[",\r\n]/.test(cell) ? `"${cell.replace(/"/g, '""')}"` : cell);
