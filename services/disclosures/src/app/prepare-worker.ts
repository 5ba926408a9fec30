// A validation thread: prepares batches sent by PreparePool. The catalog item's schema arrives once per item and
// version and is kept, so a batch carries only its rows.
import { parentPort } from 'node:worker_threads';
import { prepareRows, type PrepareJob } from './prepare-rows.js';

type Message = { id: number; itemKey: string; item?: PrepareJob['item']; job: Omit<PrepareJob, 'item'> };

const items = new Map<string, PrepareJob['item']>();

parentPort!.on('message', (m: Message) => {
  try {
    if (m.item) items.set(m.itemKey, m.item);
    const item = items.get(m.itemKey);
    if (!item) throw new Error(`item ${m.itemKey} was never sent to this thread`);
    parentPort!.postMessage({ id: m.id, prepared: prepareRows({ ...m.job, item }) });
  } catch (err) {
    parentPort!.postMessage({ id: m.id, error: String((err as Error)?.stack ?? err) });
  }
});
