import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as grpc from '@grpc/grpc-js';
import {
  ImportOutcome,
  ItemState,
  type CreateItemResponse,
  type GetPublishedCatalogResponse,
  type ImportResponsibilityListResponse,
  type ListItemsResponse,
  type PublishVersionResponse,
} from '@credit/contracts/credit/catalog/v1/catalog.js';
import { CatalogItemConfirmed, CatalogVersionPublished } from '@credit/contracts/credit/catalog/v1/events.js';
import { callUnary, reasonOf, violationsOf, type Caller } from '@credit/platform';
import { rejectionOf, waitFor } from '@credit/platform/testing';
import { amrOfficer, licenceItem, office, responsibilityCsv, startTestCatalog, taxOfficer, type TestCatalog } from './harness.js';

let t: TestCatalog;
beforeAll(async () => {
  t = await startTestCatalog();
});
afterAll(async () => {
  await t?.stop();
});

let nextId = 0;
const rid = () => `req-${++nextId}`;
const call = <Res>(as: Caller | null, method: string, req: unknown) => callUnary<unknown, Res>(t.clientAs(as), method, req);
const rejected = (p: Promise<unknown>) => rejectionOf<grpc.ServiceError>(p);
type ItemRes = CreateItemResponse;

async function confirmedItem(code: string, owner: Caller = amrOfficer) {
  await call(owner, 'createItem', { requestId: rid(), item: licenceItem(code) });
  await call(owner, 'submitItem', { requestId: rid(), code });
  return (await call<ItemRes>(owner, 'confirmItem', { requestId: rid(), code })).item!;
}

const publish = (label: string, as: Caller = office) => call<PublishVersionResponse>(as, 'publishVersion', { requestId: rid(), label });
const published = (version = 0) => call<GetPublishedCatalogResponse>(null, 'getPublishedCatalog', { version });

