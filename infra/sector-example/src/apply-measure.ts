// What the procurement system does with a black-list event: impose or lift 限制参与政府采购 in its own database,
// then tell the platform (反馈). The debarment and the event id commit together (once), and the feedback follows the
// commit; a redelivery skips the work but repeats the feedback, which the platform answers from its first recording.
// Events of one durable arrive in order while the process runs; after a crash, an event that was in flight to the
// dead process comes again after later ones, so a removal may arrive before the taking effect: debar() and lift()
// meet on the (entry, measure) row, and a late taking effect never debars a removed entry.
import type pg from 'pg';
import { once, postgresProcessedEvents, type EntryEffective, type EntryRemoved, type SectorClient, type SectorEvent } from '@credit/sector-sdk';
import { debar, debarmentOfEntry, lift, referenceOf } from './debarments.js';
import type { Log } from './log.js';

export const MEASURE = 'restrict_government_procurement';
export const ACTIVITY = 'government_procurement';

export function applyMeasure(deps: { db: pg.Pool; sector: Pick<SectorClient, 'reportFeedback'>; log: Log }): (event: SectorEvent) => Promise<void> {
  const processed = postgresProcessedEvents(deps.db);

  async function imposed(event: EntryEffective): Promise<void> {
    const { entry } = event;
    const { done } = await once(processed, event.id, (tx) => debar(tx, entry, MEASURE));
    const debarment = await debarmentOfEntry(deps.db, entry.id, MEASURE);
    if (!debarment) throw new Error(`debarment of entry ${entry.id} missing after commit`);
    await deps.sector.reportFeedback(
      debarment.imposed
        ? { entryId: entry.id, measureCode: MEASURE, phase: 'impose', outcome: 'applied', reference: referenceOf(debarment.id), note: `自${debarment.since.toISOString().slice(0, 10)}起限制参与政府采购` }
        : { entryId: entry.id, measureCode: MEASURE, phase: 'impose', outcome: 'not_applicable', reference: referenceOf(debarment.id), note: '名单条目已移出，未实施限制' },
    );
    deps.log('info', done ? 'debarred' : 'debarment already recorded; feedback repeated', { eventId: event.id, entryId: entry.id, entityCode: entry.entityCode, debarment: debarment.id });
  }

  async function lifted(event: EntryRemoved): Promise<void> {
    const { entry } = event;
    const { done } = await once(processed, event.id, (tx) => lift(tx, entry, MEASURE, event.reason ?? 'removed'));
    const debarment = await debarmentOfEntry(deps.db, entry.id, MEASURE);
    if (!debarment) throw new Error(`debarment of entry ${entry.id} missing after commit`);
    await deps.sector.reportFeedback(
      debarment.imposed
        ? { entryId: entry.id, measureCode: MEASURE, phase: 'lift', outcome: 'applied', reference: referenceOf(debarment.id), note: '已解除政府采购限制' }
        : { entryId: entry.id, measureCode: MEASURE, phase: 'lift', outcome: 'not_applicable', reference: referenceOf(debarment.id), note: '本系统未曾对该主体实施限制' },
    );
    deps.log('info', done ? 'debarment lifted' : 'lift already recorded; feedback repeated', { eventId: event.id, entryId: entry.id, debarment: debarment?.id });
  }

  return async (event) => {
    switch (event.type) {
      case 'entry_effective':
        return imposed(event);
      case 'entry_removed':
        return lifted(event);
      default:
        // A correction changes facts or validity, not whether the entity may bid; ratings are not this measure's.
        deps.log('info', 'event needs no action', { eventId: event.id, type: event.type });
    }
  };
}
