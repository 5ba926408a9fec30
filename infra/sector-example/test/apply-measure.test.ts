// The event handler on a real database, fed events directly: the orders a crash can produce.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type pg from 'pg';
import { feedbackRequestId, type FeedbackReport, type ListEntry, type MeasureResponse, type SectorEvent } from '@credit/sector-sdk';
import { testDatabase } from '@credit/platform/testing';
import { applyMeasure } from '../src/apply-measure.js';
import { openDatabase } from '../src/db.js';
import { debarmentsInForce } from '../src/debarments.js';

let db: { url: string; drop(): Promise<void> };
let pool: pg.Pool;
const reports: FeedbackReport[] = [];
let handle: (e: SectorEvent) => Promise<void>;

beforeAll(async () => {
  db = await testDatabase();
  pool = await openDatabase(db.url);
  // Records what would go to the platform; what the platform does with it is the procurement tests' business.
  const sector = {
    reportFeedback: async (r: FeedbackReport): Promise<MeasureResponse> => {
      reports.push(r);
      return { entryId: r.entryId, measureCode: r.measureCode, implementingDepartment: 'finance', phase: r.phase, outcome: r.outcome, reference: r.reference, note: r.note ?? '', overdue: false };
    },
  };
  handle = applyMeasure({ db: pool, sector, log: () => undefined });
});

afterAll(async () => {
  await pool?.end();
  await db?.drop();
});

const entry = (id: string, entityCode: string): ListEntry => ({
  id,
  listType: 'court_judgment_debtor',
  colour: 'black',
  ownerDepartment: 'court',
  entityCode,
  entityName: '某公司',
  facts: '拒不履行',
  decisionDocument: '(2026)藏01执9号',
  legalBasis: '《若干规定》',
  effectiveAt: new Date('2026-11-26T02:00:00Z'),
  version: 3,
});
const base = { time: new Date(), entity: 'x', subject: 's', sequence: 1, deliveryCount: 1, redelivered: false, durable: 'd' };
const effective = (id: string, e: ListEntry): SectorEvent => ({ ...base, id, type: 'entry_effective', entry: e });
const removed = (id: string, e: ListEntry): SectorEvent => ({ ...base, id, type: 'entry_removed', entry: { ...e, state: 'removed', version: 4 }, reason: 'repaired' });

describe('applying the procurement measure', () => {
  it('never debars an entry whose removal overtook its taking effect, and says so in the feedback', async () => {
    const e = entry('late-1', '91540100MA6T0001XA');
    await handle(removed('ev-r1', e));
    await handle(effective('ev-e1', e));
    expect(await debarmentsInForce(pool, e.entityCode)).toEqual([]);
    expect(reports.filter((r) => r.entryId === 'late-1').map((r) => [r.phase, r.outcome])).toEqual([
      ['lift', 'not_applicable'],
      ['impose', 'not_applicable'],
    ]);
  });

  it('repeats the very same impose report when a handled event comes again after its removal', async () => {
    const e = entry('again-1', '91540100MA6T0002XA');
    await handle(effective('ev-e2', e));
    await handle(removed('ev-r2', e));
    await handle({ ...effective('ev-e2', e), deliveryCount: 2, redelivered: true });
    const imposes = reports.filter((r) => r.entryId === 'again-1' && r.phase === 'impose');
    expect(imposes.map((r) => r.outcome)).toEqual(['applied', 'applied']);
    // Same content → same request id: the platform answers the repeat from its first recording.
    expect(feedbackRequestId(imposes[0]!)).toBe(feedbackRequestId(imposes[1]!));
    expect(await debarmentsInForce(pool, e.entityCode)).toEqual([]);
  });
});
