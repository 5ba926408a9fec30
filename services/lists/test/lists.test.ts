import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { status } from '@grpc/grpc-js';
import {
  EntryState,
  FeedbackOutcome,
  FeedbackPhase,
  ObjectionOutcome,
  RemovalReason,
  type GetEntryResponse,
  type ListEntriesResponse,
  type ListEntry,
  type ListOverdueObjectionsResponse,
  type ListOverdueResponsesResponse,
  type ListSubscriptionsResponse,
  type ProposeEntryResponse,
  type ReportFeedbackResponse,
} from '@credit/contracts/credit/lists/v1/lists.js';
import { ListEntryBecameEffective, ListEntryCorrected, ListEntryRemoved, MeasureDefined } from '@credit/contracts/credit/lists/v1/events.js';
import { reasonOf, streamName, violationsOf } from '@credit/platform';
import { rejectionOf, waitFor } from '@credit/platform/testing';
import {
  courtOfficer,
  financeOfficer,
  listTypeMessage,
  measureMessage,
  office,
  operator,
  startTestLists,
  taxOfficer,
  transportOfficer,
  uscc,
  type TestLists,
} from './harness.js';

type Entry = { entry: ListEntry };
let t: TestLists;
let seq = 0;
const rid = (what: string) => `${what}-${++seq}`;

beforeAll(async () => {
  t = await startTestLists();
  await t.call(office, 'defineListType', { requestId: 'lt-1', listType: listTypeMessage('court_debtor') });
  await t.call(office, 'defineListType', { requestId: 'lt-2', listType: listTypeMessage('court_red', { colour: 1, noticeWorkingDays: 0 }) });
  await t.call(office, 'defineMeasure', {
    requestId: 'm-1',
    measure: measureMessage('restrict_procurement', { implementingDepartment: 'finance', listTypes: ['court_debtor'] }),
  });
  await t.call(office, 'defineMeasure', {
    requestId: 'm-2',
    measure: measureMessage('restrict_travel', { implementingDepartment: 'transport', listTypes: ['court_debtor'], ratings: [{ sector: 'tax', grades: ['D'] }] }),
  });
});

afterAll(async () => {
  await t?.stop();
});

async function propose(n: number, overrides: Record<string, unknown> = {}): Promise<{ entry: ListEntry; replayed: boolean }> {
  const res = await t.call<ProposeEntryResponse>(courtOfficer, 'proposeEntry', {
    requestId: rid('propose'),
    listType: 'court_debtor',
    entityCode: uscc(n),
    entityName: `测试公司${n}`,
    facts: '有履行能力而拒不履行生效法律文书确定的义务',
    decisionDocument: `(2026)藏01执${n}号`,
    legalBasis: '',
    decidedOn: '2026-03-01',
    ...overrides,
  });
  return { entry: res.entry!, replayed: res.replayed };
}

const getEntry = (id: string) => t.call<GetEntryResponse>(courtOfficer, 'getEntry', { entryId: id });

