import * as grpc from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RecordOutcome, type IngestRecordsResponse } from '@credit/contracts/credit/disclosures/v1/disclosures.js';
import { PenaltyPublished } from '@credit/contracts/credit/disclosures/v1/events.js';
import { reasonOf } from '@credit/platform';
import { readEvents, rejectionOf } from '@credit/platform/testing';
import {
  AMR_LICENCE_ITEM,
  AMR_PENALTY_ITEM,
  TAX_PENALTY_ITEM,
  amrOfficer,
  chunkOf,
  countRows,
  ingestAs,
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
const { RECORD_OUTCOME_ACCEPTED: ACCEPTED, RECORD_OUTCOME_UNCHANGED: UNCHANGED, RECORD_OUTCOME_REJECTED: REJECTED } = RecordOutcome;

/** A USCC whose check character is wrong and nothing else. */
function withWrongCheck(code: string): string {
  return code.slice(0, 17) + (code.endsWith('0') ? '1' : '0');
}

describe('the IngestRecords stream', () => {
  let t: TestDisclosures;
  let n = 10_000;
  const next = () => ++n;
  const ingest = (chunks: Parameters<typeof chunkOf>[], caller = amrOfficer) => ingestAs(t, caller, chunks.map((c) => chunkOf(...c)));
  const outcomes = (answers: IngestRecordsResponse[]) => answers.flatMap((a) => a.results.map((r) => [Number(r.line), r.outcome]));
  /** The record ids announced by PenaltyPublished events, once the relay has caught up. */
  const announcedIds = async () => {
    await outboxDrained(t);
    return (await readEvents(t.bus, 'credit.disclosures.v1.penalty_published.>')).map((e) => PenaltyPublished.decode(e.data).record!.id);
  };

  beforeAll(async () => {
    t = await startTestDisclosures();
  }, 60_000);
  afterAll(async () => t?.stop());

  it('answers every row of several chunks in order, stores the accepted ones and announces each exactly once', async () => {
    const badCheck = penaltyFields(next(), DECIDED);
    badCheck.CF_XDR_SHXYM = withWrongCheck(badCheck.CF_XDR_SHXYM!);
    const chunks: Parameters<typeof chunkOf>[] = [
      ['mix-1', AMR_PENALTY_ITEM, [penaltyFields(next(), DECIDED), badCheck, penaltyFields(next(), DECIDED)]],
      ['mix-2', AMR_PENALTY_ITEM, [penaltyFields(next(), DECIDED, { CF_WFXW: '' }), penaltyFields(next(), DECIDED)]],
      ['mix-3', AMR_PENALTY_ITEM, [penaltyFields(next(), DECIDED), penaltyFields(next(), DECIDED), penaltyFields(next(), DECIDED, { CF_NR_FK: '-2' })]],
    ];
    const before = await countRows(t, 'disclosure_record');

    const answers = await ingest(chunks);

    expect(answers.map((a) => a.requestId)).toEqual(['mix-1', 'mix-2', 'mix-3']);
    expect(outcomes(answers)).toEqual([
      [2, ACCEPTED], [3, REJECTED], [4, ACCEPTED],
      [2, REJECTED], [3, ACCEPTED],
      [2, ACCEPTED], [3, ACCEPTED], [4, REJECTED],
    ]);
    const results = answers.flatMap((a) => a.results);
    const rejected = results.filter((r) => r.outcome === REJECTED);
    expect(rejected.map((r) => r.violations.map((v) => v.field))).toEqual([['CF_XDR_SHXYM'], ['CF_WFXW'], ['CF_NR_FK']]);
    expect(rejected.every((r) => r.recordId === '')).toBe(true);
    const acceptedIds = results.filter((r) => r.outcome === ACCEPTED).map((r) => r.recordId);
    expect(await countRows(t, 'disclosure_record')).toBe(before + 5);
    const stored = (await t.running.ds.query(`SELECT id::text AS id FROM disclosure_record WHERE id = ANY($1::bigint[])`, [acceptedIds])) as { id: string }[];
    expect(stored.map((r) => r.id).sort()).toEqual([...acceptedIds].sort());
    // Nothing of a rejected row was kept, not even its counterparty.
    expect(await countRows(t, 'disclosure_record', `counterparty_name = '${badCheck.CF_XDR_MC}'`)).toBe(0);

    const announced = await announcedIds();
    for (const id of acceptedIds) expect(announced.filter((a) => a === id)).toHaveLength(1);
    const events = await readEvents(t.bus, 'credit.disclosures.v1.penalty_published.>');
    const ours = events.filter((e) => acceptedIds.includes(PenaltyPublished.decode(e.data).record!.id));
    expect(ours.map((e) => e.subject)).toEqual(Array(5).fill('credit.disclosures.v1.penalty_published.540000'));
  });

  it('answers a resent chunk from the first time and stores and announces nothing new', async () => {
    const records = [penaltyFields(next(), DECIDED), penaltyFields(next(), '2026-05-20')];
    const first = await ingest([['resend', AMR_PENALTY_ITEM, records]]);
    await outboxDrained(t);
    const recordsBefore = await countRows(t, 'disclosure_record');
    const eventsBefore = await countRows(t, 'outbox');

    const again = await ingest([['resend', AMR_PENALTY_ITEM, records]]);
    const renamed = await ingest([['resend-under-a-new-id', AMR_PENALTY_ITEM, records]]);

    expect(again).toEqual(first);
    expect(renamed[0]!.results.map((r) => [r.outcome, r.recordId, r.late])).toEqual(first[0]!.results.map((r) => [UNCHANGED, r.recordId, r.late]));
    expect(first[0]!.results.map((r) => r.late)).toEqual([false, true]);
    expect(await countRows(t, 'disclosure_record')).toBe(recordsBefore);
    expect(await countRows(t, 'outbox')).toBe(eventsBefore);
  });

  it('refuses other content under a known document number, in a later chunk and inside one chunk', async () => {
    const original = penaltyFields(next(), DECIDED);
    const changed = { ...original, CF_NR: '罚款人民币5万元', CF_NR_FK: '5' };
    // The same document number typed with full-width digits and a space is the same document (folded by NFKC).
    const retyped = { ...changed, CF_WSH: original.CF_WSH!.replace('2026', '２０２６ ') };
    const sameNumberOtherAuthority = { ...original, CF_CFJGDM: uscc(23_456_789, { type: '11', division: '540100' }), CF_CFJG: '拉萨市市场监督管理局' };

    const [inOneChunk] = await ingest([['dup-1', AMR_PENALTY_ITEM, [original, changed, original]]]);
    const [later] = await ingest([['dup-2', AMR_PENALTY_ITEM, [retyped, sameNumberOtherAuthority]]]);

    expect(inOneChunk!.results.map((r) => r.outcome)).toEqual([ACCEPTED, REJECTED, UNCHANGED]);
    expect(inOneChunk!.results[1]!.violations).toMatchObject([{ field: 'CF_WSH', reason: 'DUPLICATE_DOCUMENT' }]);
    expect(inOneChunk!.results[2]!.recordId).toBe(inOneChunk!.results[0]!.recordId);
    expect(later!.results.map((r) => r.outcome)).toEqual([REJECTED, ACCEPTED]);
    expect(later!.results[0]!.violations).toMatchObject([{ field: 'CF_WSH', reason: 'DUPLICATE_DOCUMENT' }]);
    const [stored] = (await t.running.ds.query(`SELECT fields FROM disclosure_record WHERE id = $1`, [inOneChunk!.results[0]!.recordId])) as {
      fields: Record<string, string>;
    }[];
    expect(stored!.fields.CF_NR_FK).toBe('2');
  });

  describe('rejects a bad row on its own, naming the field, and stores nothing of it', () => {
    const cases: [string, (k: number) => Record<string, string>, string, string][] = [
      ['a USCC with a wrong check character', (k) => penaltyFields(k, DECIDED, { CF_XDR_SHXYM: withWrongCheck(uscc(k)) }), 'CF_XDR_SHXYM', ''],
      ["a natural person's resident ID number as the company code", (k) => penaltyFields(k, DECIDED, { CF_XDR_SHXYM: '11010519491231002X' }), 'CF_XDR_SHXYM', 'NATURAL_PERSON_ID_IN_COMPANY_FIELD'],
      ['a decision date after today', (k) => penaltyFields(k, '2026-06-16'), 'CF_JDRQ', 'FUTURE_DATE'],
      ['a decision date that does not exist', (k) => penaltyFields(k, '2026-02-30'), 'CF_JDRQ', 'INVALID_DATE'],
      ['a negative fine', (k) => penaltyFields(k, DECIDED, { CF_NR_FK: '-0.5' }), 'CF_NR_FK', 'NEGATIVE_AMOUNT'],
      ['a fine that is not a number', (k) => penaltyFields(k, DECIDED, { CF_NR_FK: '1e3' }), 'CF_NR_FK', 'INVALID_AMOUNT'],
      ['an unknown penalty category', (k) => penaltyFields(k, DECIDED, { CF_CFLB: '罚没款' }), 'CF_CFLB', ''],
      ['a missing decision document number', (k) => penaltyFields(k, DECIDED, { CF_WSH: '' }), 'CF_WSH', 'REQUIRED'],
      ['a formula in a text cell', (k) => penaltyFields(k, DECIDED, { CF_SY: "=cmd|' /C calc'!A0" }), 'CF_SY', 'FORMULA_INJECTION'],
      ['a formula hidden behind a tab', (k) => penaltyFields(k, DECIDED, { CF_XDR_MC: "\t=HYPERLINK(\"http://x\")" }), 'CF_XDR_MC', 'FORMULA_INJECTION'],
      ['a text longer than the catalog allows', (k) => penaltyFields(k, DECIDED, { CF_NR: '罚'.repeat(20_000) }), 'CF_NR', 'FIELD_TOO_LONG'],
    ];

    it.each(cases)('%s', async (_what, record, field, reason) => {
      const bad = record(next());
      const before = await countRows(t, 'disclosure_record');

      const [answer] = await ingest([[`bad-${n}`, AMR_PENALTY_ITEM, [bad, penaltyFields(next(), DECIDED)]]]);

      expect(answer!.results.map((r) => r.outcome)).toEqual([REJECTED, ACCEPTED]);
      const violation = answer!.results[0]!.violations.find((v) => v.field === field);
      expect(violation, JSON.stringify(answer!.results[0]!.violations)).toBeDefined();
      if (reason) expect(violation!.reason).toBe(reason);
      expect(violation!.message).toMatch(/\p{Script=Han}/u);
      expect(await countRows(t, 'disclosure_record')).toBe(before + 1);
    });

    it('a row with more values than columns', async () => {
      const chunk = chunkOf('extra-value', AMR_PENALTY_ITEM, [penaltyFields(next(), DECIDED), penaltyFields(next(), DECIDED)]);
      chunk.rows[1]!.values.push('多出来的一列');
      const before = await countRows(t, 'disclosure_record');

      const [answer] = await ingestAs(t, amrOfficer, [chunk]);

      expect(answer!.results.map((r) => r.outcome)).toEqual([ACCEPTED, REJECTED]);
      expect(answer!.results[1]!.violations).toMatchObject([{ field: 'row', reason: 'COLUMN_COUNT_MISMATCH' }]);
      expect(await countRows(t, 'disclosure_record')).toBe(before + 1);
    });

    it('a penalty sent under a licence item, naming the fields the licence schema lacks and needs', async () => {
      const [answer] = await ingest([['penalty-as-licence', AMR_LICENCE_ITEM, [penaltyFields(next(), DECIDED)]]]);
      expect(answer!.results[0]!.outcome).toBe(REJECTED);
      const violations = answer!.results[0]!.violations;
      expect(violations).toContainEqual(expect.objectContaining({ field: 'CF_WSH', reason: 'UNKNOWN_FIELD' }));
      expect(violations).toContainEqual(expect.objectContaining({ field: 'XK_WSH', reason: 'REQUIRED' }));
    });
  });

  it('keeps an SQL-looking text verbatim: it is only text', async () => {
    const text = "x'); DROP TABLE disclosure_record; -- 及 ' OR '1'='1";
    const [answer] = await ingest([['sql-text', AMR_PENALTY_ITEM, [penaltyFields(next(), DECIDED, { CF_SY: text, CF_XDR_MC: "O'Brien 贸易公司" })]]]);

    const id = answer!.results[0]!.recordId;
    const [row] = (await t.running.ds.query(`SELECT fields FROM disclosure_record WHERE id = $1`, [id])) as { fields: Record<string, string> }[];
    expect(row!.fields.CF_SY).toBe(text);
    expect(row!.fields.CF_XDR_MC).toBe("O'Brien 贸易公司");
    expect(await countRows(t, 'disclosure_record')).toBeGreaterThan(1);
  });

  describe('refuses a caller who may not report the item, storing nothing', () => {
    const refusals: [string, () => Promise<unknown>, grpc.status, string | undefined][] = [
      ["a tax officer reporting the market regulator's penalties", () => ingest([['tax', AMR_PENALTY_ITEM, [penaltyFields(next(), DECIDED)]]], taxOfficer), grpc.status.PERMISSION_DENIED, 'NOT_ITEM_OWNER'],
      ['the market regulator reporting a tax item', () => ingest([['amr-tax', TAX_PENALTY_ITEM, [penaltyFields(next(), DECIDED)]]]), grpc.status.PERMISSION_DENIED, 'NOT_ITEM_OWNER'],
      ['the leading group office, which reports nothing', () => ingest([['office', AMR_PENALTY_ITEM, [penaltyFields(next(), DECIDED)]]], office), grpc.status.PERMISSION_DENIED, undefined],
      ['a caller without a token', () => ingestAs(t, null, [chunkOf('anonymous', AMR_PENALTY_ITEM, [penaltyFields(next(), DECIDED)])]), grpc.status.UNAUTHENTICATED, undefined],
      ['an item the catalog does not have', () => ingest([['unknown-item', 'AMR-CF-999', [penaltyFields(next(), DECIDED)]]]), grpc.status.NOT_FOUND, undefined],
    ];

    it.each(refusals)('%s', async (_who, send, code, reason) => {
      const before = await countRows(t, 'disclosure_record');
      const err = await rejectionOf<grpc.ServiceError>(send());
      expect(err.code).toBe(code);
      if (reason) expect(reasonOf(err)).toBe(reason);
      expect(await countRows(t, 'disclosure_record')).toBe(before);
    });
  });
});