describe('the confirmation workflow', () => {
  it('takes an item from draft through submitted to confirmed, recording who confirmed it and when', async () => {
    const created = await call<ItemRes>(amrOfficer, 'createItem', { requestId: rid(), item: licenceItem('WF-001') });
    expect(created.item).toMatchObject({ code: 'WF-001', ownerDepartment: 'amr', state: ItemState.ITEM_STATE_DRAFT, revision: 1, confirmedBy: '' });

    const submitted = await call<ItemRes>(amrOfficer, 'submitItem', { requestId: rid(), code: 'WF-001' });
    expect(submitted.item!.state).toBe(ItemState.ITEM_STATE_SUBMITTED);

    const confirmed = await call<ItemRes>({ ...amrOfficer, subject: 'amr-chief' }, 'confirmItem', { requestId: rid(), code: 'WF-001' });
    expect(confirmed.item).toMatchObject({ state: ItemState.ITEM_STATE_CONFIRMED, confirmedBy: 'amr-chief' });
    expect(confirmed.item!.confirmedAt).toBeInstanceOf(Date);

    const [event] = await waitFor(async () => {
      const seen = t.events.filter((e) => e.type === 'credit.catalog.v1.CatalogItemConfirmed' && e.entity === 'WF-001');
      return seen.length > 0 && seen;
    });
    expect(event!.subject).toBe('credit.catalog.v1.item_confirmed.amr');
    expect(CatalogItemConfirmed.decode(event!.data)).toMatchObject({ code: 'WF-001', confirmedBy: 'amr-chief', revision: 1 });
  });

  it('refuses each illegal transition with FAILED_PRECONDITION and a reason', async () => {
    await call(amrOfficer, 'createItem', { requestId: rid(), item: licenceItem('WF-002') });
    const confirmDraft = await rejected(call(amrOfficer, 'confirmItem', { requestId: rid(), code: 'WF-002' }));
    expect(confirmDraft.code).toBe(grpc.status.FAILED_PRECONDITION);
    expect(reasonOf(confirmDraft)).toBe('ILLEGAL_TRANSITION');
    const returnDraft = await rejected(call(office, 'returnItem', { requestId: rid(), code: 'WF-002', reason: '字段不全' }));
    expect(reasonOf(returnDraft)).toBe('ILLEGAL_TRANSITION');

    await call(amrOfficer, 'submitItem', { requestId: rid(), code: 'WF-002' });
    const submitTwice = await rejected(call(amrOfficer, 'submitItem', { requestId: rid(), code: 'WF-002' }));
    expect(reasonOf(submitTwice)).toBe('ILLEGAL_TRANSITION');
    const editSubmitted = await rejected(call(amrOfficer, 'updateItem', { requestId: rid(), item: licenceItem('WF-002', { name: '改名' }) }));
    expect(editSubmitted.code).toBe(grpc.status.FAILED_PRECONDITION);
    expect(reasonOf(editSubmitted)).toBe('ITEM_UNDER_REVIEW');

    await call(amrOfficer, 'confirmItem', { requestId: rid(), code: 'WF-002' });
    const confirmTwice = await rejected(call(amrOfficer, 'confirmItem', { requestId: rid(), code: 'WF-002' }));
    expect(reasonOf(confirmTwice)).toBe('ILLEGAL_TRANSITION');
    const submitConfirmed = await rejected(call(amrOfficer, 'submitItem', { requestId: rid(), code: 'WF-002' }));
    expect(reasonOf(submitConfirmed)).toBe('ILLEGAL_TRANSITION');
  });

  it('lets the office return a submitted item to draft with its reason, and the owner resubmit it', async () => {
    await call(amrOfficer, 'createItem', { requestId: rid(), item: licenceItem('WF-003') });
    await call(amrOfficer, 'submitItem', { requestId: rid(), code: 'WF-003' });
    const noReason = await rejected(call(office, 'returnItem', { requestId: rid(), code: 'WF-003', reason: ' ' }));
    expect(violationsOf(noReason)).toEqual([expect.objectContaining({ field: 'reason', reason: 'REQUIRED' })]);

    const returned = await call<ItemRes>(office, 'returnItem', { requestId: rid(), code: 'WF-003', reason: '缺少许可证书名称字段说明' });
    expect(returned.item).toMatchObject({ state: ItemState.ITEM_STATE_DRAFT, returnReason: '缺少许可证书名称字段说明' });
    const resubmitted = await call<ItemRes>(amrOfficer, 'submitItem', { requestId: rid(), code: 'WF-003' });
    expect(resubmitted.item).toMatchObject({ state: ItemState.ITEM_STATE_SUBMITTED, returnReason: '' });
  });
});

describe('who may do what', () => {
  it('lets only the owning department edit, submit and confirm its item', async () => {
    await call(amrOfficer, 'createItem', { requestId: rid(), item: licenceItem('WHO-001') });
    const otherSubmits = await rejected(call(taxOfficer, 'submitItem', { requestId: rid(), code: 'WHO-001' }));
    expect(otherSubmits.code).toBe(grpc.status.PERMISSION_DENIED);
    expect(reasonOf(otherSubmits)).toBe('NOT_ITEM_OWNER');
    await call(amrOfficer, 'submitItem', { requestId: rid(), code: 'WHO-001' });

    for (const who of [taxOfficer, office, { department: 'bank', role: 'sector', subject: 's' } as Caller]) {
      const err = await rejected(call(who, 'confirmItem', { requestId: rid(), code: 'WHO-001' }));
      expect(err.code).toBe(grpc.status.PERMISSION_DENIED);
    }
    const item = await call<ItemRes>(taxOfficer, 'getItem', { code: 'WHO-001' });
    expect(item.item!.state).toBe(ItemState.ITEM_STATE_SUBMITTED);
  });

  it('lets only the office return items and publish versions, and refuses callers without credentials', async () => {
    await confirmedItem('WHO-002');
    const departmentPublishes = await rejected(publish('部门版', amrOfficer));
    expect(departmentPublishes.code).toBe(grpc.status.PERMISSION_DENIED);
    const anonymous = await rejected(call(null, 'createItem', { requestId: rid(), item: licenceItem('WHO-003') }));
    expect(anonymous.code).toBe(grpc.status.UNAUTHENTICATED);
    const officeCreates = await rejected(call(office, 'createItem', { requestId: rid(), item: licenceItem('WHO-003') }));
    expect(officeCreates.code).toBe(grpc.status.PERMISSION_DENIED);
  });
});

