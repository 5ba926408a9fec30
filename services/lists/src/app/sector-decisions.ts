// A department's system may publish its list decisions (sector.<department>.v1.list_decision) instead of calling
// gRPC. Each runs the same use case as the gRPC call, inside the inbox transaction, and is answered with a Receipt
// through the outbox: the inbox row, the decision's effects and the receipt commit together, so a redelivery
// changes nothing and answers nothing twice.
import type { EntityManager } from 'typeorm';
import { InboxConsumer, isDomainError, type Bus, type Caller, type CreditEvent, type Logger, type Outbox } from '@credit/platform';
import type { DataSource } from 'typeorm';
import { ListDecision, type Receipt } from '@credit/contracts/credit/lists/v1/sector.js';
import { receipt } from '../events/list-events.js';
import { removalReason, toEntryMessage } from '../grpc/messages.js';
import type { Entry } from '../domain/index.js';
import type { Lists } from './lists.js';

export const SECTOR_DECISIONS_DURABLE = 'lists_sector_decisions';
const SUBJECT = /^sector\.([a-z][a-z0-9_]{1,63})\.v1\.list_decision$/;

export function sectorDecisionConsumer(opts: { ds: DataSource; bus: Bus; logger: Logger; lists: Lists; outbox: Outbox }): InboxConsumer {
  return new InboxConsumer({
    ds: opts.ds,
    bus: opts.bus,
    logger: opts.logger,
    durable: SECTOR_DECISIONS_DURABLE,
    stream: 'SECTOR_EVENTS',
    filterSubject: 'sector.*.v1.list_decision',
    handler: async (em, event) => {
      const department = SUBJECT.exec(event.subject)?.[1];
      // The NATS account lets only a department publish under its own token; a subject we cannot read has nobody
      // to answer to, so it is only logged (and its inbox row keeps it from coming back).
      if (!department) {
        opts.logger.warn({ subject: event.subject, eventId: event.id }, 'list decision on an unexpected subject; ignored');
        return;
      }
      const answer = await decide(em, opts.lists, department, event);
      await opts.outbox.add(em, [receipt(department, answer)]);
    },
  });
}

async function decide(em: EntityManager, lists: Lists, department: string, event: CreditEvent): Promise<Receipt> {
  const base: Receipt = { eventId: event.id, accepted: false, entry: undefined, errorCode: '', message: '', violations: [] };
  let decision: ListDecision;
  try {
    decision = ListDecision.decode(event.data);
  } catch {
    return { ...base, errorCode: 'MALFORMED', message: '消息不是有效的 ListDecision 协议缓冲区编码' };
  }
  const action = decision.action;
  if (!action) return { ...base, errorCode: 'MALFORMED', message: '名单决定未指明操作（propose、notify 或 remove）' };

  const caller: Caller = { department, role: 'department', subject: 'sector-event' };
  // A refused decision must leave nothing behind but its receipt: the use case runs under a savepoint.
  await em.query('SAVEPOINT list_decision');
  try {
    let entry: Entry;
    if (action.$case === 'propose') {
      const r = action.value;
      entry = (
        await lists.proposeEntry(
          caller,
          r.requestId,
          {
            listType: r.listType,
            entityCode: r.entityCode,
            entityName: r.entityName,
            facts: r.facts,
            decisionDocument: r.decisionDocument,
            legalBasis: r.legalBasis,
            decidedOn: r.decidedOn,
            ...(r.validUntil ? { validUntil: r.validUntil } : {}),
          },
          em,
        )
      ).entry;
    } else if (action.$case === 'notify') {
      entry = await lists.notifySubject(caller, action.value.requestId, action.value.entryId, action.value.reason, em);
    } else {
      const r = action.value;
      entry = await lists.removeEntry(caller, r.requestId, r.entryId, removalReason.fromProto(r.reason), r.explanation, em);
    }
    await em.query('RELEASE SAVEPOINT list_decision');
    return { ...base, accepted: true, entry: toEntryMessage(entry) };
  } catch (err) {
    if (!isDomainError(err)) throw err;
    await em.query('ROLLBACK TO SAVEPOINT list_decision');
    return { ...base, errorCode: err.code, message: err.message, violations: err.violations };
  }
}