describe('list types and measures', () => {
  it('only the office defines them', async () => {
    const err = await rejectionOf(t.call(courtOfficer, 'defineListType', { requestId: rid('x'), listType: listTypeMessage('court_other') }));
    expect(err).toMatchObject({ code: status.PERMISSION_DENIED });
  });

  it('refuses codes that are not subject tokens, naming each bad field', async () => {
    const err = await rejectionOf(
      t.call(office, 'defineListType', { requestId: rid('x'), listType: listTypeMessage('bad.code>', { colour: 0, ownerDepartment: '' }) }),
    );
    expect(err).toMatchObject({ code: status.INVALID_ARGUMENT });
    expect(violationsOf(err).map((v) => v.field).sort()).toEqual(['list_type.code', 'list_type.colour', 'list_type.owner_department']);
  });

  it('refuses a measure on an unknown list type or with nothing to trigger it', async () => {
    const unknown = await rejectionOf(t.call(office, 'defineMeasure', { requestId: rid('x'), measure: measureMessage('m_x', { listTypes: ['nope_type'] }) }));
    expect(violationsOf(unknown)).toEqual([expect.objectContaining({ field: 'measure.list_types[0]', reason: 'UNKNOWN_LIST_TYPE' })]);
    const empty = await rejectionOf(t.call(office, 'defineMeasure', { requestId: rid('x'), measure: measureMessage('m_y') }));
    expect(reasonOf(empty)).toBe('REQUIRED');
  });

  it('does not let a list type change colour', async () => {
    const err = await rejectionOf(t.call(office, 'defineListType', { requestId: rid('x'), listType: listTypeMessage('court_debtor', { colour: 1 }) }));
    expect(err).toMatchObject({ code: status.FAILED_PRECONDITION });
  });

  it('publishes definitions on colour/department subjects', async () => {
    await waitFor(async () => t.events.some((e) => e.subject === 'credit.lists.v1.list_type_defined.black.court_debtor'));
    const m = await waitFor(async () => t.events.find((e) => e.subject === 'credit.lists.v1.measure_defined.measure.transport'));
    expect(MeasureDefined.decode(m.data).measure).toMatchObject({ code: 'restrict_travel', ratings: [{ sector: 'tax', grades: ['D'] }] });
  });

  it('provisions the implementing departments’ durables with the right filters', async () => {
    const stream = streamName(t.bus, 'CREDIT_EVENTS');
    const list = await t.bus.jsm.consumers.info(stream, 'sector_transport_court_debtor');
    expect(list.config.filter_subject).toBe(`${t.prefix}credit.lists.v1.*.black.court_debtor`);
    expect(list.config.ack_policy).toBe('explicit');
    expect(list.config.deliver_policy).toBe('all');
    const rating = await t.bus.jsm.consumers.info(stream, 'sector_transport_rating_tax');
    expect(rating.config.filter_subject).toBe(`${t.prefix}credit.lists.v1.rating_changed.rating.tax`);

    const mine = await t.call<ListSubscriptionsResponse>(transportOfficer, 'listSubscriptions', {});
    expect(mine.subscriptions).toEqual([
      { stream, durable: 'sector_transport_court_debtor', filterSubject: `${t.prefix}credit.lists.v1.*.black.court_debtor`, source: { $case: 'listType', value: 'court_debtor' } },
      { stream, durable: 'sector_transport_rating_tax', filterSubject: `${t.prefix}credit.lists.v1.rating_changed.rating.tax`, source: { $case: 'ratingSector', value: 'tax' } },
    ]);
    const theirs = await t.call<ListSubscriptionsResponse>(taxOfficer, 'listSubscriptions', {});
    expect(theirs.subscriptions).toEqual([]);
  });
});

