// The procurement system as a real process, killed with SIGKILL in the middle of a stream of black-list entries and
// started again: every entry ends up debarred exactly once and reported as applied. Can be SLOW (up to ~130 s): events
// that were in flight to the killed process come again only after the durable's ack wait (60 s, set by the platform).
import { afterAll, beforeAll, expect, it } from 'vitest';
import { freePort, waitFor } from '@credit/platform/testing';
import { countRows, FeedbackOutcome, FeedbackPhase, type Platform, type ProcurementProcess, spawnProcurement, startPlatform } from './harness.js';

const ENTRIES = 60;
let platform: Platform;
let databaseUrl: string;
let running: ProcurementProcess | undefined;

beforeAll(async () => {
  platform = await startPlatform();
  await platform.seed();
  databaseUrl = await platform.procurementDatabase();
});

afterAll(async () => {
  await running?.kill('SIGKILL');
  await platform?.stop();
});

it('killed and restarted mid-stream, it loses no entry and applies none twice', { timeout: 240_000 }, async () => {
  const port = await freePort();
  running = await spawnProcurement(platform, databaseUrl, port);
  const entryIds: string[] = [];
  // Decisions keep coming while the system dies and comes back.
  const deciding = (async () => {
    for (let n = 1; n <= ENTRIES; n++) entryIds.push((await platform.blacklist(100 + n)).id);
  })();
  await waitFor(async () => (await countRows(databaseUrl, 'SELECT count(*) AS n FROM debarments')) >= 10, { timeoutMs: 30_000 });
  await running.kill('SIGKILL');
  const atKill = await countRows(databaseUrl, 'SELECT count(*) AS n FROM debarments');
  expect(atKill).toBeLessThan(ENTRIES);
  await deciding;

  running = await spawnProcurement(platform, databaseUrl, port);
  await waitFor(async () => (await countRows(databaseUrl, 'SELECT count(*) AS n FROM debarments')) >= ENTRIES, { timeoutMs: 90_000 });
  expect(await countRows(databaseUrl, 'SELECT count(*) AS n FROM debarments')).toBe(ENTRIES);
  expect(await countRows(databaseUrl, 'SELECT count(DISTINCT entry_id) AS n FROM debarments')).toBe(ENTRIES);
  expect(await countRows(databaseUrl, 'SELECT count(*) AS n FROM processed_events')).toBe(ENTRIES);

  // Every entry's feedback arrives, with the reference of its one debarment. An event whose debarment committed but
  // whose feedback was not sent when the process died reports it on redelivery, after the durable's 60 s ack wait.
  const applied = (id: string) =>
    platform.getEntry(id).then((e) => e.responses.find((r) => r.phase === FeedbackPhase.FEEDBACK_PHASE_IMPOSE && r.outcome === FeedbackOutcome.FEEDBACK_OUTCOME_APPLIED));
  await waitFor(async () => (await Promise.all(entryIds.map(applied))).every(Boolean), { timeoutMs: 90_000, intervalMs: 500 });
  for (const id of entryIds) expect((await applied(id))!.reference).toMatch(/^DEB-\d+$/);
  const references = await Promise.all(entryIds.map(async (id) => (await platform.getEntry(id)).responses.find((r) => r.phase === FeedbackPhase.FEEDBACK_PHASE_IMPOSE)!.reference));
  expect(new Set(references).size).toBe(ENTRIES);

  // A clean stop (SIGTERM) ends the process with code 0.
  const exited = new Promise<number | null>((resolve) => running!.proc.once('exit', (code) => resolve(code)));
  running.proc.kill('SIGTERM');
  expect(await exited).toBe(0);
  running = undefined;
});
