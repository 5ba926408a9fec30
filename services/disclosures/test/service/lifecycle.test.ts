import * as grpc from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AdministrativeLevel,
  RecordState,
  type CorrectRecordResponse,
  type GetAssessmentReportResponse,
  type GetRecordResponse,
  type ListRecordsResponse,
  type Record as RecordMessage,
  type SubmitRecordResponse,
} from '@credit/contracts/credit/disclosures/v1/disclosures.js';
import { PenaltyPublicityEnded, PublicityEndReason, RecordCorrected, RecordRevoked } from '@credit/contracts/credit/disclosures/v1/events.js';
import { callUnary, reasonOf, type Caller } from '@credit/platform';
import { rejectionOf, waitFor } from '@credit/platform/testing';
import {
  AMR_PENALTY_ITEM,
  amrOfficer,
  office,
  penaltyFields,
  startTestDisclosures,
  taxOfficer,
  uscc,
  type TestDisclosures,
} from '../harness.js';

const DECIDED = '2026-06-10';

describe('a record after it is stored', () => {
  let t: TestDisclosures;
  let n = 1000;
  const call = <Res>(caller: Caller, method: string, req: object) => callUnary<unknown, Res>(t.clientAs(caller) as unknown as grpc.Client, method, req);
  const submit = async (fields: Record<string, string>): Promise<RecordMessage> =>
    (await call<SubmitRecordResponse>(amrOfficer, 'submitRecord', { requestId: crypto.randomUUID(), itemCode: AMR_PENALTY_ITEM, fields })).record!;
  const eventsOf = (type: string, id: string) => t.events.filter((e) => e.type === type && e.data.length > 0).filter((e) => {
    const decoded = type.endsWith('RecordCorrected') ? RecordCorrected.decode(e.data) : type.endsWith('RecordRevoked') ? RecordRevoked.decode(e.data) : PenaltyPublicityEnded.decode(e.data);
    return decoded.record?.id === id;
  });

  beforeAll(async () => {
    t = await startTestDisclosures();
  }, 60_000);
  afterAll(async () => t?.stop());

  it('keeps the earlier revision when a record is corrected, and announces the correction', async () => {
    const fields = penaltyFields(++n, DECIDED);
    const stored = await submit(fields);

    const corrected = await call<CorrectRecordResponse>(amrOfficer, 'correctRecord', {
      requestId: crypto.randomUUID(),
      recordId: stored.id,
      expectedRevision: 1,
      fields: { ...fields, CF_NR: '罚款人民币1.5万元', CF_NR_FK: '1.5' },
      reason: '罚款金额录入错误',
    });

    expect(corrected.record).toMatchObject({ revision: 2, fields: expect.objectContaining({ CF_NR_FK: '1.5' }) });
    const got = await call<GetRecordResponse>(office, 'getRecord', { recordId: stored.id });
    expect(got.history).toHaveLength(1);
    expect(got.history[0]).toMatchObject({ revision: 1, reason: '罚款金额录入错误', actor: amrOfficer.subject });
    expect(got.history[0]!.fields.CF_NR_FK).toBe('2');
    await waitFor(async () => eventsOf('credit.disclosures.v1.RecordCorrected', stored.id).length === 1);
  });

  it('refuses a stale correction, a changed document number and another department', async () => {
    const fields = penaltyFields(++n, DECIDED);
    const stored = await submit(fields);
    const correct = (caller: Caller, revision: number, changed: Record<string, string>) =>
      rejectionOf<grpc.ServiceError>(
        call(caller, 'correctRecord', { requestId: crypto.randomUUID(), recordId: stored.id, expectedRevision: revision, fields: { ...fields, ...changed }, reason: '更正' }),
      );

    expect((await correct(amrOfficer, 7, { CF_NR: '改' })).code).toBe(grpc.status.ABORTED);
    const renumbered = await correct(amrOfficer, 1, { CF_WSH: '藏市监罚〔2026〕另一号' });
    expect(renumbered.code).toBe(grpc.status.INVALID_ARGUMENT);
    expect(reasonOf(renumbered)).toBe('IDENTITY_CHANGED');
    expect((await correct(taxOfficer, 1, { CF_NR: '改' })).code).toBe(grpc.status.PERMISSION_DENIED);
    const unchanged = await call<GetRecordResponse>(office, 'getRecord', { recordId: stored.id });
    expect(unchanged.record?.revision).toBe(1);
  });

  it('revokes a record once, announces it, and refuses to correct it afterwards', async () => {
    const fields = penaltyFields(++n, DECIDED);
    const stored = await submit(fields);
    const revoke = () => call<{ record: RecordMessage }>(amrOfficer, 'revokeRecord', { requestId: crypto.randomUUID(), recordId: stored.id, reason: '行政复议撤销原处罚决定' });

    expect((await revoke()).record.state).toBe(RecordState.RECORD_STATE_REVOKED);
    expect((await rejectionOf<grpc.ServiceError>(revoke())).code).toBe(grpc.status.FAILED_PRECONDITION);
    const correction = await rejectionOf<grpc.ServiceError>(
      call(amrOfficer, 'correctRecord', { requestId: crypto.randomUUID(), recordId: stored.id, expectedRevision: 1, fields, reason: '更正' }),
    );
    expect(reasonOf(correction)).toBe('RECORD_REVOKED');
    await waitFor(async () => eventsOf('credit.disclosures.v1.RecordRevoked', stored.id).length === 1);
  });

  it('gives a penalty its publicity period by the rule in force and ends it when the period has run, once', async () => {
    // 2026 rule (信用修复管理办法, from 2026-04-01): a general penalty is shown 3 months to 1 year.
    const stored = await submit(penaltyFields(++n, DECIDED, { CF_YZCD: '一般' }));
    expect(stored).toMatchObject({ state: RecordState.RECORD_STATE_PUBLIC, publicityEndsOn: '2027-06-10', repairPossibleFrom: '2026-09-10' });
    const minor = await submit(penaltyFields(++n, DECIDED, { CF_YZCD: '轻微', CF_CFLB: '警告', CF_NR: '警告', CF_NR_FK: '' }));
    expect(minor.state).toBe(RecordState.RECORD_STATE_NOT_PUBLIC);

    const saved = t.clock.now;
    try {
      t.clock.now = new Date('2027-06-10T09:00:00+08:00');
      expect(await t.running.disclosures.endExpiredPublicity()).toBeGreaterThanOrEqual(1);
      expect(await t.running.disclosures.endExpiredPublicity()).toBe(0);
    } finally {
      t.clock.now = saved;
    }
    const after = await call<GetRecordResponse>(office, 'getRecord', { recordId: stored.id });
    expect(after.record?.state).toBe(RecordState.RECORD_STATE_PUBLICITY_ENDED);
    await waitFor(async () => eventsOf('credit.disclosures.v1.PenaltyPublicityEnded', stored.id).length === 1);
    const [ended] = eventsOf('credit.disclosures.v1.PenaltyPublicityEnded', stored.id);
    expect(PenaltyPublicityEnded.decode(ended!.data).reason).toBe(PublicityEndReason.PUBLICITY_END_REASON_EXPIRED);
  });

  it('approves a credit repair only after the minimum period, and only by the deciding department', async () => {
    const stored = await submit(penaltyFields(++n, DECIDED));
    const repair = (caller: Caller) => call<{ record: RecordMessage }>(caller, 'approveRepair', { requestId: crypto.randomUUID(), recordId: stored.id, basis: '已缴清罚款并作出信用承诺' });

    const early = await rejectionOf<grpc.ServiceError>(repair(amrOfficer));
    expect(reasonOf(early)).toBe('REPAIR_TOO_EARLY');
    const saved = t.clock.now;
    try {
      t.clock.now = new Date('2026-09-10T09:00:00+08:00');
      expect((await rejectionOf<grpc.ServiceError>(repair(taxOfficer))).code).toBe(grpc.status.PERMISSION_DENIED);
      expect((await repair(amrOfficer)).record.state).toBe(RecordState.RECORD_STATE_PUBLICITY_ENDED);
    } finally {
      t.clock.now = saved;
    }
    await waitFor(async () => eventsOf('credit.disclosures.v1.PenaltyPublicityEnded', stored.id).length === 1);
    const [ended] = eventsOf('credit.disclosures.v1.PenaltyPublicityEnded', stored.id);
    expect(PenaltyPublicityEnded.decode(ended!.data).reason).toBe(PublicityEndReason.PUBLICITY_END_REASON_REPAIRED);
  });

  it("pages through a counterparty's records, newest decision first", async () => {
    const code = uscc(77_777);
    for (const [i, day] of ['2026-06-01', '2026-06-02', '2026-06-03', '2026-06-04', '2026-06-05'].entries()) {
      await submit(penaltyFields(77_777, day, { CF_WSH: `藏市监罚〔2026〕翻页${i}号` }));
    }
    const seen: string[] = [];
    let token = '';
    do {
      const page: ListRecordsResponse = await call(office, 'listRecords', { counterpartyCode: code, page: { pageSize: 2, pageToken: token } });
      seen.push(...page.records.map((r) => r.decisionDate));
      token = page.page?.nextPageToken ?? '';
    } while (token);
    expect(seen).toEqual(['2026-06-05', '2026-06-04', '2026-06-03', '2026-06-02', '2026-06-01']);
    const forged = await rejectionOf<grpc.ServiceError>(call(office, 'listRecords', { counterpartyCode: code, page: { pageSize: 2, pageToken: 'forged' } }));
    expect(forged.code).toBe(grpc.status.INVALID_ARGUMENT);
  });

  it('reports coverage, timeliness and rejection rate per department, with silent departments at zero', async () => {
    const report = await call<GetAssessmentReportResponse>(office, 'getAssessmentReport', { from: '', to: '', divisionCode: '' });
    const amr = report.rows.find((r) => r.department === 'amr' && r.divisionCode === '540000');
    const [row] = await t.running.ds.query(
      `SELECT count(*)::int AS accepted, count(*) FILTER (WHERE late)::int AS late FROM disclosure_record WHERE department = 'amr'`,
    );
    expect(amr).toMatchObject({ itemsOwned: 2, itemsCovered: 1, coverage: 0.5, accepted: row.accepted, late: row.late, level: AdministrativeLevel.ADMINISTRATIVE_LEVEL_REGION });
    expect(report.rows.find((r) => r.department === 'tax')).toMatchObject({ itemsOwned: 2, itemsCovered: 0, coverage: 0, accepted: 0 });
    const total = report.rows.at(-1)!;
    expect(total.department).toBe('');
    expect(total.accepted).toBe(report.rows.filter((r) => r.department !== '').reduce((s, r) => s + r.accepted, 0));

    const lhasa = await call<GetAssessmentReportResponse>(office, 'getAssessmentReport', { from: '', to: '', divisionCode: '540100' });
    expect(lhasa.rows.find((r) => r.department === 'amr' && r.divisionCode === '540000')).toBeUndefined();
    const bad = await rejectionOf<grpc.ServiceError>(call(office, 'getAssessmentReport', { from: '2026/06/01', to: '', divisionCode: '' }));
    expect(bad.code).toBe(grpc.status.INVALID_ARGUMENT);
  });
});
