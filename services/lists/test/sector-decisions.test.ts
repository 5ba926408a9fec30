import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EntryState, ProposeEntryRequest, type ListEntriesResponse } from '@credit/contracts/credit/lists/v1/lists.js';
import { ListDecision, Receipt } from '@credit/contracts/credit/lists/v1/sector.js';
import { timeOrderedId, publishEvent, toHeaders, type CreditEvent } from '@credit/platform';
import { waitFor } from '@credit/platform/testing';
import { SECTOR_DECISIONS_DURABLE } from '../src/service.js';
import { listTypeMessage, office, startTestLists, taxOfficer, uscc, type TestLists } from './harness.js';

let t: TestLists;

beforeAll(async () => {
  t = await startTestLists();
  await t.call(office, 'defineListType', { requestId: 'lt-1', listType: listTypeMessage('court_debtor') });
});

afterAll(async () => {
  await t?.stop();
});

function decisionEvent(department: string, data: Uint8Array): CreditEvent {
  return { id: timeOrderedId(), type: 'credit.lists.v1.ListDecision', source: `sector/${department}`, subject: `sector.${department}.v1.list_decision`, entity: 'decision', time: new Date(), data };
}

function proposal(n: number, overrides: Partial<ProposeEntryRequest> = {}): Uint8Array {
  const propose = ProposeEntryRequest.fromPartial({
    requestId: `court-system-${n}`,
    listType: 'court_debtor',
    entityCode: uscc(n),
    entityName: `被执行公司${n}`,
    facts: '有履行能力而拒不履行',
    decisionDocument: `(2026)藏01执${n}号`,
    decidedOn: '2026-03-01',
    ...overrides,
  });
  return ListDecision.encode({ action: { $case: 'propose', value: propose } }).finish();
}

const receiptsFor = (department: string, eventId: string) =>
  t.sectorEvents.filter((e) => e.subject === `sector.${department}.v1.receipts`).map((e) => Receipt.decode(e.data)).filter((r) => r.eventId === eventId);

async function receiptOf(department: string, eventId: string): Promise<Receipt> {
  return waitFor(async () => receiptsFor(department, eventId)[0], { message: `receipt for ${eventId}` });
}

const entriesOf = async (n: number) => (await t.call<ListEntriesResponse>(taxOfficer, 'listEntries', { entityCode: uscc(n) })).entries;

describe('list decisions published by a department system', () => {
  it('runs the proposal and answers with an accepted receipt', async () => {
    const event = decisionEvent('court', proposal(1));
    await publishEvent(t.bus, event);
    const r = await receiptOf('court', event.id);
    expect(r).toMatchObject({ accepted: true, errorCode: '', entry: { entityCode: uscc(1), state: EntryState.ENTRY_STATE_PROPOSED, ownerDepartment: 'court' } });
    const [stored] = await entriesOf(1);
    expect(stored!.id).toBe(r.entry!.id);
    const transitions: { actor: string }[] = await t.running.ds.query(`SELECT actor FROM entry_transition WHERE entry_id = $1`, [stored!.id]);
    expect(transitions).toEqual([{ actor: 'sector-event' }]);

    // Notify by event too: same use case, same rules.
    const notify = decisionEvent('court', ListDecision.encode({ action: { $case: 'notify', value: { requestId: 'court-system-n1', entryId: stored!.id, reason: '已送达' } } }).finish());
    await publishEvent(t.bus, notify);
    expect((await receiptOf('court', notify.id)).entry).toMatchObject({ state: EntryState.ENTRY_STATE_NOTIFIED, version: 2 });
  });

  it('refuses what the gRPC call would refuse, with the same error, and changes nothing', async () => {
    const others = decisionEvent('tax', proposal(2));
    await publishEvent(t.bus, others);
    expect(await receiptOf('tax', others.id)).toMatchObject({ accepted: false, errorCode: 'PERMISSION_DENIED', entry: undefined });

    const bad = decisionEvent('court', proposal(3, { decidedOn: '2099-01-01' }));
    await publishEvent(t.bus, bad);
    const r = await receiptOf('court', bad.id);
    expect(r).toMatchObject({ accepted: false, errorCode: 'INVALID_ARGUMENT' });
    expect(r.violations).toEqual([expect.objectContaining({ field: 'decided_on', reason: 'IN_THE_FUTURE' })]);
    expect(await entriesOf(2)).toEqual([]);
    expect(await entriesOf(3)).toEqual([]);
    // The refused request id was not used up: the corrected decision goes through under it.
    const fixed = decisionEvent('court', proposal(3));
    await publishEvent(t.bus, fixed);
    expect(await receiptOf('court', fixed.id)).toMatchObject({ accepted: true });
  });

  it('answers a malformed message or an empty action with MALFORMED and does not dead-letter it', async () => {
    const garbage = decisionEvent('court', Uint8Array.from([0xff, 0xff, 0xff, 0x0f, 0x08]));
    const empty = decisionEvent('court', new Uint8Array());
    await publishEvent(t.bus, garbage);
    await publishEvent(t.bus, empty);
    expect(await receiptOf('court', garbage.id)).toMatchObject({ accepted: false, errorCode: 'MALFORMED' });
    expect(await receiptOf('court', empty.id)).toMatchObject({ accepted: false, errorCode: 'MALFORMED' });
    const dead: unknown[] = await t.running.ds.query(`SELECT 1 FROM dead_letter`);
    expect(dead).toEqual([]);
    const entries: { n: string }[] = await t.running.ds.query(`SELECT count(*) AS n FROM list_entry`);
    expect(entries[0]!.n).toBe('2');
  });

  it('applies and answers a redelivered decision once', async () => {
    const event = decisionEvent('court', proposal(4));
    await publishEvent(t.bus, event);
    await receiptOf('court', event.id);
    // The same CloudEvent again, past JetStream's duplicate detection (another Nats-Msg-Id): only the inbox stops it.
    const h = toHeaders(event);
    h.set('Nats-Msg-Id', timeOrderedId());
    await t.bus.js.publish(`${t.prefix}${event.subject}`, event.data, { headers: h });
    // A later decision's receipt shows the consumer has gone past the repeat.
    const marker = decisionEvent('court', proposal(5));
    await publishEvent(t.bus, marker);
    await receiptOf('court', marker.id);
    expect(receiptsFor('court', event.id)).toHaveLength(1);
    expect(await entriesOf(4)).toHaveLength(1);
    const inbox: { n: string }[] = await t.running.ds.query(`SELECT count(*) AS n FROM inbox WHERE consumer = $1 AND event_id = $2`, [SECTOR_DECISIONS_DURABLE, event.id]);
    expect(inbox[0]!.n).toBe('1');
  });
});
