import { afterAll, describe, expect, it } from 'vitest';
import { PENALTY_FIELDS } from '@credit/standards';
import { prepareRows, type PrepareJob } from '../../src/app/prepare-rows.js';
import type * as Pool from '../../src/app/prepare-pool.js';
import { penaltyFields } from '../harness.js';

const item: PrepareJob['item'] = { code: 'AMR-CF-001', name: '行政处罚信息', disclosure: 'public', fields: PENALTY_FIELDS as PrepareJob['item']['fields'] };

function job(first: number, n: number): PrepareJob {
  return {
    item,
    kind: 'penalty',
    catalogVersion: 1,
    department: 'amr',
    now: new Date('2026-06-15T10:00:00+08:00'),
    rows: Array.from({ length: n }, (_, i) => ({
      line: i + 2,
      // Every third row has a negative fine, so both outcomes cross the thread boundary.
      fields: penaltyFields(first + i, '2026-06-10', i % 3 === 0 ? { CF_NR_FK: '-1' } : {}),
    })),
  };
}

// The pool runs the compiled worker, so it is tested as built (turbo builds the package before its tests; type
// checks, which run before any build, see only the source's types).
const built = '../../dist/app/prepare-pool.js';
const { PreparePool } = (await import(built)) as typeof Pool;

describe('validation threads', () => {
  const pool = new PreparePool(2);
  afterAll(() => pool.close());

  it('prepare batches exactly as the main thread would, whichever thread takes them', async () => {
    const jobs = [job(1, 50), job(100, 50), job(200, 50)];
    const results = await Promise.all(jobs.map((j) => pool.prepare(j)));
    results.forEach((prepared, i) => expect(prepared).toEqual(prepareRows(jobs[i]!)));
    expect(results.flat().filter((p) => !p.ok)).toHaveLength(51);
  });

  it('refuses work after the pool is closed instead of hanging', async () => {
    const closed = new PreparePool(1);
    await closed.close();
    const outcome = await Promise.race([
      closed.prepare(job(1, 1)).then(() => 'answered', () => 'refused'),
      new Promise((r) => setTimeout(() => r('hung'), 2000)),
    ]);
    expect(outcome).toBe('refused');
  });
});