describe('item validation', () => {
  it('names every bad field at once: code format, duplicate field codes, enum without values, bad length', async () => {
    const fields = licenceItem('x').fields;
    const err = await rejected(
      call(amrOfficer, 'createItem', {
        requestId: rid(),
        item: licenceItem('坏 编码', {
          name: '',
          fields: [fields[0]!, { ...fields[0]! }, { ...fields[1]!, enumValues: [] }, { ...fields[2]!, maxLength: 0 }],
          disclosure: 0,
        }),
      }),
    );
    expect(err.code).toBe(grpc.status.INVALID_ARGUMENT);
    const found = violationsOf(err).map((v) => `${v.field}:${v.reason}`);
    expect(found).toEqual(
      expect.arrayContaining([
        'code:BAD_FORMAT',
        'name:REQUIRED',
        'disclosure:REQUIRED',
        'fields[1].code:DUPLICATE_FIELD_CODE',
        'fields[2].enum_values:REQUIRED',
        'fields[3].max_length:OUT_OF_RANGE',
      ]),
    );
  });

  it('keeps item codes unique across the catalog, whichever department asks', async () => {
    await call(amrOfficer, 'createItem', { requestId: rid(), item: licenceItem('UNIQ-001') });
    const err = await rejected(call(taxOfficer, 'createItem', { requestId: rid(), item: licenceItem('UNIQ-001') }));
    expect(err.code).toBe(grpc.status.ALREADY_EXISTS);
    expect(reasonOf(err)).toBe('ITEM_CODE_TAKEN');
  });
});

describe('idempotent requests', () => {
  it('returns the first answer when a request id is repeated, and changes nothing twice', async () => {
    const first = await call<ItemRes>(amrOfficer, 'createItem', { requestId: 'same-create', item: licenceItem('IDEM-001') });
    const again = await call<ItemRes>(amrOfficer, 'createItem', { requestId: 'same-create', item: licenceItem('IDEM-001') });
    expect(again).toEqual(first);
    await call(amrOfficer, 'submitItem', { requestId: 'same-submit', code: 'IDEM-001' });
    const confirm1 = await call<ItemRes>(amrOfficer, 'confirmItem', { requestId: 'same-confirm', code: 'IDEM-001' });
    const confirm2 = await call<ItemRes>(amrOfficer, 'confirmItem', { requestId: 'same-confirm', code: 'IDEM-001' });
    expect(confirm2).toEqual(confirm1);
    await confirmedItem('IDEM-002');
    await waitFor(async () => t.events.some((e) => e.entity === 'IDEM-002'));
    expect(t.events.filter((e) => e.entity === 'IDEM-001')).toHaveLength(1);
  });
});

