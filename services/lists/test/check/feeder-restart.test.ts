import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EntryState, type CheckCreditResponse } from '@credit/contracts/credit/lists/v1/lists.js';
import { startNatsServer, waitFor, type NatsServerHandle } from '@credit/platform/testing';
import { entry, listType, measure, publishLists } from './events.js';
import { financeOfficer, startPieces, uscc, type Pieces } from './pieces.js';

const [A, B] = [uscc(21), uscc(22)];
let nats: NatsServerHandle;
let p: Pieces;

beforeAll(async () => {
  nats = await startNatsServer();
  p = await startPieces({ natsUrl: nats.url });
});
afterAll(async () => {
  await p.stop();
  await nats.dispose();
});

const measuresOf = async (entityCode: string) =>
  (await p.call<CheckCreditResponse>(p.checkAs(financeOfficer), 'checkCredit', { entityCode, activity: '' })).measures.map((m) => m.measure?.code);

describe('index feeder across a NATS restart', () => {
  it('resumes after the last applied sequence and keeps answering from memory meanwhile', async () => {
    await publishLists.listType(p.bus, listType('debtor'));
    await publishLists.measure(p.bus, measure('restrict_procurement', { listTypes: ['debtor'] }));
    const first = await publishLists.effective(p.bus, entry('0193a3c1-0000-7000-8000-0000000000e1', A, { version: 1 }));
    await waitFor(async () => p.check.index.position === first);
    expect(await measuresOf(A)).toEqual(['restrict_procurement']);

    await nats.stop();
    // The broker is gone; the answer still comes from memory, at the same position.
    const during = await p.call<CheckCreditResponse>(p.checkAs(financeOfficer), 'checkCredit', { entityCode: A, activity: '' });
    expect(Number(during.position)).toBe(first);
    await nats.start();

    await waitFor(
      () => publishLists.removed(p.bus, entry('0193a3c1-0000-7000-8000-0000000000e1', A, { state: EntryState.ENTRY_STATE_REMOVED, version: 2 })),
      { timeoutMs: 20_000 },
    );
    const added = await publishLists.effective(p.bus, entry('0193a3c1-0000-7000-8000-0000000000e2', B, { version: 1 }));
    await waitFor(async () => p.check.index.position === added, { timeoutMs: 30_000 });
    expect(await measuresOf(A)).toEqual([]);
    expect(await measuresOf(B)).toEqual(['restrict_procurement']);
  });
});
