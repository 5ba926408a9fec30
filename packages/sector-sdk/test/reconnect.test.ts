// A private nats-server that goes away and comes back (same store): the subscription rides it out.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type NatsServerHandle, startNatsServer, testToken, waitFor } from '@credit/platform/testing';
import { connectSector, type SectorClient } from '../src/index.js';
import { type Platform, type StandInLists, startPlatform, startStandInLists } from './harness.js';

let nats: NatsServerHandle;
let platform: Platform;
let lists: StandInLists;
let sector: SectorClient | undefined;

beforeAll(async () => {
  nats = await startNatsServer();
  platform = await startPlatform({ natsUrl: nats.url });
  lists = await startStandInLists();
});

afterAll(async () => {
  await sector?.close();
  await lists?.close();
  await platform?.close();
  await nats?.dispose();
});

it('keeps delivering after the broker restarts, from where the durable stood, and says when it is disconnected', { timeout: 60_000 }, async () => {
  lists.subscriptions.push(await platform.provision('court_judgment_debtor'));
  const seen: string[] = [];
  sector = await connectSector({
    department: 'finance',
    nats: { servers: nats.url },
    lists: { address: lists.address, token: testToken({ department: 'finance', role: 'sector' }) },
    subjectPrefix: platform.prefix,
  });
  await sector.subscribe({ handler: (e) => void seen.push(e.entry!.id), onError: () => undefined });
  await platform.publishEffective({ id: 'before-restart' });
  await waitFor(async () => seen.includes('before-restart'));

  expect(sector.natsConnected).toBe(true);
  await nats.stop();
  await waitFor(async () => !sector!.natsConnected, { timeoutMs: 10_000 });
  await nats.start();
  await waitFor(async () => sector!.natsConnected, { timeoutMs: 20_000 });
  // The platform's own connection reconnects as well; publishing succeeds once it has.
  await waitFor(async () => Boolean(await platform.publishEffective({ id: 'after-restart' }, { id: '0193f3c2-2222-7000-8000-000000000001' })), { timeoutMs: 20_000 });
  await waitFor(async () => seen.includes('after-restart'), { timeoutMs: 30_000 });
  expect(seen).toEqual(['before-restart', 'after-restart']);
  await sector.close();
  expect(sector.natsConnected).toBe(false);
});
