import * as grpc from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AdministrativeLevel, type AssessmentRow, type GetAssessmentReportResponse } from '@credit/contracts/credit/disclosures/v1/disclosures.js';
import { violationsOf, type Caller } from '@credit/platform';
import { rejectionOf } from '@credit/platform/testing';
import {
  AMR_PENALTY_ITEM,
  amrOfficer,
  callAs,
  chunkOf,
  ingestAs,
  office,
  penaltyFields,
  startTestDisclosures,
  uscc,
  type TestDisclosures,
} from '../harness.js';

// 拉萨市市场监督管理局: a deciding authority of a prefecture (its records count under 540100).
const LHASA_AUTHORITY = uscc(23_456_789, { type: '11', division: '540100' });
const lhasa = { CF_CFJG: '拉萨市市场监督管理局', CF_CFJGDM: LHASA_AUTHORITY, CF_SJLY: '拉萨市市场监督管理局', CF_SJLYDM: LHASA_AUTHORITY };

/**
 * The market regulator reports on Monday 2026-06-15: under the region's authority 3 accepted penalties (one of them
 * late) and 1 rejected, plus a resubmission that must count nothing; under Lhasa's authority 1 accepted and 1 rejected.
 * On Tuesday 06-16 it reports one more. It owns 2 items (licences and penalties) and reports only penalties.
 */
describe('the assessment (考核) report', () => {
  let t: TestDisclosures;
  const report = (from = '', to = '', divisionCode = '', caller: Caller = office) =>
    callAs<GetAssessmentReportResponse>(t, caller, 'getAssessmentReport', { from, to, divisionCode });
  const line = (rows: AssessmentRow[], department: string, divisionCode: string) => rows.find((r) => r.department === department && r.divisionCode === divisionCode);

  beforeAll(async () => {
    t = await startTestDisclosures({ now: new Date('2026-06-15T10:00:00+08:00') });
    const region = [penaltyFields(1, '2026-06-10'), penaltyFields(2, '2026-06-12'), penaltyFields(3, '2026-05-29'), penaltyFields(4, '2026-06-10', { CF_NR_FK: '-1' })];
    const city = [penaltyFields(5, '2026-06-11', lhasa), penaltyFields(6, '2026-06-11', { ...lhasa, CF_CFLB: '罚没款' })];
    await ingestAs(t, amrOfficer, [chunkOf('day-1', AMR_PENALTY_ITEM, [...region, ...city])]);
    await ingestAs(t, amrOfficer, [chunkOf('day-1-resent', AMR_PENALTY_ITEM, [region[0]!, region[1]!])]);
    t.clock.now = new Date('2026-06-16T10:00:00+08:00');
    await ingestAs(t, amrOfficer, [chunkOf('day-2', AMR_PENALTY_ITEM, [penaltyFields(7, '2026-06-15')])]);
  }, 60_000);
  afterAll(async () => t?.stop());

  it('gives the department per division its counts, coverage of owned items, timeliness and rejection rate', async () => {
    const { rows } = await report();

    expect(line(rows, 'amr', '540000')).toEqual({
      department: 'amr',
      divisionCode: '540000',
      level: AdministrativeLevel.ADMINISTRATIVE_LEVEL_REGION,
      itemsOwned: 2,
      itemsCovered: 1,
      coverage: 0.5,
      accepted: 4,
      late: 1,
      timeliness: 0.75,
      rejected: 1,
      rejectionRate: 0.2,
    });
    expect(line(rows, 'amr', '540100')).toMatchObject({
      level: AdministrativeLevel.ADMINISTRATIVE_LEVEL_PREFECTURE,
      coverage: 0.5,
      accepted: 1,
      late: 0,
      timeliness: 1,
      rejected: 1,
      rejectionRate: 0.5,
    });
  });

  it('lists a department that reported nothing with coverage 0', async () => {
    const { rows } = await report();
    const tax = rows.filter((r) => r.department === 'tax');
    expect(tax).toEqual([
      expect.objectContaining({ divisionCode: '', itemsOwned: 2, itemsCovered: 0, coverage: 0, accepted: 0, rejected: 0, rejectionRate: 0 }),
    ]);
  });

  it('ends with the totals of each level and of the whole region', async () => {
    const { rows } = await report();
    const totals = rows.filter((r) => r.department === '');
    expect(totals.map((r) => r.level)).toEqual([
      AdministrativeLevel.ADMINISTRATIVE_LEVEL_REGION,
      AdministrativeLevel.ADMINISTRATIVE_LEVEL_PREFECTURE,
      AdministrativeLevel.ADMINISTRATIVE_LEVEL_COUNTY,
      AdministrativeLevel.ADMINISTRATIVE_LEVEL_UNSPECIFIED,
    ]);
    expect(totals.map((r) => [r.accepted, r.late, r.rejected])).toEqual([[4, 1, 1], [1, 0, 1], [0, 0, 0], [5, 1, 2]]);
    expect(rows.slice(0, -4).every((r) => r.department !== '')).toBe(true);
  });

  it('counts only the days of receipt asked for', async () => {
    const monday = await report('2026-06-15', '2026-06-15');
    const tuesday = await report('2026-06-16', '');
    expect(line(monday.rows, 'amr', '540000')).toMatchObject({ accepted: 3, late: 1, rejected: 1 });
    expect(line(tuesday.rows, 'amr', '540000')).toMatchObject({ accepted: 1, late: 0, rejected: 0 });
    expect(line(tuesday.rows, 'amr', '540100')).toBeUndefined();
  });

  it('narrows to a prefecture, and takes the region code for all of Tibet', async () => {
    const city = await report('', '', '540100');
    const region = await report('', '', '540000');
    expect(city.rows.filter((r) => r.department === 'amr').map((r) => [r.divisionCode, r.accepted])).toEqual([['540100', 1]]);
    expect(region.rows.filter((r) => r.department === 'amr').map((r) => [r.divisionCode, r.accepted])).toEqual([
      ['540000', 4],
      ['540100', 1],
    ]);
  });

  it('is readable by a reporting department too', async () => {
    const { rows } = await report('', '', '', amrOfficer);
    expect(line(rows, 'amr', '540000')?.accepted).toBe(4);
  });

  it.each([
    ['a date in another format', { from: '2026/06/01' }, 'from'],
    ['a date that does not exist', { to: '2026-02-30' }, 'to'],
    ['a month that does not exist', { from: '2026-13-01' }, 'from'],
  ])('refuses %s', async (_what, dates, field) => {
    const err = await rejectionOf<grpc.ServiceError>(callAs(t, office, 'getAssessmentReport', { from: '', to: '', divisionCode: '', ...dates }));
    expect(err.code).toBe(grpc.status.INVALID_ARGUMENT);
    expect(violationsOf(err).map((v) => v.field)).toEqual([field]);
  });

  it('refuses a division code outside Tibet', async () => {
    const err = await rejectionOf<grpc.ServiceError>(report('', '', '110000'));
    expect(err.code).toBe(grpc.status.INVALID_ARGUMENT);
    expect(violationsOf(err).map((v) => v.field)).toEqual(['division_code']);
  });
});
