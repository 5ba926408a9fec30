import * as grpc from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RecordState, type SubmitRecordResponse } from '@credit/contracts/credit/disclosures/v1/disclosures.js';
import { reasonOf, violationsOf, type Caller } from '@credit/platform';
import { rejectionOf } from '@credit/platform/testing';
import {
  AMR_PENALTY_ITEM,
  amrOfficer,
  callAs,
  countRows,
  office,
  penaltyFields,
  startTestDisclosures,
  taxOfficer,
  type TestDisclosures,
} from '../harness.js';

// The test clock: Monday 2026-06-15 in China Standard Time.
const DECIDED = '2026-06-10';

describe('SubmitRecord', () => {
  let t: TestDisclosures;
  let n = 20_000;
  const next = () => ++n;
  const submit = (fields: Record<string, string>, requestId: string = crypto.randomUUID(), caller: Caller | null = amrOfficer, itemCode = AMR_PENALTY_ITEM) =>
    callAs<SubmitRecordResponse>(t, caller, 'submitRecord', { requestId, itemCode, fields });
  const rejectedCount = async () =>
    Number(((await t.running.ds.query(`SELECT coalesce(sum(rejected), 0)::int AS n FROM assessment_counter WHERE department = 'amr'`)) as { n: number }[])[0]!.n);

  beforeAll(async () => {
    t = await startTestDisclosures();
  }, 60_000);
  afterAll(async () => t?.stop());

  it('creates a record the first time and answers a resubmission under a new request id as not created', async () => {
    const fields = penaltyFields(next(), DECIDED);

    const first = await submit(fields);
    const again = await submit(fields);

    expect(first).toMatchObject({ created: true, record: { state: RecordState.RECORD_STATE_PUBLIC, revision: 1, department: 'amr', itemCode: AMR_PENALTY_ITEM } });
    expect(first.record!.counterpartyCode).toBe(fields.CF_XDR_SHXYM);
    expect(again.created).toBe(false);
    expect(again.record!.id).toBe(first.record!.id);
    expect(await countRows(t, 'disclosure_record', `counterparty_code = '${fields.CF_XDR_SHXYM}'`)).toBe(1);
  });

  it('answers a repeated request id with the first answer, even when the fields sent the second time differ', async () => {
    const requestId = `repeat-${next()}`;
    const first = await submit(penaltyFields(n, DECIDED), requestId);
    const before = await countRows(t, 'disclosure_record');

    const repeat = await submit(penaltyFields(next(), DECIDED), requestId);

    expect(repeat).toEqual(first);
    expect(await countRows(t, 'disclosure_record')).toBe(before);
  });

  it('refuses a rejected record with every violation at once and stores nothing', async () => {
    const before = await countRows(t, 'disclosure_record');

    const err = await rejectionOf<grpc.ServiceError>(submit(penaltyFields(next(), '2026-06-16', { CF_NR_FK: '-1', CF_CFLB: '罚没款', CF_SY: '' })));

    expect(err.code).toBe(grpc.status.INVALID_ARGUMENT);
    expect(violationsOf(err).map((v) => v.field).sort()).toEqual(['CF_CFLB', 'CF_JDRQ', 'CF_NR_FK', 'CF_SY']);
    expect(await countRows(t, 'disclosure_record')).toBe(before);
  });

  it('answers a repeated request id of a rejected record with the same violations, counting the rejection once', async () => {
    const requestId = `rejected-${next()}`;
    const fields = penaltyFields(n, DECIDED, { CF_NR_FK: '两万' });
    const counted = await rejectedCount();

    const first = await rejectionOf<grpc.ServiceError>(submit(fields, requestId));
    const repeat = await rejectionOf<grpc.ServiceError>(submit(fields, requestId));

    expect(first.code).toBe(grpc.status.INVALID_ARGUMENT);
    expect(repeat.code).toBe(grpc.status.INVALID_ARGUMENT);
    expect(violationsOf(repeat)).toEqual(violationsOf(first));
    expect(violationsOf(first).map((v) => v.field)).toEqual(['CF_NR_FK']);
    expect(await rejectedCount()).toBe(counted + 1);
  });

  it('refuses a different content under a document number already stored', async () => {
    const fields = penaltyFields(next(), DECIDED);
    await submit(fields);

    const err = await rejectionOf<grpc.ServiceError>(submit({ ...fields, CF_NR: '罚款人民币3万元', CF_NR_FK: '3' }));

    expect(err.code).toBe(grpc.status.INVALID_ARGUMENT);
    expect(violationsOf(err)).toMatchObject([{ field: 'CF_WSH', reason: 'DUPLICATE_DOCUMENT' }]);
  });

  it('refuses a request id already used for another operation', async () => {
    const requestId = `used-${next()}`;
    await submit(penaltyFields(n, DECIDED), requestId);

    const err = await rejectionOf<grpc.ServiceError>(
      callAs(t, amrOfficer, 'revokeRecord', { requestId, recordId: '1', reason: '撤销' }),
    );

    expect(err.code).toBe(grpc.status.ALREADY_EXISTS);
    expect(reasonOf(err)).toBe('REQUEST_ID_REUSED');
  });

  it('refuses a missing request id', async () => {
    const err = await rejectionOf<grpc.ServiceError>(submit(penaltyFields(next(), DECIDED), ''));
    expect(err.code).toBe(grpc.status.INVALID_ARGUMENT);
    expect(violationsOf(err).map((v) => v.field)).toEqual(['request_id']);
  });

  describe('refuses a caller who may not report the item, storing nothing', () => {
    const refusals: [string, Caller | null, string, grpc.status, string | undefined][] = [
      ["a tax officer reporting the market regulator's penalty", taxOfficer, AMR_PENALTY_ITEM, grpc.status.PERMISSION_DENIED, 'NOT_ITEM_OWNER'],
      ['the leading group office', office, AMR_PENALTY_ITEM, grpc.status.PERMISSION_DENIED, undefined],
      ['a caller without a token', null, AMR_PENALTY_ITEM, grpc.status.UNAUTHENTICATED, undefined],
      ['an item the catalog does not have', amrOfficer, 'NO-SUCH-ITEM', grpc.status.NOT_FOUND, undefined],
    ];

    it.each(refusals)('%s', async (_who, caller, itemCode, code, reason) => {
      const before = await countRows(t, 'disclosure_record');
      const err = await rejectionOf<grpc.ServiceError>(submit(penaltyFields(next(), DECIDED), crypto.randomUUID(), caller, itemCode));
      expect(err.code).toBe(code);
      if (reason) expect(reasonOf(err)).toBe(reason);
      expect(await countRows(t, 'disclosure_record')).toBe(before);
    });
  });
});
