import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type * as grpc from '@grpc/grpc-js';
import { status } from '@grpc/grpc-js';
import { EntryState, MeasureKind, type CheckCreditResponse } from '@credit/contracts/credit/lists/v1/lists.js';
import { createLogger, timeOrderedId, publishEvent } from '@credit/platform';
import { CheckLog, type CheckLogRow } from '../../src/check/index.js';
import { rejectionOf, testDatabase, waitFor } from '@credit/platform/testing';
import { entry, listType, measure, publishLists } from './events.js';
import { financeOfficer, office, publicCaller, startPieces, taxOfficer, uscc, type Pieces } from './pieces.js';

const housingOfficer = { department: 'housing', role: 'sector' as const, subject: 'housing-system' };
const [A, B, C, D] = [uscc(11), uscc(12), uscc(13), uscc(14)];

let db: { url: string; drop(): Promise<void> };
let p: Pieces;
let lastSeq = 0;

async function check(caller: typeof financeOfficer, entityCode: string, activity = ''): Promise<CheckCreditResponse> {
  return p.call<CheckCreditResponse>(p.checkAs(caller), 'checkCredit', { entityCode, activity });
}
/** What a check says, without its id and time: equal states give equal summaries. */
const summary = (r: CheckCreditResponse) =>
  r.measures.map((m) => ({
    code: m.measure?.code,
    causes: m.causes.map((c) => ({ cause: c.cause?.$case, id: c.cause?.$case === 'entry' ? c.cause.value.id : c.cause?.value.grade, name: c.listTypeName, basis: c.legalBasis })),
  }));

beforeAll(async () => {
  db = await testDatabase();
  p = await startPieces({ db });
  const bus = p.bus;
  await publishLists.listType(bus, listType('debtor', { name: '失信被执行人' }));
  await publishLists.measure(bus, measure('restrict_procurement', { listTypes: ['debtor'], activities: ['government_procurement'] }));
  await publishLists.measure(bus, measure('restrict_housing_subsidy', { implementingDepartment: 'housing', listTypes: ['debtor'] }));
  await publishLists.measure(
    bus,
    measure('tax_a_green_channel', { kind: MeasureKind.MEASURE_KIND_REWARD, ratings: [{ sector: 'tax', grades: ['A'] }], activities: ['government_procurement'] }),
  );
  await publishLists.effective(bus, entry('0193a3c1-0000-7000-8000-0000000000a1', A));
  await publishLists.effective(bus, entry('0193a3c1-0000-7000-8000-0000000000b1', B));
  // B's entry is removed, then a stale (older version) effective event arrives late: B stays clear.
  await publishLists.removed(bus, entry('0193a3c1-0000-7000-8000-0000000000b1', B, { state: EntryState.ENTRY_STATE_REMOVED, version: 5, removalReason: 3 }));
  await publishLists.effective(bus, entry('0193a3c1-0000-7000-8000-0000000000b1', B, { version: 4 }));
  // C is under objection after taking effect: still in force; corrected with a validity already past: not in force.
  await publishLists.corrected(bus, entry('0193a3c1-0000-7000-8000-0000000000c1', C, { state: EntryState.ENTRY_STATE_OBJECTED, version: 6 }));
  await publishLists.corrected(
    bus,
    entry('0193a3c1-0000-7000-8000-0000000000c2', C, { validUntil: new Date(Date.now() - 60_000), version: 4 }),
  );
  // An event of another context in the same stream.
  await publishEvent(bus, { id: timeOrderedId(), type: 'credit.registry.v1.Other', source: 'x', subject: 'credit.registry.v1.other', entity: 'x', time: new Date(), data: new Uint8Array() });
  // A rating set through the real path: SetRating → outbox → relay → stream.
  await p.call(p.listsAs(taxOfficer), 'setRating', { requestId: 'rate-d', entityCode: D, sector: 'tax', grade: 'A' });
  const info = await waitFor(async () => {
    const s = await p.bus.jsm.streams.info(`${p.prefix.toUpperCase().replace(/[^A-Z0-9_-]/g, '_')}CREDIT_EVENTS`);
    return s.state.messages === 12 && s.state;
  });
  lastSeq = info.last_seq;
});