describe('publishing versions', () => {
  it('publishes confirmed items as an immutable version, announces it, and starts the next revision on edit', async () => {
    const before = await published().catch(() => undefined);
    await confirmedItem('PUB-001');
    await call(amrOfficer, 'createItem', { requestId: rid(), item: licenceItem('PUB-DRAFT') });
    const v = (await publish('2018版')).version!;
    expect(v).toMatchObject({ label: '2018版', publishedBy: 'office-officer' });
    expect(v.version).toBe((before?.version?.version ?? 0) + 1);

    const catalog = await published();
    expect(catalog.version!.version).toBe(v.version);
    const codes = catalog.items.map((i) => i.code);
    expect(codes).toContain('PUB-001');
    expect(codes).not.toContain('PUB-DRAFT');
    expect(catalog.items.find((i) => i.code === 'PUB-001')!.fields.length).toBeGreaterThan(10);

    const [event] = await waitFor(async () => {
      const seen = t.events.filter((e) => e.type === 'credit.catalog.v1.CatalogVersionPublished' && e.entity === String(v.version));
      return seen.length > 0 && seen;
    });
    expect(event!.subject).toBe('credit.catalog.v1.version_published');
    expect(CatalogVersionPublished.decode(event!.data)).toMatchObject({ version: v.version, label: '2018版', itemCount: catalog.items.length });

    // An edit after publication is a new draft revision; version N keeps the revision it published.
    const edited = await call<ItemRes>(amrOfficer, 'updateItem', { requestId: rid(), item: licenceItem('PUB-001', { name: '改名后的行政许可信息' }) });
    expect(edited.item).toMatchObject({ state: ItemState.ITEM_STATE_DRAFT, revision: 2, publishedVersion: 0, confirmedBy: '' });
    const still = await published(v.version);
    expect(still.items.find((i) => i.code === 'PUB-001')).toMatchObject({ name: '行政许可信息 PUB-001', revision: 1 });

    // Until reconfirmed, the next version carries the published revision forward.
    await confirmedItem('PUB-002');
    const v2 = (await publish('2019版')).version!;
    const second = await published(v2.version);
    expect(second.items.find((i) => i.code === 'PUB-001')).toMatchObject({ revision: 1, name: '行政许可信息 PUB-001' });
    expect(second.items.map((i) => i.code)).toContain('PUB-002');

    await call(amrOfficer, 'submitItem', { requestId: rid(), code: 'PUB-001' });
    await call(amrOfficer, 'confirmItem', { requestId: rid(), code: 'PUB-001' });
    const v3 = (await publish('2020版')).version!;
    expect((await published(v3.version)).items.find((i) => i.code === 'PUB-001')).toMatchObject({ revision: 2, name: '改名后的行政许可信息' });
    expect((await published(v.version)).items.find((i) => i.code === 'PUB-001')!.revision).toBe(1);
  });

  it('refuses a version with no change, a label already used, and an unknown version number', async () => {
    const again = await rejected(publish('2021版'));
    expect(again.code).toBe(grpc.status.FAILED_PRECONDITION);
    expect(reasonOf(again)).toBe('NOTHING_TO_PUBLISH');
    await confirmedItem('PUB-003');
    const taken = await rejected(publish('2018版'));
    expect(taken.code).toBe(grpc.status.ALREADY_EXISTS);
    const missing = await rejected(published(999));
    expect(missing.code).toBe(grpc.status.NOT_FOUND);
  });

  it('keeps version rows immutable even against a direct UPDATE', async () => {
    const err = await rejectionOf(t.running.ds.query(`UPDATE catalog_version_item SET name = 'x'`));
    expect(String(err)).toContain('immutable');
  });
});

describe('listing items', () => {
  it('pages through one department\'s items in code order with keyset tokens, filtered by state', async () => {
    for (let i = 0; i < 7; i++) await call(taxOfficer, 'createItem', { requestId: rid(), item: licenceItem(`LIST-${i}`) });
    await call(taxOfficer, 'submitItem', { requestId: rid(), code: 'LIST-3' });
    const codes: string[] = [];
    let token = '';
    do {
      const page = await call<ListItemsResponse>(office, 'listItems', { ownerDepartment: 'tax', state: 0, category: 0, page: { pageSize: 3, pageToken: token } });
      codes.push(...page.items.map((i) => i.code));
      token = page.page!.nextPageToken;
    } while (token);
    expect(codes.filter((c) => c.startsWith('LIST-'))).toEqual(['LIST-0', 'LIST-1', 'LIST-2', 'LIST-3', 'LIST-4', 'LIST-5', 'LIST-6']);
    const submitted = await call<ListItemsResponse>(office, 'listItems', { ownerDepartment: 'tax', state: ItemState.ITEM_STATE_SUBMITTED, category: 0 });
    expect(submitted.items.map((i) => i.code)).toEqual(['LIST-3']);
    const forged = await rejected(call(office, 'listItems', { ownerDepartment: '', state: 0, category: 0, page: { pageSize: 3, pageToken: 'forged!' } }));
    expect(reasonOf(forged)).toBe('BAD_PAGE_TOKEN');
  });
});

