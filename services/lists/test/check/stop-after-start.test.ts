// A service stopped right after it started (Kubernetes may do that) stops: the check index's feeder used to wait
// forever for a consumer it closed before reading from it.
import { expect, it } from 'vitest';
import { testDatabase } from '@credit/platform/testing';
import { entry, listType, measure, publishLists } from './events.js';
import { startPieces, uscc } from './pieces.js';

it('stops promptly when stopped right after a (re)start, with the index still catching up', async () => {
  const db = await testDatabase();
  let p = await startPieces({ db });
  await publishLists.listType(p.bus, listType('debtor', { name: '失信被执行人' }));
  await publishLists.measure(p.bus, measure('restrict_procurement', { listTypes: ['debtor'], activities: ['government_procurement'] }));
  for (let i = 0; i < 50; i++) await publishLists.effective(p.bus, entry(`0193a3c1-0000-7000-8000-${String(i).padStart(12, '0')}`, uscc(100 + i)));
  const stops: number[] = [];
  for (let i = 0; i < 6; i++) {
    await p.stop({ keep: true });
    p = await startPieces({ db, prefix: p.prefix });
    const started = Date.now();
    if (i === 5) await p.stop();
    else await p.stop({ keep: true }).then(async () => void (p = await startPieces({ db, prefix: p.prefix })));
    stops.push(Date.now() - started);
  }
  // Each stop includes the gRPC server's own drain; none waits for anything that cannot come.
  expect(Math.max(...stops)).toBeLessThan(10_000);
}, 120_000);
