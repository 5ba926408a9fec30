import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RecordOutcome, RecordState, type Record as RecordMessage, type SubmitRecordResponse } from '@credit/contracts/credit/disclosures/v1/disclosures.js';
import {
  AMR_PENALTY_ITEM,
  amrOfficer,
  callAs,
  chunkOf,
  ingestAs,
  penaltyFields,
  startTestDisclosures,
  type TestDisclosures,
} from '../harness.js';

// Around National Day 2026 the State Council calendar gives: 09-25…27 中秋 off, 10-01…07 国庆 off, and Saturday
// 10-10 a make-up working day (调休). Received on Monday 10-12, a decision of Monday 09-28 is 6 working days old
// (09-29, 09-30, 10-08, 10-09, 10-10, 10-12), though 10 weekdays lie between them.
const RECEIVED = new Date('2026-10-12T10:00:00+08:00');

describe('timeliness of a record (7 working days from the decision)', () => {
  let t: TestDisclosures;
  let n = 30_000;
  const submit = async (decidedOn: string): Promise<RecordMessage> =>
    (await callAs<SubmitRecordResponse>(t, amrOfficer, 'submitRecord', { requestId: crypto.randomUUID(), itemCode: AMR_PENALTY_ITEM, fields: penaltyFields(++n, decidedOn) }))
      .record!;
  const at = async <T>(now: Date, act: () => Promise<T>): Promise<T> => {
    t.clock.now = now;
    try {
      return await act();
    } finally {
      t.clock.now = RECEIVED;
    }
  };

  beforeAll(async () => {
    t = await startTestDisclosures({ now: RECEIVED });
  }, 60_000);
  afterAll(async () => t?.stop());

  it('counts a decision three working days old as on time', async () => {
    const record = await submit('2026-10-08');
    expect(record).toMatchObject({ workingDays: 3, late: false });
  });

  it('skips the National Day holidays and counts the make-up Saturday, so a decision across the holiday is on time', async () => {
    const record = await submit('2026-09-28');
    expect(record).toMatchObject({ workingDays: 6, late: false });
  });

  it('flags a decision ten working days old across the holiday as late, and still accepts and publishes it', async () => {
    // 09-22, 09-23, 09-24, 09-28, 09-29, 09-30, 10-08, 10-09, 10-10, 10-12.
    const record = await submit('2026-09-21');
    expect(record).toMatchObject({ workingDays: 10, late: true, state: RecordState.RECORD_STATE_PUBLIC });
    const [stored] = (await t.running.ds.query(`SELECT late, working_days FROM disclosure_record WHERE id = $1`, [record.id])) as { late: boolean; working_days: number }[];
    expect(stored).toEqual({ late: true, working_days: 10 });
  });

  it('is on time on the seventh working day and late on the eighth', async () => {
    // From 09-28 the seventh working day is Tuesday 10-13.
    const seventh = await at(new Date('2026-10-13T18:00:00+08:00'), () => submit('2026-09-28'));
    const eighth = await at(new Date('2026-10-14T08:00:00+08:00'), () => submit('2026-09-28'));
    expect(seventh).toMatchObject({ workingDays: 7, late: false });
    expect(eighth).toMatchObject({ workingDays: 8, late: true });
  });

  it('counts the day of receipt in China Standard Time, whatever the UTC date', async () => {
    // 01:30 on Monday 10-12 in Lhasa is still Sunday 10-11 in UTC.
    const record = await at(new Date('2026-10-11T17:30:00Z'), () => submit('2026-09-28'));
    expect(record).toMatchObject({ workingDays: 6, late: false });
  });

  it('flags a late row in the stream answer', async () => {
    const [answer] = await ingestAs(t, amrOfficer, [chunkOf('late-rows', AMR_PENALTY_ITEM, [penaltyFields(++n, '2026-09-21'), penaltyFields(++n, '2026-09-28')])]);
    expect(answer!.results.map((r) => [r.outcome, r.late])).toEqual([
      [RecordOutcome.RECORD_OUTCOME_ACCEPTED, true],
      [RecordOutcome.RECORD_OUTCOME_ACCEPTED, false],
    ]);
  });
});
