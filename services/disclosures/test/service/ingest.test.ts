import * as grpc from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  RecordOutcome,
  RecordState,
  type IngestRecordsRequest,
  type IngestRecordsResponse,
  type SubmitRecordResponse,
} from '@credit/contracts/credit/disclosures/v1/disclosures.js';
import { callUnary, reasonOf, violationsOf, type Caller } from '@credit/platform';
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

// The test clock: 2026-06-15 (a Monday) in China Standard Time.
const DECIDED = '2026-06-10';

describe('reporting penalties', () => {
  let t: TestDisclosures;
  let n = 0;
  /** A fresh company number per record, so tests never collide on a decision document. */
  const next = () => ++n;
  const count = async (where = 'true') => Number((await t.running.ds.query(`SELECT count(*)::int AS n FROM disclosure_record WHERE ${where}`))[0].n);
  const submit = (caller: Caller, fields: Record<string, string>, requestId: string = crypto.randomUUID(), itemCode = AMR_PENALTY_ITEM) =>
    callUnary<unknown, SubmitRecordResponse>(t.clientAs(caller) as unknown as grpc.Client, 'submitRecord', { requestId, itemCode, fields });

  /** Sends chunks over IngestRecords and collects the answers. */
  async function ingest(chunks: Omit<IngestRecordsRequest, 'itemCode'>[], caller: Caller = amrOfficer): Promise<IngestRecordsResponse[]> {
    const stream = t.clientAs(caller).ingestRecords();
    const answers: IngestRecordsResponse[] = [];
    const done = new Promise<void>((resolve, reject) => {
      stream.on('data', (a: IngestRecordsResponse) => answers.push(a));
      stream.on('end', resolve);
      stream.on('error', reject);
    });
    for (const c of chunks) stream.write({ ...c, itemCode: AMR_PENALTY_ITEM });
    stream.end();
    await done;
    return answers;
  }

  const chunkOf = (requestId: string, records: Record<string, string>[]) => {
    const columns = [...new Set(records.flatMap((r) => Object.keys(r)))];
    return { requestId, columns, rows: records.map((r, i) => ({ line: i + 2, values: columns.map((c) => r[c] ?? '') })) };
  };

  beforeAll(async () => {
    t = await startTestDisclosures();
  }, 60_000);
  afterAll(async () => t?.stop());

  it('answers every row of a stream in order, stores the good ones with one event each and nothing of the bad', async () => {
    const good = [next(), next(), next()].map((k) => penaltyFields(k, DECIDED));
    const bad = penaltyFields(next(), DECIDED, { CF_NR_FK: '-1' });
    const before = await count();
    const eventsBefore = t.events.length;

    const answers = await ingest([chunkOf('stream-1', [good[0]!, bad]), chunkOf('stream-2', [good[1]!, good[2]!])]);

    expect(answers.map((a) => a.requestId)).toEqual(['stream-1', 'stream-2']);
    expect(answers.flatMap((a) => a.results.map((r) => [Number(r.line), r.outcome]))).toEqual([
      [2, RecordOutcome.RECORD_OUTCOME_ACCEPTED],
      [3, RecordOutcome.RECORD_OUTCOME_REJECTED],
      [2, RecordOutcome.RECORD_OUTCOME_ACCEPTED],
      [3, RecordOutcome.RECORD_OUTCOME_ACCEPTED],
    ]);
    expect(answers[0]!.results[1]!.violations.map((v) => v.field)).toEqual(['CF_NR_FK']);
    expect(await count()).toBe(before + 3);
    await waitFor(async () => t.events.length === eventsBefore + 3);
    const published = t.events.slice(eventsBefore);
    expect(published.every((e) => e.type === 'credit.disclosures.v1.PenaltyPublished' && e.subject === 'credit.disclosures.v1.penalty_published.540000')).toBe(true);
  });

  it('answers a resent chunk from the first time and never stores a record twice', async () => {
    const records = [next(), next()].map((k) => penaltyFields(k, DECIDED));
    const first = await ingest([chunkOf('resent', records)]);
    const before = await count();
    const eventsBefore = t.events.length;

    const again = await ingest([chunkOf('resent', records)]);
    const renamed = await ingest([chunkOf('resent-under-a-new-id', records)]);
    const changed = await ingest([chunkOf('changed-content', [{ ...records[0]!, CF_NR: '罚款人民币3万元' }])]);
    const twice = await ingest([chunkOf('twice-in-one-chunk', [penaltyFields(900, DECIDED), penaltyFields(900, DECIDED)])]);

    expect(again).toEqual(first);
    expect(renamed[0]!.results.map((r) => r.outcome)).toEqual([RecordOutcome.RECORD_OUTCOME_UNCHANGED, RecordOutcome.RECORD_OUTCOME_UNCHANGED]);
    expect(renamed[0]!.results.map((r) => r.recordId)).toEqual(first[0]!.results.map((r) => r.recordId));
    expect(changed[0]!.results[0]!.violations.map((v) => v.reason)).toEqual(['DUPLICATE_DOCUMENT']);
    expect(twice[0]!.results.map((r) => r.outcome)).toEqual([RecordOutcome.RECORD_OUTCOME_ACCEPTED, RecordOutcome.RECORD_OUTCOME_UNCHANGED]);
    expect(await count()).toBe(before + 1);
    await waitFor(async () => t.events.length === eventsBefore + 1);
  });

  describe('refuses bad input, naming the field, storing nothing, and keeps serving', () => {
    const cases: [string, (k: number) => Record<string, string>, string, string][] = [
      ['a USCC with a wrong check character', (k) => penaltyFields(k, DECIDED, { CF_XDR_SHXYM: uscc(k).slice(0, 17) + (uscc(k).endsWith('0') ? '1' : '0') }), 'CF_XDR_SHXYM', ''],
      ["a natural person's ID number in the company code field", (k) => penaltyFields(k, DECIDED, { CF_XDR_SHXYM: '11010519491231002X' }), 'CF_XDR_SHXYM', 'NATURAL_PERSON_ID_IN_COMPANY_FIELD'],
      ['a decision date in the future', (k) => penaltyFields(k, '2026-06-16'), 'CF_JDRQ', ''],
      ['a negative fine', (k) => penaltyFields(k, DECIDED, { CF_NR_FK: '-0.5' }), 'CF_NR_FK', ''],
      ['a fine that is not a number', (k) => penaltyFields(k, DECIDED, { CF_NR_FK: '两万' }), 'CF_NR_FK', ''],
      ['an unknown penalty category', (k) => penaltyFields(k, DECIDED, { CF_CFLB: '罚没款' }), 'CF_CFLB', ''],
      ['a missing required field', (k) => penaltyFields(k, DECIDED, { CF_SY: '' }), 'CF_SY', 'REQUIRED'],
      ['a spreadsheet formula', (k) => penaltyFields(k, DECIDED, { CF_XDR_MC: "=cmd|' /C calc'!A0" }), 'CF_XDR_MC', 'FORMULA_INJECTION'],
      ['an oversize text', (k) => penaltyFields(k, DECIDED, { CF_SY: '违'.repeat(5001) }), 'CF_SY', 'FIELD_TOO_LONG'],
      ['a field the catalog item does not have', (k) => ({ ...penaltyFields(k, DECIDED), XK_WSH: 'x' }), 'XK_WSH', 'UNKNOWN_FIELD'],
    ];
    it.each(cases)('%s', async (_what, record, field, reason) => {
      const before = await count();
      const err = await rejectionOf<grpc.ServiceError>(submit(amrOfficer, record(next())));
      expect(err.code).toBe(grpc.status.INVALID_ARGUMENT);
      const violations = violationsOf(err);
      expect(violations.map((v) => v.field)).toContain(field);
      if (reason) expect(violations.find((v) => v.field === field)?.reason).toBe(reason);
      expect(violations.every((v) => v.message.length > 0)).toBe(true);
      expect(await count()).toBe(before);
      // Still serving.
      expect((await submit(amrOfficer, penaltyFields(next(), DECIDED))).created).toBe(true);
    });

    it('rejects a row with more values than columns on its own', async () => {
      const k = next();
      const chunk = chunkOf('extra-values', [penaltyFields(k, DECIDED), penaltyFields(next(), DECIDED)]);
      chunk.rows[0]!.values.push('多出来的一列');
      const [answer] = await ingest([chunk]);
      expect(answer!.results.map((r) => r.outcome)).toEqual([RecordOutcome.RECORD_OUTCOME_REJECTED, RecordOutcome.RECORD_OUTCOME_ACCEPTED]);
      expect(answer!.results[0]!.violations[0]!.reason).toBe('COLUMN_COUNT_MISMATCH');
    });

    it('stores an SQL-looking text as the text it is', async () => {
      const text = "'); DROP TABLE disclosure_record; --";
      const res = await submit(amrOfficer, penaltyFields(next(), DECIDED, { CF_BZ: text }));
      expect(res.record?.fields.CF_BZ).toBe(text);
      expect(await count()).toBeGreaterThan(0);
    });
  });

  it("refuses a department reporting another department's item, an office, and a caller without credentials", async () => {
    const before = await count();
    const tax = await rejectionOf<grpc.ServiceError>(submit(taxOfficer, penaltyFields(next(), DECIDED)));
    expect(tax.code).toBe(grpc.status.PERMISSION_DENIED);
    expect(reasonOf(tax)).toBe('NOT_ITEM_OWNER');
    const byOffice = await rejectionOf<grpc.ServiceError>(submit(office, penaltyFields(next(), DECIDED)));
    expect(byOffice.code).toBe(grpc.status.PERMISSION_DENIED);
    const anonymous = await rejectionOf<grpc.ServiceError>(
      callUnary(t.clientAs(null) as unknown as grpc.Client, 'submitRecord', { requestId: 'x', itemCode: AMR_PENALTY_ITEM, fields: penaltyFields(next(), DECIDED) }),
    );
    expect(anonymous.code).toBe(grpc.status.UNAUTHENTICATED);
    const unknown = await rejectionOf<grpc.ServiceError>(submit(amrOfficer, penaltyFields(next(), DECIDED), crypto.randomUUID(), 'NO-SUCH-ITEM'));
    expect(unknown.code).toBe(grpc.status.NOT_FOUND);
    expect(await count()).toBe(before);
  });

  it('answers a repeated single submission from the first time, and a resubmission as not created', async () => {
    const fields = penaltyFields(next(), DECIDED);
    const first = await submit(amrOfficer, fields, 'single-1');
    const repeat = await submit(amrOfficer, fields, 'single-1');
    const resubmitted = await submit(amrOfficer, fields, 'single-2');
    expect(first.created).toBe(true);
    expect(repeat).toEqual(first);
    expect(resubmitted.created).toBe(false);
    expect(resubmitted.record?.id).toBe(first.record?.id);
  });

  it('counts working days by the State Council calendar and flags late records without refusing them', async () => {
    // Received on Monday 2026-06-15: from Wednesday 06-10 that is 3 working days; from Friday 05-29, 11 (06-01…05, 06-08…12, 06-15).
    const onTime = await submit(amrOfficer, penaltyFields(next(), DECIDED));
    const late = await submit(amrOfficer, penaltyFields(next(), '2026-05-29'));
    expect(onTime.record).toMatchObject({ workingDays: 3, late: false });
    expect(late.record).toMatchObject({ workingDays: 11, late: true, state: RecordState.RECORD_STATE_PUBLIC });
  });
});
