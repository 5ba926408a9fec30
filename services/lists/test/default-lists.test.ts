import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ListListTypesResponse, ListMeasuresResponse, ListSubscriptionsResponse } from '@credit/contracts/credit/lists/v1/lists.js';
import { createLogger, streamName } from '@credit/platform';
import { testToken } from '@credit/platform/testing';
import { SectorSubscriptions, defaultListTypes, defaultMeasures, publishDefaultLists } from '../src/service.js';
import { office, startTestLists, type TestLists } from './harness.js';

let t: TestLists;

beforeAll(async () => {
  t = await startTestLists();
});

afterAll(async () => {
  await t?.stop();
});

describe('default list types and measures', () => {
  it('are valid, and defining them again changes nothing', async () => {
    const first = await publishDefaultLists(t.address, { officeToken: testToken(office) });
    expect(first).toEqual({ listTypesDefined: defaultListTypes().length, measuresDefined: defaultMeasures().length });
    const again = await publishDefaultLists(t.address, { officeToken: testToken(office) });
    expect(again).toEqual({ listTypesDefined: 0, measuresDefined: 0 });

    const types = await t.call<ListListTypesResponse>(office, 'listListTypes', {});
    expect(types.listTypes.map((x) => [x.code, x.name, x.ownerDepartment])).toContainEqual(['court_judgment_debtor', '失信被执行人', 'court']);
    const measures = await t.call<ListMeasuresResponse>(office, 'listMeasures', { implementingDepartment: 'amr' });
    expect(measures.measures.map((m) => m.code)).toEqual(['green_channel_registration']);
  });

  it('provision the sector durables, and a start re-creates any that went missing', async () => {
    const finance = { department: 'finance', role: 'department' as const, subject: 'f' };
    const subs = await t.call<ListSubscriptionsResponse>(finance, 'listSubscriptions', {});
    expect(subs.subscriptions.map((s) => s.durable).sort()).toEqual([
      'sector_finance_court_judgment_debtor',
      'sector_finance_environment_blacklist',
      'sector_finance_major_tax_violation',
      'sector_finance_work_safety_blacklist',
    ]);
    const tax = await t.call<ListSubscriptionsResponse>({ ...finance, department: 'tax' }, 'listSubscriptions', {});
    expect(tax.subscriptions).toEqual([
      expect.objectContaining({ durable: 'sector_tax_rating_tax', filterSubject: `${t.prefix}credit.lists.v1.rating_changed.rating.tax` }),
    ]);

    const stream = streamName(t.bus, 'CREDIT_EVENTS');
    await t.bus.jsm.consumers.delete(stream, 'sector_finance_court_judgment_debtor');
    await new SectorSubscriptions(t.running.ds, t.running.bus, createLogger('test', { level: 'warn' })).ensureAll();
    const info = await t.bus.jsm.consumers.info(stream, 'sector_finance_court_judgment_debtor');
    expect(info.config.filter_subject).toBe(`${t.prefix}credit.lists.v1.*.black.court_judgment_debtor`);
  });
});
