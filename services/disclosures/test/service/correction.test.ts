import * as grpc from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  RecordState,
  type CorrectRecordResponse,
  type GetRecordResponse,
  type ListRecordsResponse,
  type Record as RecordMessage,
  type SubmitRecordResponse,
} from '@credit/contracts/credit/disclosures/v1/disclosures.js';
import { RecordCorrected, RecordRevoked } from '@credit/contracts/credit/disclosures/v1/events.js';
import { reasonOf, violationsOf, type Caller } from '@credit/platform';
import { readEvents, rejectionOf } from '@credit/platform/testing';
import {
  AMR_PENALTY_ITEM,
  amrOfficer,
  callAs,
  countRows,
  office,
  outboxDrained,
  penaltyFields,
  startTestDisclosures,
  taxOfficer,
  uscc,
  type TestDisclosures,
} from '../harness.js';

// The test clock: Monday 2026-06-15 in China Standard Time.
const DECIDED = '2026-06-10';

describe('corrections (更正), revocations (撤销) and reading records', () => {
  let t: TestDisclosures;
  let n = 50_000;
  const submit = async (fields: Record<string, string>): Promise<RecordMessage> =>
    (await callAs<SubmitRecordResponse>(t, amrOfficer, 'submitRecord', { requestId: crypto.randomUUID(), itemCode: AMR_PENALTY_ITEM, fields })).record!;
  const correct = (caller: Caller, record: RecordMessage, fields: Record<string, string>, opts: { revision?: number; requestId?: string; reason?: string } = {}) =>
    callAs<CorrectRecordResponse>(t, caller, 'correctRecord', {
      requestId: opts.requestId ?? crypto.randomUUID(),
      recordId: record.id,
      expectedRevision: opts.revision ?? record.revision,
      fields,
      reason: opts.reason ?? '罚款金额录入错误',
    });
  const revoke = (caller: Caller, id: string, reason = '行政复议撤销原处罚决定') =>
    callAs<{ record: RecordMessage }>(t, caller, 'revokeRecord', { requestId: crypto.randomUUID(), recordId: id, reason });
  const get = (id: string) => callAs<GetRecordResponse>(t, office, 'getRecord', { recordId: id });
  const eventsOf = async <T extends { record?: RecordMessage }>(subject: string, decode: (b: Uint8Array) => T, id: string) => {
    await outboxDrained(t);
    return (await readEvents(t.bus, subject)).map((e) => ({ subject: e.subject, ...decode(e.data) })).filter((e) => e.record?.id === id);
  };

  beforeAll(async () => {
    t = await startTestDisclosures();
  }, 60_000);
  afterAll(async () => t?.stop());

  it('stores the correction as a new revision, keeps the old fields in the history and announces both versions', async () => {
    const fields = penaltyFields(++n, DECIDED);
    const stored = await submit(fields);

    const { record } = await correct(amrOfficer, stored, { ...fields, CF_NR: '罚款人民币1.5万元', CF_NR_FK: '1.5' });

    expect(record).toMatchObject({ id: stored.id, revision: 2, fields: expect.objectContaining({ CF_NR_FK: '1.5' }) });
    const got = await get(stored.id);
    expect(got.record).toMatchObject({ revision: 2 });
    expect(got.history).toEqual([expect.objectContaining({ revision: 1, reason: '罚款金额录入错误', actor: amrOfficer.subject, fields: stored.fields })]);
    const events = await eventsOf('credit.disclosures.v1.record_corrected.>', (b) => RecordCorrected.decode(b), stored.id);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ subject: 'credit.disclosures.v1.record_corrected.540000', reason: '罚款金额录入错误' });
    expect(events[0]!.previous?.fields.CF_NR_FK).toBe('2');
    expect(events[0]!.record?.fields.CF_NR_FK).toBe('1.5');
  });

  it('re-derives timeliness from a corrected decision date, keeping the day of receipt', async () => {
    const fields = penaltyFields(++n, DECIDED);
    const stored = await submit(fields);

    // Received on 06-15: from Friday 05-29 that is 11 working days.
    const { record } = await correct(amrOfficer, stored, { ...fields, CF_JDRQ: '2026-05-29' }, { reason: '决定日期录入错误' });

    expect(record).toMatchObject({ decisionDate: '2026-05-29', workingDays: 11, late: true, publicityEndsOn: '2027-05-29' });
    expect(record!.receivedAt).toEqual(stored.receivedAt);
  });

  it('answers a repeated correction request from the first time and adds no second revision', async () => {
    const fields = penaltyFields(++n, DECIDED);
    const stored = await submit(fields);
    const changed = { ...fields, CF_NR_FK: '1' };

    const first = await correct(amrOfficer, stored, changed, { requestId: 'correct-once' });
    const repeat = await correct(amrOfficer, stored, changed, { requestId: 'correct-once' });

    expect(repeat).toEqual(first);
    expect(await countRows(t, 'disclosure_revision', `record_id = ${Number(stored.id)}`)).toBe(1);
  });

  it('refuses a stale revision, a changed document number, invalid fields and anyone but the reporting department', async () => {
    const fields = penaltyFields(++n, DECIDED);
    const stored = await submit(fields);

    const stale = await rejectionOf<grpc.ServiceError>(correct(amrOfficer, stored, { ...fields, CF_NR_FK: '1' }, { revision: 2 }));
    const renumbered = await rejectionOf<grpc.ServiceError>(correct(amrOfficer, stored, { ...fields, CF_WSH: '藏市监罚〔2026〕另1号' }));
    const otherAuthority = await rejectionOf<grpc.ServiceError>(
      correct(amrOfficer, stored, { ...fields, CF_CFJGDM: uscc(23_456_789, { type: '11', division: '540100' }) }),
    );
    const invalid = await rejectionOf<grpc.ServiceError>(correct(amrOfficer, stored, { ...fields, CF_NR_FK: '-1' }));
    const noReason = await rejectionOf<grpc.ServiceError>(correct(amrOfficer, stored, { ...fields, CF_NR_FK: '1' }, { reason: ' ' }));
    const byTax = await rejectionOf<grpc.ServiceError>(correct(taxOfficer, stored, { ...fields, CF_NR_FK: '1' }));
    const byOffice = await rejectionOf<grpc.ServiceError>(correct(office, stored, { ...fields, CF_NR_FK: '1' }));

    expect([stale.code, reasonOf(stale)]).toEqual([grpc.status.ABORTED, 'REVISION_CONFLICT']);
    expect([renumbered.code, reasonOf(renumbered)]).toEqual([grpc.status.INVALID_ARGUMENT, 'IDENTITY_CHANGED']);
    expect(violationsOf(otherAuthority).map((v) => v.reason)).toEqual(['IDENTITY_CHANGED']);
    expect(violationsOf(invalid).map((v) => v.field)).toEqual(['CF_NR_FK']);
    expect(violationsOf(noReason).map((v) => v.field)).toEqual(['reason']);
    expect([byTax.code, reasonOf(byTax)]).toEqual([grpc.status.PERMISSION_DENIED, 'NOT_RECORD_OWNER']);
    expect(byOffice.code).toBe(grpc.status.PERMISSION_DENIED);
    const unchanged = await get(stored.id);
    expect(unchanged.record).toMatchObject({ revision: 1, fields: stored.fields });
    expect(unchanged.history).toEqual([]);
  });

  it('revokes a record once, announces it with the reason, and refuses to correct it afterwards', async () => {
    const fields = penaltyFields(++n, DECIDED);
    const stored = await submit(fields);

    const revoked = await revoke(amrOfficer, stored.id);
    const twice = await rejectionOf<grpc.ServiceError>(revoke(amrOfficer, stored.id));
    const correction = await rejectionOf<grpc.ServiceError>(correct(amrOfficer, stored, { ...fields, CF_NR_FK: '1' }));

    expect(revoked.record.state).toBe(RecordState.RECORD_STATE_REVOKED);
    expect([twice.code, reasonOf(twice)]).toEqual([grpc.status.FAILED_PRECONDITION, 'RECORD_REVOKED']);
    expect([correction.code, reasonOf(correction)]).toEqual([grpc.status.FAILED_PRECONDITION, 'RECORD_REVOKED']);
    expect((await get(stored.id)).record?.state).toBe(RecordState.RECORD_STATE_REVOKED);
    const events = await eventsOf('credit.disclosures.v1.record_revoked.>', (b) => RecordRevoked.decode(b), stored.id);
    expect(events.map((e) => [e.subject, e.reason])).toEqual([['credit.disclosures.v1.record_revoked.540000', '行政复议撤销原处罚决定']]);
  });

  it('refuses to revoke a record of another department, or one that does not exist', async () => {
    const stored = await submit(penaltyFields(++n, DECIDED));

    const byTax = await rejectionOf<grpc.ServiceError>(revoke(taxOfficer, stored.id));
    const missing = await rejectionOf<grpc.ServiceError>(revoke(amrOfficer, '999999999'));
    const garbage = await rejectionOf<grpc.ServiceError>(get("1 OR 1=1"));

    expect(byTax.code).toBe(grpc.status.PERMISSION_DENIED);
    expect([missing.code, reasonOf(missing)]).toEqual([grpc.status.NOT_FOUND, 'RECORD_NOT_FOUND']);
    expect(garbage.code).toBe(grpc.status.NOT_FOUND);
    expect((await get(stored.id)).record?.state).toBe(RecordState.RECORD_STATE_PUBLIC);
  });

  describe('listing the records of one counterparty', () => {
    const company = 77_777;
    const code = uscc(company);
    const days = ['2026-06-03', '2026-06-03', '2026-06-01', '2026-06-02', '2026-06-05'];
    const list = (pageToken = '', counterpartyCode = code, pageSize = 2) =>
      callAs<ListRecordsResponse>(t, office, 'listRecords', { counterpartyCode, page: { pageSize, pageToken } });

    beforeAll(async () => {
      // The two decisions of 06-03 get ids 99 and 100, which sort one way as numbers and the other as text.
      await t.running.ds.query(`SELECT setval(pg_get_serial_sequence('disclosure_record', 'id'), 98)`);
      for (const [i, day] of days.entries()) await submit(penaltyFields(company, day, { CF_WSH: `藏市监罚〔2026〕翻页${i}号` }));
    });

    it('pages two at a time, newest decision first, each record once', async () => {
      const pages: ListRecordsResponse[] = [];
      let token = '';
      do {
        const page = await list(token);
        pages.push(page);
        token = page.page?.nextPageToken ?? '';
      } while (token !== '');

      expect(pages.map((p) => p.records.length)).toEqual([2, 2, 1]);
      const records = pages.flatMap((p) => p.records);
      expect(records.map((r) => r.decisionDate)).toEqual(['2026-06-05', '2026-06-03', '2026-06-03', '2026-06-02', '2026-06-01']);
      expect(new Set(records.map((r) => r.id)).size).toBe(5);
      expect(records.every((r) => r.counterpartyCode === code)).toBe(true);
    });

    it('finds the counterparty by its code typed in lower case', async () => {
      const page = await list('', code.toLowerCase(), 10);
      expect(page.records).toHaveLength(5);
      expect(page.page?.nextPageToken).toBe('');
    });

    it.each([
      ['a token that is not ours', 'forged'],
      ['a token with SQL in it', Buffer.from(JSON.stringify(['2026-06-01', '1 OR 1=1'])).toString('base64url')],
      ['a token with a date that is not one', Buffer.from(JSON.stringify(["2026-06-01'; --", '1'])).toString('base64url')],
    ])('refuses %s', async (_what, token) => {
      const err = await rejectionOf<grpc.ServiceError>(list(token));
      expect(err.code).toBe(grpc.status.INVALID_ARGUMENT);
      expect(violationsOf(err).map((v) => v.field)).toEqual(['page_token']);
    });

    it('shows whole records to the departments, the office and sector systems, and to no public caller', async () => {
      const bank: Caller = { department: 'bank', role: 'sector', subject: 'loan-system' };
      expect((await callAs<ListRecordsResponse>(t, bank, 'listRecords', { counterpartyCode: code, page: { pageSize: 1, pageToken: '' } })).records).toHaveLength(1);
      const website: Caller = { department: '', role: 'public', subject: 'website' };
      const listed = await rejectionOf<grpc.ServiceError>(
        callAs<ListRecordsResponse>(t, website, 'listRecords', { counterpartyCode: code, page: { pageSize: 1, pageToken: '' } }),
      );
      const first = (await list('', code, 1)).records[0]!;
      const read = await rejectionOf<grpc.ServiceError>(callAs<GetRecordResponse>(t, website, 'getRecord', { recordId: first.id }));
      expect([listed.code, read.code]).toEqual([grpc.status.PERMISSION_DENIED, grpc.status.PERMISSION_DENIED]);
    });

    it('refuses an empty counterparty code', async () => {
      const err = await rejectionOf<grpc.ServiceError>(list('', ' '));
      expect(violationsOf(err).map((v) => v.field)).toEqual(['counterparty_code']);
    });
  });
});
