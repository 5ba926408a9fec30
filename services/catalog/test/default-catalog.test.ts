import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testToken } from '@credit/platform/testing';
import { DEMO_DEPARTMENTS, publishDefaultCatalog } from '../src/service.js';
import { office, startTestCatalog, type TestCatalog } from './harness.js';

let t: TestCatalog;
beforeAll(async () => {
  t = await startTestCatalog();
});
afterAll(async () => {
  await t?.stop();
});

const tokens = {
  departmentToken: (department: string) => testToken({ department, role: 'department', subject: `${department}-officer` }),
  officeToken: testToken(office),
};

describe('the default double publicity catalog', () => {
  it('creates, confirms and publishes a licence and a penalty item per department as 2018版, and seeds nothing the second time', async () => {
    const first = await publishDefaultCatalog(t.address, tokens);
    expect(first).toEqual({ created: 2 * DEMO_DEPARTMENTS.length, published: true, version: 1, label: '2018版' });
    const catalog = await t.running.catalog.publishedCatalog();
    expect(catalog.items.map((i) => `${i.ownerDepartment}:${i.category}`)).toEqual(
      expect.arrayContaining(DEMO_DEPARTMENTS.flatMap((d) => [`${d.code}:licence`, `${d.code}:penalty`])),
    );
    expect(catalog.items.every((i) => i.confirmedBy === `${i.ownerDepartment}-officer`)).toBe(true);

    const second = await publishDefaultCatalog(t.address, tokens);
    expect(second).toEqual({ created: 0, published: false, version: 1, label: '2018版' });
    const [versions] = (await t.running.ds.query('SELECT count(*)::int AS n FROM catalog_version')) as Array<{ n: number }>;
    expect(versions!.n).toBe(1);
  });

  it('finishes a run that stopped half-way, walking each item on from where it is', async () => {
    const land = [{ code: 'land', name: '西藏自治区自然资源厅' }];
    await t.running.catalog.createItem({ department: 'land', role: 'department', subject: 'land-officer' }, 'half-way', {
      ...(await import('../src/domain/index.js')).defaultDoublePublicityItems(land)[0]!,
    });
    const res = await publishDefaultCatalog(t.address, { ...tokens, departments: land, label: '2018版补充' });
    expect(res).toEqual({ created: 1, published: true, version: 2, label: '2018版补充' });
    const v2 = await t.running.catalog.publishedCatalog(2);
    expect(v2.items.map((i) => i.code)).toEqual(expect.arrayContaining(['LAND-XK-001', 'LAND-CF-001', 'AMR-XK-001']));
  });
});