describe('importing a 权责清单 CSV', () => {
  const rows = [
    ['CSV-XK-1', '食品经营许可', '行政许可', '《中华人民共和国食品安全法》第三十五条', '自治区'],
    ['CSV-CF-1', '对无证经营的处罚', '行政处罚', '《无证无照经营查处办法》', '市（地）'],
    ['CSV-QZ-1', '查封扣押', '行政强制', '《中华人民共和国行政强制法》', '县(区)'],
    ['CSV-BAD-1', '坏类型', '行政审批', '依据', '自治区'],
    ['', '缺编码', '行政许可', '依据', '乡镇'],
  ];

  it('creates drafts from good rows with the national schemas, and rejects bad rows naming the column', async () => {
    const res = await call<ImportResponsibilityListResponse>(amrOfficer, 'importResponsibilityList', { requestId: rid(), csv: responsibilityCsv(rows, { bom: true }) });
    expect(res).toMatchObject({ created: 3, existing: 0, rejected: 2 });
    expect(res.results.map((r) => [r.row, r.outcome])).toEqual([
      [2, ImportOutcome.IMPORT_OUTCOME_CREATED],
      [3, ImportOutcome.IMPORT_OUTCOME_CREATED],
      [4, ImportOutcome.IMPORT_OUTCOME_CREATED],
      [5, ImportOutcome.IMPORT_OUTCOME_REJECTED],
      [6, ImportOutcome.IMPORT_OUTCOME_REJECTED],
    ]);
    expect(res.results[3]!.violations).toEqual([expect.objectContaining({ field: '事项类型', reason: 'UNKNOWN_POWER_TYPE' })]);
    expect(res.results[4]!.violations.map((v) => v.field)).toEqual(['实施层级']);

    const licence = await call<ItemRes>(amrOfficer, 'getItem', { code: 'CSV-XK-1' });
    expect(licence.item!.fields.map((f) => f.code)).toContain('XK_XKWS');
    const penalty = await call<ItemRes>(amrOfficer, 'getItem', { code: 'CSV-CF-1' });
    expect(penalty.item!.fields.map((f) => f.code)).toContain('CF_WSH');
    const other = await call<ItemRes>(amrOfficer, 'getItem', { code: 'CSV-QZ-1' });
    expect(other.item!.state).toBe(ItemState.ITEM_STATE_DRAFT);
    expect(await rejected(call(amrOfficer, 'getItem', { code: 'CSV-BAD-1' }))).toMatchObject({ code: grpc.status.NOT_FOUND });
  });

  it('duplicates nothing when the same rows are imported again, and refuses another department\'s codes', async () => {
    const [count] = (await t.running.ds.query('SELECT count(*)::int AS n FROM catalog_item')) as Array<{ n: number }>;
    const again = await call<ImportResponsibilityListResponse>(amrOfficer, 'importResponsibilityList', { requestId: rid(), csv: responsibilityCsv(rows.slice(0, 3)) });
    expect(again).toMatchObject({ created: 0, existing: 3, rejected: 0 });
    const byTax = await call<ImportResponsibilityListResponse>(taxOfficer, 'importResponsibilityList', { requestId: rid(), csv: responsibilityCsv(rows.slice(0, 1)) });
    expect(byTax.results[0]).toMatchObject({ outcome: ImportOutcome.IMPORT_OUTCOME_REJECTED, violations: [expect.objectContaining({ reason: 'ITEM_CODE_TAKEN' })] });
    const [after] = (await t.running.ds.query('SELECT count(*)::int AS n FROM catalog_item')) as Array<{ n: number }>;
    expect(after!.n).toBe(count!.n);
  });

  it('says clearly when the file is not UTF-8 or lacks a column', async () => {
    const gbk = Buffer.from([0xca, 0xc2, 0xcf, 0xee, 0xb1, 0xe0, 0xc2, 0xeb, 0x0d, 0x0a]); // 事项编码 in GBK
    const notUtf8 = await rejected(call(amrOfficer, 'importResponsibilityList', { requestId: rid(), csv: gbk }));
    expect(notUtf8.code).toBe(grpc.status.INVALID_ARGUMENT);
    expect(reasonOf(notUtf8)).toBe('NOT_UTF8');
    expect(notUtf8.details).toContain('UTF-8');
    const noLevel = await rejected(
      call(amrOfficer, 'importResponsibilityList', { requestId: rid(), csv: Buffer.from('事项编码,事项名称,事项类型,实施依据\nA,B,行政许可,C\n') }),
    );
    expect(reasonOf(noLevel)).toBe('MISSING_COLUMNS');
    expect(noLevel.details).toContain('实施层级');
  });
});
