import type { ListsServiceServer } from '@credit/contracts/credit/lists/v1/lists.js';
import type { HandlerKit } from '@credit/platform';
import type { Lists } from '../app/lists.js';
import type { SectorSubscriptions } from '../app/subscriptions.js';
import {
  entryState,
  feedbackOutcome,
  feedbackPhase,
  fromListTypeMessage,
  fromMeasureMessage,
  objectionOutcome,
  removalReason,
  toEntryMessage,
  toListTypeMessage,
  toMeasureMessage,
  toResponseMessage,
  toSubscriptionMessage,
  toTransitionMessage,
} from './messages.js';

/** The ListsService methods of the core (list types, measures, entries, feedback); ratings and cases come from elsewhere. */
// Named one by one: the generated server interface has an index signature, which Omit would flatten.
export type CoreListsHandlers = Pick<
  ListsServiceServer,
  | 'listListTypes' | 'defineListType' | 'listMeasures' | 'defineMeasure' | 'listSubscriptions' | 'proposeEntry' | 'notifySubject'
  | 'fileObjection' | 'decideObjection' | 'removeEntry' | 'getEntry' | 'listEntries' | 'reportFeedback' | 'listOverdueResponses' | 'listOverdueObjections'
>;

export function listsHandlers(kit: HandlerKit, lists: Lists, subs: SectorSubscriptions, now: () => Date): CoreListsHandlers {
  return {
    listListTypes: kit.unary(async () => ({ listTypes: (await lists.listListTypes()).map(toListTypeMessage) })),
    defineListType: kit.unary(async (req, ctx) => ({
      listType: toListTypeMessage(await lists.defineListType(ctx.caller, req.requestId, fromListTypeMessage(req.listType))),
    })),
    listMeasures: kit.unary(async (req) => ({
      measures: (await lists.listMeasures(req.implementingDepartment.trim() || undefined)).map(toMeasureMessage),
    })),
    defineMeasure: kit.unary(async (req, ctx) => ({
      measure: toMeasureMessage(await lists.defineMeasure(ctx.caller, req.requestId, fromMeasureMessage(req.measure))),
    })),
    listSubscriptions: kit.unary(async (_req, ctx) => ({
      subscriptions: (await subs.forDepartment(ctx.caller.department)).map((s) => toSubscriptionMessage(s, subs.stream)),
    })),
    proposeEntry: kit.unary(async (req, ctx) => {
      const { entry, replayed } = await lists.proposeEntry(ctx.caller, req.requestId, {
        listType: req.listType,
        entityCode: req.entityCode,
        entityName: req.entityName,
        facts: req.facts,
        decisionDocument: req.decisionDocument,
        legalBasis: req.legalBasis,
        decidedOn: req.decidedOn,
        ...(req.validUntil ? { validUntil: req.validUntil } : {}),
      });
      return { entry: toEntryMessage(entry), replayed };
    }),
    notifySubject: kit.unary(async (req, ctx) => ({ entry: toEntryMessage(await lists.notifySubject(ctx.caller, req.requestId, req.entryId, req.reason)) })),
    fileObjection: kit.unary(async (req, ctx) => ({
      entry: toEntryMessage(await lists.fileObjection(ctx.caller, req.requestId, req.entryId, req.applicant, req.grounds)),
    })),
    decideObjection: kit.unary(async (req, ctx) => ({
      entry: toEntryMessage(
        await lists.decideObjection(ctx.caller, req.requestId, req.entryId, {
          outcome: objectionOutcome.fromProto(req.outcome),
          reason: req.reason,
          ...(req.correctedFacts !== '' ? { correctedFacts: req.correctedFacts } : {}),
          ...(req.correctedValidUntil ? { correctedValidUntil: req.correctedValidUntil } : {}),
        }),
      ),
    })),
    removeEntry: kit.unary(async (req, ctx) => ({
      entry: toEntryMessage(await lists.removeEntry(ctx.caller, req.requestId, req.entryId, removalReason.fromProto(req.reason), req.explanation)),
    })),
    getEntry: kit.unary(async (req) => {
      const d = await lists.getEntry(req.entryId);
      const at = now();
      return {
        entry: toEntryMessage(d.entry),
        transitions: d.transitions.map(toTransitionMessage),
        responses: d.responses.map((r) => toResponseMessage(r, at)),
      };
    }),
    listEntries: kit.unary(async (req) => {
      const page = await lists.listEntries(
        { listType: req.listType.trim() || undefined, state: entryState.fromProto(req.state), entityCode: req.entityCode.trim().toUpperCase() || undefined },
        req.page?.pageSize ?? 0,
        req.page?.pageToken ?? '',
      );
      return { entries: page.items.map(toEntryMessage), page: { nextPageToken: page.nextPageToken } };
    }),
    reportFeedback: kit.unary(async (req, ctx) => ({
      response: toResponseMessage(
        await lists.reportFeedback(ctx.caller, req.requestId, {
          entryId: req.entryId,
          measureCode: req.measureCode,
          phase: feedbackPhase.fromProto(req.phase),
          outcome: feedbackOutcome.fromProto(req.outcome),
          reference: req.reference,
          note: req.note,
        }),
        now(),
      ),
    })),
    listOverdueResponses: kit.unary(async (req, ctx) => {
      const page = await lists.listOverdueResponses(ctx.caller, req.implementingDepartment, req.page?.pageSize ?? 0, req.page?.pageToken ?? '');
      const at = now();
      return { responses: page.items.map((r) => toResponseMessage(r, at)), page: { nextPageToken: page.nextPageToken } };
    }),
    listOverdueObjections: kit.unary(async (req, ctx) => {
      const page = await lists.listOverdueObjections(ctx.caller, req.ownerDepartment, req.page?.pageSize ?? 0, req.page?.pageToken ?? '');
      return { entries: page.items.map(toEntryMessage), page: { nextPageToken: page.nextPageToken } };
    }),
  };
}
