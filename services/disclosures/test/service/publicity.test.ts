import * as grpc from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  RecordState,
  type GetRecordResponse,
  type Record as RecordMessage,
  type SubmitRecordResponse,
} from '@credit/contracts/credit/disclosures/v1/disclosures.js';
import { PenaltyPublicityEnded, PublicityEndReason } from '@credit/contracts/credit/disclosures/v1/events.js';
import { reasonOf, violationsOf, type Caller } from '@credit/platform';
import { readEvents, rejectionOf } from '@credit/platform/testing';
import {
  AMR_PENALTY_ITEM,
  amrOfficer,
  callAs,
  office,
  outboxDrained,
  penaltyFields,
  startTestDisclosures,
  taxOfficer,
  type TestDisclosures,
} from '../harness.js';

const TODAY = new Date('2026-06-15T10:00:00+08:00');
const DECIDED = '2026-06-10';

/** Runs `act` with the service's clock at `now` (China Standard Time), then puts the clock back. */
async function on<T>(t: TestDisclosures, now: string, act: () => Promise<T>): Promise<T> {
  t.clock.now = new Date(`${now}+08:00`);
  try {
    return await act();
  } finally {
    t.clock.now = TODAY;
  }
}

describe('publicity of penalties (公示期) and credit repair (信用修复)', () => {
  let t: TestDisclosures;
  let n = 40_000;
  const submit = async (decidedOn: string, overrides: Record<string, string> = {}): Promise<RecordMessage> =>
    (await callAs<SubmitRecordResponse>(t, amrOfficer, 'submitRecord', { requestId: crypto.randomUUID(), itemCode: AMR_PENALTY_ITEM, fields: penaltyFields(++n, decidedOn, overrides) }))
      .record!;
  const stateOf = async (id: string) => (await callAs<GetRecordResponse>(t, office, 'getRecord', { recordId: id })).record!.state;
  const repair = (caller: Caller, id: string, requestId: string = crypto.randomUUID(), basis = '已缴清罚款并作出信用承诺') =>
    callAs<{ record: RecordMessage }>(t, caller, 'approveRepair', { requestId, recordId: id, basis });
  /** Every PenaltyPublicityEnded event of a record, once the relay has caught up. */
  const endedEvents = async (id: string) => {
    await outboxDrained(t);
    return (await readEvents(t.bus, 'credit.disclosures.v1.penalty_publicity_ended.>'))
      .map((e) => ({ subject: e.subject, ...PenaltyPublicityEnded.decode(e.data) }))
      .filter((e) => e.record?.id === id);
  };

  beforeAll(async () => {
    t = await startTestDisclosures({ now: TODAY });
  }, 60_000);
  afterAll(async () => t?.stop());

  it.each([
    // 信用修复管理办法 (from 2026-04-01): 一般 3 months – 1 year, 严重 1 – 3 years; 一般 when CF_YZCD is absent.
    ['a general penalty under the 2026 rule', DECIDED, { CF_YZCD: '一般' }, '2026-09-10', '2027-06-10'],
    ['a penalty without a severity, as a general one', DECIDED, {}, '2026-09-10', '2027-06-10'],
    ['a serious penalty under the 2026 rule', DECIDED, { CF_YZCD: '严重' }, '2027-06-10', '2029-06-10'],
    // 国家发展改革委令第58号 (2023-05-01 to 2026-03-31): 一般 3 months – 3 years.
    ['a general penalty decided under the 2023 rule', '2026-03-31', { CF_YZCD: '一般' }, '2026-06-30', '2029-03-31'],
  ])('gives %s its repair and end dates', async (_what, decidedOn, overrides, repairFrom, endsOn) => {
    const record = await submit(decidedOn, overrides);
    expect(record).toMatchObject({ state: RecordState.RECORD_STATE_PUBLIC, repairPossibleFrom: repairFrom, publicityEndsOn: endsOn });
  });

  it('stores a minor penalty (轻微) but keeps it off public display, with no publicity period', async () => {
    const record = await submit(DECIDED, { CF_YZCD: '轻微' });
    expect(record).toMatchObject({ state: RecordState.RECORD_STATE_NOT_PUBLIC, publicityEndsOn: '', repairPossibleFrom: '' });
  });

  it('ends publicity on its last day, not the day before, with one EXPIRED event even when two sweeps run at once', async () => {
    const record = await submit('2026-06-11');

    // Records of earlier tests end on 2027-06-10; this one, decided a day later, must not.
    await on(t, '2027-06-10T23:59:00', () => t.running.disclosures.endExpiredPublicity());
    expect(await stateOf(record.id)).toBe(RecordState.RECORD_STATE_PUBLIC);
    const [first, second] = await on(t, '2027-06-11T00:01:00', () =>
      Promise.all([t.running.disclosures.endExpiredPublicity(), t.running.disclosures.endExpiredPublicity()]),
    );
    const again = await on(t, '2027-06-12T09:00:00', () => t.running.disclosures.endExpiredPublicity());

    expect(first! + second!).toBeGreaterThanOrEqual(1);
    expect(again).toBe(0);
    expect(await stateOf(record.id)).toBe(RecordState.RECORD_STATE_PUBLICITY_ENDED);
    const events = await endedEvents(record.id);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ subject: 'credit.disclosures.v1.penalty_publicity_ended.540000', reason: PublicityEndReason.PUBLICITY_END_REASON_EXPIRED });
  });

  it('leaves a revoked penalty alone when its period runs out', async () => {
    const record = await submit(DECIDED);
    await callAs(t, amrOfficer, 'revokeRecord', { requestId: crypto.randomUUID(), recordId: record.id, reason: '行政复议撤销' });

    await on(t, '2028-01-01T09:00:00', () => t.running.disclosures.endExpiredPublicity());

    expect(await stateOf(record.id)).toBe(RecordState.RECORD_STATE_REVOKED);
    expect(await endedEvents(record.id)).toEqual([]);
  });

  it('refuses a repair before the minimum period, and allows it from the first day after', async () => {
    const record = await submit(DECIDED);

    const early = await on(t, '2026-09-09T23:00:00', () => rejectionOf<grpc.ServiceError>(repair(amrOfficer, record.id)));
    const repaired = await on(t, '2026-09-10T08:00:00', () => repair(amrOfficer, record.id));

    expect(early.code).toBe(grpc.status.FAILED_PRECONDITION);
    expect(reasonOf(early)).toBe('REPAIR_TOO_EARLY');
    expect(repaired.record.state).toBe(RecordState.RECORD_STATE_PUBLICITY_ENDED);
    const events = await endedEvents(record.id);
    expect(events.map((e) => e.reason)).toEqual([PublicityEndReason.PUBLICITY_END_REASON_REPAIRED]);
  });

  it('answers a repeated repair request from the first time, and refuses a second repair', async () => {
    const record = await submit(DECIDED);
    const first = await on(t, '2026-10-01T09:00:00', () => repair(amrOfficer, record.id, 'repair-once'));

    const repeat = await on(t, '2026-10-01T09:00:00', () => repair(amrOfficer, record.id, 'repair-once'));
    const second = await on(t, '2026-10-01T09:00:00', () => rejectionOf<grpc.ServiceError>(repair(amrOfficer, record.id)));

    expect(repeat).toEqual(first);
    expect(reasonOf(second)).toBe('NOT_IN_PUBLICITY');
    expect(await endedEvents(record.id)).toHaveLength(1);
  });

  it('repairs only what the deciding department published, with a stated basis', async () => {
    const record = await submit(DECIDED);
    const minor = await submit(DECIDED, { CF_YZCD: '轻微' });

    const [byTax, byOffice, noBasis, notShown] = await on(t, '2026-10-01T09:00:00', () =>
      Promise.all([
        rejectionOf<grpc.ServiceError>(repair(taxOfficer, record.id)),
        rejectionOf<grpc.ServiceError>(repair(office, record.id)),
        rejectionOf<grpc.ServiceError>(repair(amrOfficer, record.id, crypto.randomUUID(), '  ')),
        rejectionOf<grpc.ServiceError>(repair(amrOfficer, minor.id)),
      ]),
    );

    expect(byTax.code).toBe(grpc.status.PERMISSION_DENIED);
    expect(reasonOf(byTax)).toBe('NOT_RECORD_OWNER');
    expect(byOffice.code).toBe(grpc.status.PERMISSION_DENIED);
    expect(violationsOf(noBasis).map((v) => v.field)).toEqual(['basis']);
    expect(reasonOf(notShown)).toBe('NOT_IN_PUBLICITY');
    expect(await stateOf(record.id)).toBe(RecordState.RECORD_STATE_PUBLIC);
  });
});