afterAll(async () => {
  await p.stop();
});

describe('CheckCredit from the event-fed index', () => {
  it('answers the caller department measures with their causes once the index reached the last lists event', async () => {
    await waitFor(async () => p.check.index.position === lastSeq);
    const a = await check(financeOfficer, A, 'government_procurement');
    expect(a.position).toBe(lastSeq);
    expect(a.department).toBe('finance');
    expect(summary(a)).toEqual([
      { code: 'restrict_procurement', causes: [{ cause: 'entry', id: '0193a3c1-0000-7000-8000-0000000000a1', name: '失信被执行人', basis: '依据 debtor' }] },
    ]);
    expect(a.measures[0]!.causes[0]!.cause).toMatchObject({ value: { entityCode: A, state: EntryState.ENTRY_STATE_EFFECTIVE, version: 3 } });
    expect(summary(await check(financeOfficer, A, 'bidding'))).toEqual([]);
    expect(summary(await check(housingOfficer, A))).toEqual([
      { code: 'restrict_housing_subsidy', causes: [{ cause: 'entry', id: '0193a3c1-0000-7000-8000-0000000000a1', name: '失信被执行人', basis: '依据 debtor' }] },
    ]);
    expect(summary(await check(financeOfficer, B))).toEqual([]);
    expect(summary(await check(financeOfficer, C)).map((m) => m.causes.map((c) => c.id))).toEqual([['0193a3c1-0000-7000-8000-0000000000c1']]);
    expect(summary(await check(financeOfficer, D, 'government_procurement'))).toEqual([
      { code: 'tax_a_green_channel', causes: [{ cause: 'rating', id: 'A', name: '纳税信用等级', basis: '措施依据 tax_a_green_channel' }] },
    ]);
    // An office caller is answered for its own department, which implements nothing here.
    expect(summary(await check(office, A))).toEqual([]);
  });

  it('refuses the public and names a bad entity code', async () => {
    const anonymous = await rejectionOf<grpc.ServiceError>(p.call(p.checkAs(null), 'checkCredit', { entityCode: A, activity: '' }));
    expect(anonymous.code).toBe(status.UNAUTHENTICATED);
    const asPublic = await rejectionOf<grpc.ServiceError>(p.call(p.checkAs(publicCaller), 'checkCredit', { entityCode: A, activity: '' }));
    expect(asPublic.code).toBe(status.PERMISSION_DENIED);
    const bad = await rejectionOf<grpc.ServiceError>(p.call(p.checkAs(financeOfficer), 'checkCredit', { entityCode: A.slice(0, 17), activity: 'x y' }));
    expect(bad.code).toBe(status.INVALID_ARGUMENT);
    expect(bad.details).toContain('entity_code');
    expect(bad.details).toContain('activity');
  });

  it('records every check in credit_check_log with who, what and the measures answered', async () => {
    const answer = await check(financeOfficer, A, 'government_procurement');
    const row = await waitFor(async () => {
      const rows: Record<string, unknown>[] = await p.host.ds.query(`SELECT * FROM credit_check_log WHERE check_id = $1`, [answer.checkId]);
      return rows[0];
    });
    expect(row).toMatchObject({
      department: 'finance',
      role: 'department',
      subject: 'finance-officer',
      entity_code: A,
      activity: 'government_procurement',
      measure_codes: ['restrict_procurement'],
      position: String(lastSeq),
    });
    const empty = await check(financeOfficer, B);
    const emptyRow = await waitFor(async () => {
      const rows: { measure_codes: string[] }[] = await p.host.ds.query(`SELECT measure_codes FROM credit_check_log WHERE check_id = $1`, [empty.checkId]);
      return rows[0];
    });
    expect(emptyRow.measure_codes).toEqual([]);
  });

  it('stores a logged check exactly, whatever its strings hold', async () => {
    const nasty = `O'Brien "x" \\ 拉萨'); DROP TABLE credit_check_log; --`;
    const row = {
      checkId: '0193a3c1-0000-7000-8000-00000000c1c1',
      checkedAt: new Date('2026-11-27T08:09:10.123Z'),
      department: 'finance',
      role: 'department',
      subject: nasty,
      entityCode: A,
      activity: '',
      measureCodes: ['a,b', '{c}', '"d"'],
      position: 42,
    };
    p.check.log.record(row);
    p.check.log.record({ ...row }); // the same check id again: kept once
    await p.check.log.flush();
    const rows: Record<string, unknown>[] = await p.host.ds.query(`SELECT * FROM credit_check_log WHERE check_id = $1`, [row.checkId]);
    expect(rows).toEqual([
      {
        check_id: row.checkId,
        checked_at: row.checkedAt,
        department: 'finance',
        role: 'department',
        subject: nasty,
        entity_code: A,
        activity: '',
        measure_codes: ['a,b', '{c}', '"d"'],
        position: '42',
      },
    ]);
  });

  const logRow = (checkId: string): CheckLogRow => ({
    checkId,
    checkedAt: new Date('2026-11-27T09:00:00.000Z'),
    department: 'finance',
    role: 'sector',
    subject: 'procurement-system',
    entityCode: A,
    activity: 'government_procurement',
    measureCodes: [],
    position: 1,
  });
  const logged = async (ids: string[]): Promise<number> =>
    ((await p.host.ds.query(`SELECT count(*)::int AS n FROM credit_check_log WHERE check_id = ANY($1::uuid[])`, [ids])) as { n: number }[])[0]!.n;
  // Flushed by hand only (the timer would fire after a minute): the order of writes is the test's.
  const handFlushedLog = (): CheckLog => new CheckLog(p.host.ds, createLogger('check-log-test', { level: 'silent' }), { flushEveryMs: 60_000 });

  it('writes the rows recorded during a write in a batch of their own, and stops only when every row is stored', async () => {
    const log = handFlushedLog();
    const first = timeOrderedId();
    const during = [timeOrderedId(), timeOrderedId()];
    log.record(logRow(first));
    const writing = log.flush();
    // After the flush has sent its batch (its COPY is waiting on the database): these two are not part of it.
    await new Promise((r) => setImmediate(r));
    for (const id of during) log.record(logRow(id));
    await writing;
    expect(await logged([first])).toBe(1);
    expect(await logged(during)).toBe(0);
    await log.stop();
    expect(await logged(during)).toBe(2);
  });

  it('keeps the rows of a write the database refused and stores them once when it can', async () => {
    const log = handFlushedLog();
    const ids = [timeOrderedId(), timeOrderedId(), timeOrderedId()];
    await p.host.ds.query(`ALTER TABLE credit_check_log RENAME TO credit_check_log_away`);
    try {
      for (const id of ids) log.record(logRow(id));
      await log.flush();
    } finally {
      await p.host.ds.query(`ALTER TABLE credit_check_log_away RENAME TO credit_check_log`);
    }
    expect(await logged(ids)).toBe(0);
    await log.stop();
    expect(await logged(ids)).toBe(3);
  });

  it('applies new events live, and a restarted service rebuilds the same answers before it is ready', async () => {
    const seq = await publishLists.effective(p.bus, entry('0193a3c1-0000-7000-8000-0000000000b2', B, { version: 1 }));
    await waitFor(async () => p.check.index.position === seq);
    expect(summary(await check(financeOfficer, B)).map((m) => m.code)).toEqual(['restrict_procurement']);

    const before = await Promise.all([A, B, C, D].map((e) => check(financeOfficer, e, 'government_procurement')));
    const logged: { n: number }[] = await p.host.ds.query(`SELECT count(*)::int AS n FROM credit_check_log`);
    await p.stop({ keep: true });
    // Stopping flushes the buffered check log.
    const { default: pg } = await import('pg');
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    const after = await client.query<{ n: number }>(`SELECT count(*)::int AS n FROM credit_check_log`);
    await client.end();
    expect(after.rows[0]!.n).toBeGreaterThanOrEqual(logged[0]!.n + 4);

    p = await startPieces({ db, prefix: p.prefix });
    await p.check.ready;
    expect(p.check.index.position).toBe(seq);
    const again = await Promise.all([A, B, C, D].map((e) => check(financeOfficer, e, 'government_procurement')));
    expect(again.map(summary)).toEqual(before.map(summary));
    expect(again.every((r) => r.position === seq)).toBe(true);
  });
});
