import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '@credit/platform/testing';
import { company, startTestRegistry, uscc, type TestRegistry } from '../../../services/registry/test/harness.js';
import { connectionFlags, runCapture } from './cli-run.js';

let registry: TestRegistry;

// A tail that never sees its --limit would wait forever; the signal bounds it, and the assertions then fail.
const TAIL_BOUND_MS = 15_000;

const tail = (...argv: string[]) => runCapture(['events', 'tail', ...argv, ...connectionFlags(registry)], AbortSignal.timeout(TAIL_BOUND_MS));

// Registered between the first and the second, in another county, so that a filter has something to skip.
const OTHER_DIVISION = { ...company(4), uscc: uscc(4, { division: '540103' }) };

async function register(n: number, entity = company(n)): Promise<void> {
  await new Promise<void>((resolve, reject) =>
    registry.client.registerEntity({ requestId: `events-${n}`, entity }, (err) => (err ? reject(err) : resolve())),
  );
}

/** The USCCs named in the `entity=` field of printed event headlines, in order. */
const entitiesOf = (lines: string[]) => lines.flatMap((l) => /\bentity=(\S+)$/.exec(l)?.[1] ?? []);

beforeAll(async () => {
  registry = await startTestRegistry();
  await register(1);
  await register(4, OTHER_DIVISION);
  await register(2);
  await register(3);
  // The outbox relay publishes after commit; the harness' own observer tells when all four are in the stream.
  await waitFor(async () => registry.events.length >= 4, { message: 'four EntityRegistered events in the stream' });
});

afterAll(async () => {
  await registry?.stop();
});

describe('credit events tail', () => {
  it('prints stored events from the start, headline and decoded body, and stops after --limit', async () => {
    const result = await tail('credit.registry.v1.>', '--from-start', '--limit', '2');
    expect(result.exitCode).toBe(0);
    expect(result.lines).toHaveLength(4);
    expect(result.lines[0]).toMatch(
      new RegExp(
        `^\\d{4}-\\d\\d-\\d\\dT\\S+Z credit\\.registry\\.v1\\.entity_registered\\.540102 credit\\.registry\\.v1\\.EntityRegistered ` +
          `id=\\S+ source=\\S+ entity=${uscc(1)}$`,
      ),
    );
    const body = JSON.parse(result.lines[1]!.trim()) as { entity: { uscc: string; name: string } };
    expect(body.entity).toMatchObject({ uscc: uscc(1), name: company(1).name });
    expect(entitiesOf(result.lines)).toEqual([uscc(1), OTHER_DIVISION.uscc]);
  });

  it('reads only the subjects matching the filter', async () => {
    const lhasa = await tail('credit.registry.v1.entity_registered.540102', '--from-start', '--limit', '3');
    expect(entitiesOf(lhasa.lines)).toEqual([uscc(1), uscc(2), uscc(3)]);
    const doilungDeqen = await tail('credit.registry.v1.entity_registered.540103', '--from-start', '--limit', '1');
    expect(entitiesOf(doilungDeqen.lines)).toEqual([OTHER_DIVISION.uscc]);
  });

  it('without --from-start shows only events published after it started', async () => {
    const tailing = tail('credit.registry.v1.>', '--limit', '1');
    let done = false;
    const finished = () => (done = true);
    tailing.then(finished, finished);
    // The tail's consumer is ready at an unknown moment, so keep registering until it has printed one.
    const registeredLater: string[] = [];
    await waitFor(
      async () => {
        if (done) return true;
        const n = 10 + registeredLater.length;
        await register(n);
        registeredLater.push(uscc(n));
        return false;
      },
      { timeoutMs: TAIL_BOUND_MS, intervalMs: 200, message: 'the tail printed a new event' },
    );
    const result = await tailing;
    expect(result.exitCode).toBe(0);
    const [shown] = entitiesOf(result.lines);
    expect(registeredLater).toContain(shown);
  });
});