describe('entry lifecycle', () => {
  it('runs proposal → notice → effective → objection → correction → removal, with events and feedback', async () => {
    const { entry: proposed, replayed } = await propose(1);
    expect(replayed).toBe(false);
    expect(proposed).toMatchObject({ state: EntryState.ENTRY_STATE_PROPOSED, version: 1, ownerDepartment: 'court', legalBasis: '《测试依据》' });

    const notified = (await t.call<Entry>(courtOfficer, 'notifySubject', { requestId: rid('n'), entryId: proposed.id, reason: '告知书已送达' })).entry;
    expect(notified.state).toBe(EntryState.ENTRY_STATE_NOTIFIED);
    // Monday 2 March 2026 + 3 working days: the notice ends at the end of Thursday 5 March, China time.
    expect(notified.noticeEndsAt).toEqual(new Date('2026-03-05T16:00:00Z'));

    await t.running.sweep();
    expect((await getEntry(proposed.id)).entry!.state).toBe(EntryState.ENTRY_STATE_NOTIFIED);

    t.clock.set('2026-03-06T02:00:00Z');
    expect(await t.running.sweep()).toBeGreaterThanOrEqual(1);
    const effective = await getEntry(proposed.id);
    expect(effective.entry).toMatchObject({ state: EntryState.ENTRY_STATE_EFFECTIVE, effectiveAt: new Date('2026-03-06T02:00:00Z'), version: 3 });
    expect(effective.entry!.validUntil).toEqual(new Date('2027-03-06T02:00:00Z'));
    expect(effective.transitions.map((x) => [x.action, x.actorDepartment])).toEqual([
      ['propose', 'court'],
      ['notify', 'court'],
      ['take_effect', 'platform'],
    ]);
    // One IMPOSE response per measure on the type, due 2 working days later (end of Tuesday 10 March).
    expect(effective.responses.map((r) => [r.measureCode, r.phase, r.overdue])).toEqual([
      ['restrict_procurement', FeedbackPhase.FEEDBACK_PHASE_IMPOSE, false],
      ['restrict_travel', FeedbackPhase.FEEDBACK_PHASE_IMPOSE, false],
    ]);
    expect(effective.responses[0]!.dueAt).toEqual(new Date('2026-03-10T16:00:00Z'));

    const became = await waitFor(async () => t.events.find((e) => e.subject === 'credit.lists.v1.entry_effective.black.court_debtor' && e.entity === uscc(1)));
    expect(ListEntryBecameEffective.decode(became.data).entry).toMatchObject({ id: proposed.id, version: 3, state: EntryState.ENTRY_STATE_EFFECTIVE });

    // Feedback: only the implementing department; idempotent; a later report replaces.
    const report = { entryId: proposed.id, measureCode: 'restrict_procurement', phase: FeedbackPhase.FEEDBACK_PHASE_IMPOSE, outcome: FeedbackOutcome.FEEDBACK_OUTCOME_APPLIED, reference: 'CG-001', note: '已限制' };
    const denied = await rejectionOf(t.call(transportOfficer, 'reportFeedback', { requestId: rid('f'), ...report }));
    expect(denied).toMatchObject({ code: status.PERMISSION_DENIED });
    const first = await t.call<ReportFeedbackResponse>(financeOfficer, 'reportFeedback', { requestId: 'fb-1', ...report });
    expect(first.response).toMatchObject({ outcome: FeedbackOutcome.FEEDBACK_OUTCOME_APPLIED, reference: 'CG-001', overdue: false });
    const again = await t.call<ReportFeedbackResponse>(financeOfficer, 'reportFeedback', { requestId: 'fb-1', ...report, reference: 'ignored' });
    expect(again.response).toEqual(first.response);
    await t.call(financeOfficer, 'reportFeedback', { requestId: 'fb-2', ...report, reference: 'CG-002' });
    const history: unknown[] = await t.running.ds.query(`SELECT reference FROM feedback_report ORDER BY seq`);
    expect(history).toEqual([{ reference: 'CG-001' }, { reference: 'CG-002' }]);
    const notExpected = await rejectionOf(t.call(financeOfficer, 'reportFeedback', { requestId: rid('f'), ...report, phase: FeedbackPhase.FEEDBACK_PHASE_LIFT }));
    expect(notExpected).toMatchObject({ code: status.FAILED_PRECONDITION });

    // Overdue after the deadline: transport has not answered.
    t.clock.set('2026-03-11T02:00:00Z');
    const detail = await getEntry(proposed.id);
    expect(detail.responses.map((r) => [r.measureCode, r.reference, r.overdue])).toEqual([
      ['restrict_procurement', 'CG-002', false],
      ['restrict_travel', '', true],
    ]);
    const forTransport = await t.call<ListOverdueResponsesResponse>(transportOfficer, 'listOverdueResponses', {});
    expect(forTransport.responses.map((r) => [r.entryId, r.measureCode])).toEqual([[proposed.id, 'restrict_travel']]);
    const forFinance = await t.call<ListOverdueResponsesResponse>(financeOfficer, 'listOverdueResponses', {});
    expect(forFinance.responses).toEqual([]);
    expect(await rejectionOf(t.call(financeOfficer, 'listOverdueResponses', { implementingDepartment: 'transport' }))).toMatchObject({ code: status.PERMISSION_DENIED });
    const all = await t.call<ListOverdueResponsesResponse>(office, 'listOverdueResponses', {});
    expect(all.responses.some((r) => r.entryId === proposed.id && r.measureCode === 'restrict_travel')).toBe(true);

    // Objection while in force, by an operator; corrected by the owner.
    const objected = (await t.call<Entry>(operator, 'fileObjection', { requestId: rid('o'), entryId: proposed.id, applicant: '测试公司1', grounds: '已部分履行' })).entry;
    expect(objected.state).toBe(EntryState.ENTRY_STATE_OBJECTED);
    expect(objected.objection!.decideBy!.getTime()).toBeGreaterThan(new Date('2026-03-11T02:00:00Z').getTime());
    const corrected = (
      await t.call<Entry>(courtOfficer, 'decideObjection', {
        requestId: rid('d'),
        entryId: proposed.id,
        outcome: ObjectionOutcome.OBJECTION_OUTCOME_CORRECTED,
        reason: '部分履行，更正事由',
        correctedFacts: '有履行能力而部分拒不履行',
      })
    ).entry;
    expect(corrected).toMatchObject({ state: EntryState.ENTRY_STATE_EFFECTIVE, facts: '有履行能力而部分拒不履行' });
    const corr = await waitFor(async () => t.events.find((e) => e.subject === 'credit.lists.v1.entry_corrected.black.court_debtor' && e.entity === uscc(1)));
    expect(ListEntryCorrected.decode(corr.data)).toMatchObject({ reason: '部分履行，更正事由', entry: { facts: '有履行能力而部分拒不履行' } });

    // Removal by credit repair: announced, LIFT responses expected.
    const removed = (await t.call<Entry>(courtOfficer, 'removeEntry', { requestId: rid('r'), entryId: proposed.id, reason: RemovalReason.REMOVAL_REASON_REPAIRED, explanation: '已完成信用修复' })).entry;
    expect(removed).toMatchObject({ state: EntryState.ENTRY_STATE_REMOVED, removalReason: RemovalReason.REMOVAL_REASON_REPAIRED });
    const rem = await waitFor(async () => t.events.find((e) => e.subject === 'credit.lists.v1.entry_removed.black.court_debtor' && e.entity === uscc(1)));
    expect(ListEntryRemoved.decode(rem.data).reason).toBe(RemovalReason.REMOVAL_REASON_REPAIRED);
    const final = await getEntry(proposed.id);
    expect(final.responses.filter((r) => r.phase === FeedbackPhase.FEEDBACK_PHASE_LIFT).map((r) => r.measureCode)).toEqual(['restrict_procurement', 'restrict_travel']);
    expect(final.transitions.map((x) => x.action)).toEqual(['propose', 'notify', 'take_effect', 'file_objection', 'correct', 'remove']);
    expect(final.entry!.version).toBe(6);
    const audit: { n: string }[] = await t.running.ds.query(`SELECT count(*) AS n FROM audit_log WHERE target = $1`, [proposed.id]);
    expect(Number(audit[0]!.n)).toBe(6);
  });

  it('a list type without a notice period takes effect when notified', async () => {
    const { entry } = await propose(2, { listType: 'court_red' });
    const done = (await t.call<Entry>(courtOfficer, 'notifySubject', { requestId: rid('n'), entryId: entry.id, reason: '' })).entry;
    expect(done.state).toBe(EntryState.ENTRY_STATE_EFFECTIVE);
    const stored = await getEntry(entry.id);
    expect(stored.entry).toEqual(done);
    expect(stored.transitions.map((x) => x.action)).toEqual(['propose', 'notify', 'take_effect']);
    expect(stored.responses).toEqual([]);
    await waitFor(async () => t.events.some((e) => e.subject === 'credit.lists.v1.entry_effective.red.court_red' && e.entity === uscc(2)));
  });

  it('an objection during notice holds the entry; upheld after the notice ended, it takes effect', async () => {
    t.clock.set('2026-04-06T02:00:00Z');
    const { entry } = await propose(3);
    await t.call(courtOfficer, 'notifySubject', { requestId: rid('n'), entryId: entry.id, reason: '' });
    await t.call(operator, 'fileObjection', { requestId: rid('o'), entryId: entry.id, applicant: '测试公司3', grounds: '身份有误' });
    t.clock.set('2026-04-20T02:00:00Z');
    await t.running.sweep();
    expect((await getEntry(entry.id)).entry!.state).toBe(EntryState.ENTRY_STATE_OBJECTED);
    const upheld = (await t.call<Entry>(courtOfficer, 'decideObjection', { requestId: rid('d'), entryId: entry.id, outcome: ObjectionOutcome.OBJECTION_OUTCOME_UPHELD, reason: '核实无误' })).entry;
    expect(upheld).toMatchObject({ state: EntryState.ENTRY_STATE_EFFECTIVE, effectiveAt: new Date('2026-04-20T02:00:00Z') });
  });

  it('lists objections undecided past their deadline to the owner and the office, and marks a late decision', async () => {
    t.clock.set('2026-07-06T02:00:00Z');
    const { entry } = await propose(21);
    const other = (await propose(22)).entry;
    for (const id of [entry.id, other.id]) {
      await t.call(courtOfficer, 'notifySubject', { requestId: rid('n'), entryId: id, reason: '' });
      await t.call(operator, 'fileObjection', { requestId: rid('o'), entryId: id, applicant: '申请人', grounds: '事实有误' });
    }
    const decideBy = (await getEntry(entry.id)).entry!.objection!.decideBy!;
    // Filed Monday 6 July with 5 working days: due at the end of Monday 13 July, China time.
    expect(decideBy).toEqual(new Date('2026-07-13T16:00:00Z'));
    const overdueFor = async (caller: typeof office, ownerDepartment = '') =>
      (await t.call<ListOverdueObjectionsResponse>(caller, 'listOverdueObjections', { ownerDepartment })).entries.map((e) => e.id);

    // In time: decided before the deadline, not late, never listed.
    const onTime = (await t.call<Entry>(courtOfficer, 'decideObjection', { requestId: rid('d'), entryId: other.id, outcome: ObjectionOutcome.OBJECTION_OUTCOME_UPHELD, reason: '核实无误' })).entry;
    expect(onTime.objection).toMatchObject({ outcome: ObjectionOutcome.OBJECTION_OUTCOME_UPHELD, decidedLate: false });

    t.clock.set(new Date(decideBy.getTime() - 60_000).toISOString());
    expect(await overdueFor(courtOfficer)).not.toContain(entry.id);
    t.clock.set(new Date(decideBy.getTime() + 60_000).toISOString());
    expect(await overdueFor(courtOfficer)).toContain(entry.id);
    expect(await overdueFor(office)).toContain(entry.id);
    expect(await overdueFor(office, 'court')).toContain(entry.id);
    expect(await overdueFor(office, 'finance')).not.toContain(entry.id);
    expect(await overdueFor(financeOfficer)).not.toContain(entry.id);
    expect(await overdueFor(courtOfficer)).not.toContain(other.id);
    const denied = await rejectionOf(t.call(financeOfficer, 'listOverdueObjections', { ownerDepartment: 'court' }));
    expect(denied).toMatchObject({ code: status.PERMISSION_DENIED });
    expect(reasonOf(denied)).toBe('OTHER_DEPARTMENT');

    // Late: still decided (the subject is owed an answer), marked late, and off the list.
    const late = (await t.call<Entry>(courtOfficer, 'decideObjection', { requestId: rid('d'), entryId: entry.id, outcome: ObjectionOutcome.OBJECTION_OUTCOME_UPHELD, reason: '核实无误' })).entry;
    expect(late.state).toBe(EntryState.ENTRY_STATE_EFFECTIVE);
    expect(late.objection).toMatchObject({ decidedLate: true });
    expect(await overdueFor(courtOfficer)).not.toContain(entry.id);
  });

  it('pages overdue objections by deadline', async () => {
    t.clock.set('2026-08-03T02:00:00Z');
    const ids: string[] = [];
    for (const n of [31, 32, 33]) {
      const { entry } = await propose(n);
      await t.call(courtOfficer, 'notifySubject', { requestId: rid('n'), entryId: entry.id, reason: '' });
      await t.call(operator, 'fileObjection', { requestId: rid('o'), entryId: entry.id, applicant: '申请人', grounds: '事实有误' });
      ids.push(entry.id);
      t.clock.advanceDays(1);
    }
    t.clock.set('2026-09-30T02:00:00Z');
    const seen: string[] = [];
    let pageToken = '';
    do {
      const page = await t.call<ListOverdueObjectionsResponse>(courtOfficer, 'listOverdueObjections', { page: { pageSize: 1, pageToken } });
      expect(page.entries.length).toBeLessThanOrEqual(1);
      seen.push(...page.entries.map((e) => e.id));
      pageToken = page.page?.nextPageToken ?? '';
    } while (pageToken);
    const ours = seen.filter((id) => ids.includes(id));
    expect(ours).toEqual(ids);
    expect(new Set(seen).size).toBe(seen.length);
  });

  it('expires by itself at valid_until', async () => {
    t.clock.set('2026-05-11T02:00:00Z');
    const { entry } = await propose(4, { listType: 'court_red', validUntil: new Date('2026-06-01T00:00:00Z') });
    await t.call(courtOfficer, 'notifySubject', { requestId: rid('n'), entryId: entry.id, reason: '' });
    t.clock.set('2026-05-31T23:59:00Z');
    await t.running.sweep();
    expect((await getEntry(entry.id)).entry!.state).toBe(EntryState.ENTRY_STATE_EFFECTIVE);
    t.clock.set('2026-06-01T00:00:00Z');
    await t.running.sweep();
    const expired = await getEntry(entry.id);
    expect(expired.entry).toMatchObject({ state: EntryState.ENTRY_STATE_REMOVED, removalReason: RemovalReason.REMOVAL_REASON_EXPIRED });
    expect(expired.transitions.at(-1)).toMatchObject({ action: 'expire', actorDepartment: 'platform' });
    await waitFor(async () => t.events.some((e) => e.subject === 'credit.lists.v1.entry_removed.red.court_red' && e.entity === uscc(4)));
  });

  it('refuses every illegal transition with FAILED_PRECONDITION and changes nothing', async () => {
    const { entry } = await propose(5);
    const tries: Array<[string, Record<string, unknown>]> = [
      ['fileObjection', { applicant: 'a', grounds: 'g' }],
      ['decideObjection', { outcome: ObjectionOutcome.OBJECTION_OUTCOME_UPHELD, reason: 'r' }],
      ['removeEntry', { reason: RemovalReason.REMOVAL_REASON_REVOKED, explanation: '' }],
    ];
    for (const [method, body] of tries) {
      const err = await rejectionOf(t.call(method === 'fileObjection' ? operator : courtOfficer, method, { requestId: rid('i'), entryId: entry.id, ...body }));
      expect(err).toMatchObject({ code: status.FAILED_PRECONDITION });
      expect((err as Error).message).toMatch(/[\u4e00-\u9fff]/);
    }
    await t.call(courtOfficer, 'removeEntry', { requestId: rid('w'), entryId: entry.id, reason: RemovalReason.REMOVAL_REASON_WITHDRAWN, explanation: '不予列入' });
    const afterWithdraw = await getEntry(entry.id);
    for (const [method, body] of [['notifySubject', { reason: '' }], ...tries] as Array<[string, Record<string, unknown>]>) {
      const err = await rejectionOf(t.call(method === 'fileObjection' ? operator : courtOfficer, method, { requestId: rid('i'), entryId: entry.id, ...body }));
      expect(err).toMatchObject({ code: status.FAILED_PRECONDITION });
    }
    expect(await getEntry(entry.id)).toEqual(afterWithdraw);
    // A withdrawn entry never took effect: nothing was announced about it.
    expect(t.events.some((e) => e.entity === uscc(5))).toBe(false);
    const expired = await rejectionOf(t.call(courtOfficer, 'removeEntry', { requestId: rid('i'), entryId: entry.id, reason: RemovalReason.REMOVAL_REASON_EXPIRED, explanation: '' }));
    expect(expired).toMatchObject({ code: status.INVALID_ARGUMENT });
  });

  it('keeps other departments off an owner’s list type and entries', async () => {
    const err = await rejectionOf(
      t.call(taxOfficer, 'proposeEntry', { requestId: rid('p'), listType: 'court_debtor', entityCode: uscc(6), entityName: 'x', facts: 'f', decisionDocument: 'd', legalBasis: '', decidedOn: '2026-03-01' }),
    );
    expect(err).toMatchObject({ code: status.PERMISSION_DENIED });
    const { entry } = await propose(7);
    const before = await getEntry(entry.id);
    expect(await rejectionOf(t.call(taxOfficer, 'notifySubject', { requestId: rid('n'), entryId: entry.id, reason: '' }))).toMatchObject({ code: status.PERMISSION_DENIED });
    expect(await rejectionOf(t.call(office, 'notifySubject', { requestId: rid('n'), entryId: entry.id, reason: '' }))).toMatchObject({ code: status.PERMISSION_DENIED });
    expect(await getEntry(entry.id)).toEqual(before);
    const n: { n: string }[] = await t.running.ds.query(`SELECT count(*) AS n FROM list_entry WHERE entity_code = $1`, [uscc(6)]);
    expect(n[0]!.n).toBe('0');
  });

  it('refuses bad input naming the field, and stores nasty text verbatim', async () => {
    const good = uscc(8);
    const wrongCheck = good.slice(0, 17) + (good.endsWith('0') ? '1' : '0');
    const err = await rejectionOf(
      propose(8, { entityCode: wrongCheck, decidedOn: '2099-01-01', facts: 'x'.repeat(4001), entityName: '', validUntil: new Date('2020-01-01T00:00:00Z') }),
    );
    expect(err).toMatchObject({ code: status.INVALID_ARGUMENT });
    expect(violationsOf(err).map((v) => v.field).sort()).toEqual(['decided_on', 'entity_code', 'entity_name', 'facts', 'valid_until']);
    expect(violationsOf(err).find((v) => v.field === 'decided_on')!.reason).toBe('IN_THE_FUTURE');
    expect(reasonOf(await rejectionOf(propose(8, { decidedOn: '2026-02-30' })))).toBe('BAD_DATE');
    expect(reasonOf(await rejectionOf(propose(8, { facts: 'a\u0000b' })))).toBe('CONTROL_CHARACTER');

    const nasty = `'; DROP TABLE list_entry; -- <script>alert(1)</script> \${x} 名称`;
    const { entry } = await propose(9, { entityName: nasty, facts: nasty });
    expect(entry.entityName).toBe(nasty.trim());
    expect((await getEntry(entry.id)).entry!.facts).toBe(nasty.trim());
    expect(await rejectionOf(getEntry('not-a-uuid'))).toMatchObject({ code: status.INVALID_ARGUMENT });
    expect(await rejectionOf(getEntry('00000000-0000-4000-8000-000000000000'))).toMatchObject({ code: status.NOT_FOUND });
  });

  it('replays: same request id, or the same decision under another id', async () => {
    const body = { requestId: 'same-propose', listType: 'court_debtor', entityCode: uscc(10), entityName: '公司10', facts: 'f', decisionDocument: '(2026)藏01执10号', legalBasis: '', decidedOn: '2026-03-01' };
    const first = await t.call<ProposeEntryResponse>(courtOfficer, 'proposeEntry', body);
    const again = await t.call<ProposeEntryResponse>(courtOfficer, 'proposeEntry', body);
    const sameDecision = await t.call<ProposeEntryResponse>(courtOfficer, 'proposeEntry', { ...body, requestId: 'other-id' });
    expect(first.replayed).toBe(false);
    expect(again).toEqual({ ...first, replayed: true });
    expect(sameDecision.replayed).toBe(true);
    expect(sameDecision.entry!.id).toBe(first.entry!.id);
    const n1 = await t.call<Entry>(courtOfficer, 'notifySubject', { requestId: 'same-notify', entryId: first.entry!.id, reason: '' });
    const n2 = await t.call<Entry>(courtOfficer, 'notifySubject', { requestId: 'same-notify', entryId: first.entry!.id, reason: '' });
    expect(n2).toEqual(n1);
    expect((await getEntry(first.entry!.id)).transitions.length).toBe(2);
  });

  it('answers a request id sent several times at once with one answer, acting once', async () => {
    const body = { requestId: 'burst-propose', listType: 'court_debtor', entityCode: uscc(11), entityName: '公司11', facts: 'f', decisionDocument: '(2026)藏01执11号', legalBasis: '', decidedOn: '2026-03-01' };
    const proposals = await Promise.all(Array.from({ length: 5 }, () => t.call<ProposeEntryResponse>(courtOfficer, 'proposeEntry', body)));
    const id = proposals[0]!.entry!.id;
    expect(proposals.map((p) => p.entry!.id)).toEqual(Array(5).fill(id));
    expect(proposals.filter((p) => !p.replayed)).toHaveLength(1);
    const notices = await Promise.all(
      Array.from({ length: 5 }, () => t.call<Entry>(courtOfficer, 'notifySubject', { requestId: 'burst-notify', entryId: id, reason: '已告知' })),
    );
    expect(new Set(notices.map((n) => JSON.stringify(n))).size).toBe(1);
    expect((await getEntry(id)).transitions.map((tr) => tr.action)).toHaveLength(2);
    const audit: { command: string }[] = await t.running.ds.query(`SELECT command FROM audit_log WHERE target = $1 ORDER BY id`, [id]);
    expect(audit.map((a) => a.command)).toEqual(['ProposeEntry', 'NotifySubject']);
  });

  it('pages entries newest first with filters', async () => {
    const page1 = await t.call<ListEntriesResponse>(taxOfficer, 'listEntries', { listType: 'court_debtor', page: { pageSize: 3, pageToken: '' } });
    expect(page1.entries).toHaveLength(3);
    const page2 = await t.call<ListEntriesResponse>(taxOfficer, 'listEntries', { listType: 'court_debtor', page: { pageSize: 100, pageToken: page1.page!.nextPageToken } });
    const ids = [...page1.entries, ...page2.entries].map((e) => e.id);
    expect(new Set(ids).size).toBe(ids.length);
    const created = [...page1.entries, ...page2.entries].map((e) => e.entityCode);
    expect(created).not.toContain(uscc(2));
    const removed = await t.call<ListEntriesResponse>(taxOfficer, 'listEntries', { state: EntryState.ENTRY_STATE_REMOVED });
    expect(removed.entries.every((e) => e.state === EntryState.ENTRY_STATE_REMOVED)).toBe(true);
    const one = await t.call<ListEntriesResponse>(taxOfficer, 'listEntries', { entityCode: uscc(1) });
    expect(one.entries.map((e) => e.entityCode)).toEqual([uscc(1)]);
    expect(await rejectionOf(t.call(taxOfficer, 'listEntries', { page: { pageSize: 1, pageToken: 'garbage' } }))).toMatchObject({ code: status.INVALID_ARGUMENT });
  });
});
