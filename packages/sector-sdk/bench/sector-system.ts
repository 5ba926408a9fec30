// The sector system of the latency bench, in a process of its own as in production: it connects with the SDK,
// subscribes to the bench's list type and records, per entry, when its handler ran. The bench process asks for the
// records over IPC ('report'), how many there are while it waits for the last ('count'), and stops it ('stop').
import { connectSector } from '../src/index.js';

type Seen = [id: string, handledAt: number, effectiveAt: number, storedAt: number];

const env = (name: string): string => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
};

const sector = await connectSector({
  department: 'finance',
  nats: { servers: env('BENCH_NATS_URL') },
  lists: { address: env('BENCH_LISTS_ADDRESS'), token: env('BENCH_SECTOR_TOKEN') },
  subjectPrefix: env('BENCH_SUBJECT_PREFIX'),
});
const seen: Seen[] = [];
await sector.subscribe({
  listTypes: [env('BENCH_LIST_TYPE')],
  handler: (event) => {
    const now = Date.now();
    if (event.type !== 'entry_effective') return;
    seen.push([event.entry.id, now, event.entry.effectiveAt?.getTime() ?? NaN, event.storedAt?.getTime() ?? NaN]);
  },
});
process.on('message', (message) => {
  if (message === 'report') process.send!({ seen });
  if (message === 'count') process.send!({ count: seen.length });
  if (message === 'stop') void sector.close().finally(() => process.exit(0));
});
process.send!({ ready: true });
