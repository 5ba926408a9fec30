import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectBus, createLogger, isDomainError, type Bus, type Caller } from '@credit/platform';
import { TEST_TOKEN_SECRET, cleanupBus, freePort, testDatabase, testNatsUrl, testToken, uniquePrefix, waitFor } from '@credit/platform/testing';
import { loadCatalogConfig, publishDefaultCatalog, startCatalogService, type RunningCatalog } from '@credit/catalog';
import { CatalogView } from '../src/index.js';

const logger = createLogger('catalog-view-test', { level: 'error' });
const office: Caller = { department: 'ndrc', role: 'office', subject: 'office-officer' };
const amr: Caller = { department: 'amr', role: 'department', subject: 'amr-officer' };

let db: { url: string; drop(): Promise<void> };
let bus: Bus;
let prefix: string;
let port: number;
let view: CatalogView;
let service: RunningCatalog | undefined;

beforeAll(async () => {
  db = await testDatabase();
  prefix = uniquePrefix();
  bus = await connectBus({ url: await testNatsUrl(), name: 'catalog-view-test', prefix });
  port = await freePort();
  view = new CatalogView({ address: `127.0.0.1:${port}`, bus, logger, retryBaseMs: 50, retryMaxMs: 200 }).start();
});

afterAll(async () => {
  await view?.stop();
  await service?.stop();
  if (bus) {
    await cleanupBus(bus);
    await bus.close();
  }
  await db?.drop();
});

const errorOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (err) {
    if (isDomainError(err)) return err;
    throw err;
  }
  throw new Error('expected a DomainError');
};

describe('CatalogView', () => {
  it('starts before the catalog service is reachable, refuses records meanwhile, and loads once it is', async () => {
    expect(view.current()).toBeUndefined();
    expect(errorOf(() => view.authorizeRecord(amr, 'AMR-XK-001'))).toMatchObject({ code: 'FAILED_PRECONDITION', reason: 'CATALOG_NOT_LOADED' });

    const config = loadCatalogConfig({
      DATABASE_URL: db.url,
      NATS_URL: await testNatsUrl(),
      NATS_SUBJECT_PREFIX: prefix,
      CATALOG_GRPC_PORT: String(port),
      CATALOG_METRICS_PORT: '0',
      AUTH_TOKEN_SECRET: TEST_TOKEN_SECRET,
    });
    service = await startCatalogService(config, logger);
    const result = await publishDefaultCatalog(`127.0.0.1:${port}`, {
      departmentToken: (department) => testToken({ department, role: 'department', subject: `${department}-officer` }),
      officeToken: testToken(office),
    });
    expect(result).toMatchObject({ published: true, version: 1, label: '2018版', created: 10 });

    const loaded = await view.loaded(5_000);
    expect(loaded).toMatchObject({ version: 1, label: '2018版' });
    expect(loaded.items).toHaveLength(10);
  });

  it('answers which items a department may report, and refuses another department or an unpublished item', async () => {
    expect(view.authorizeRecord(amr, 'AMR-XK-001')).toMatchObject({ code: 'AMR-XK-001', category: 'licence', ownerDepartment: 'amr' });
    const tax: Caller = { department: 'tax', role: 'department', subject: 'tax-officer' };
    expect(errorOf(() => view.authorizeRecord(tax, 'AMR-XK-001'))).toMatchObject({ code: 'PERMISSION_DENIED', reason: 'NOT_ITEM_OWNER' });
    expect(errorOf(() => view.authorizeRecord(amr, 'NOPE-001'))).toMatchObject({ code: 'NOT_FOUND', reason: 'ITEM_NOT_PUBLISHED' });

    const penalties = view.itemsOwnedBy('amr', 'penalty');
    expect(penalties.map((i) => i.code)).toEqual(['AMR-CF-001']);
    const fields = penalties[0]!.fields;
    expect(fields.find((f) => f.code === 'CF_WSH')).toMatchObject({ type: 'text', required: true });
    expect(fields.find((f) => f.code === 'CF_CFLB')!.enumValues).toContain('罚款');
    expect(fields.find((f) => f.code === 'CF_XDR_ZJHM')).toMatchObject({ type: 'id_number', personal: true });
    expect(view.itemsOwnedBy('amr')).toHaveLength(2);
    expect(view.item('TAX-XK-001')?.ownerDepartment).toBe('tax');
  });

  it('reloads within a second of a new version being published, and keeps the old one until then', async () => {
    const before = view.current()!;
    await publishDefaultCatalog(`127.0.0.1:${port}`, {
      departmentToken: (department) => testToken({ department, role: 'department', subject: `${department}-officer` }),
      officeToken: testToken(office),
      departments: [{ code: 'land', name: '西藏自治区自然资源厅' }],
      label: '2019版',
    });
    // Publication has committed; until the event arrives the view still answers from version 1.
    const published = Date.now();
    const reloaded = await waitFor(async () => view.current()!.version === 2 && view.current(), { timeoutMs: 1_000, intervalMs: 10 });
    expect(Date.now() - published).toBeLessThan(1_000);
    expect(reloaded).toMatchObject({ label: '2019版' });
    expect(reloaded!.items).toHaveLength(12);
    expect(view.authorizeRecord({ department: 'land', role: 'department', subject: 'land-officer' }, 'LAND-CF-001').category).toBe('penalty');
    expect(before).toMatchObject({ version: 1, label: '2018版' });
    expect(before.items).toHaveLength(10);
  });
});
