import { randomUUID } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
import {
  appendAudit,
  failedPrecondition,
  idempotent,
  inTransaction,
  invalidArgument,
  jsonCodec,
  notFound,
  permissionDenied,
  requireRole,
  type Caller,
  type Outbox,
} from '@credit/platform';
import {
  decideObjection,
  expire,
  fileObjection,
  isInForce,
  notify,
  proposedEntry,
  remove,
  takeEffect,
  validateFeedback,
  validateListType,
  validateMeasure,
  validateProposal,
  assertMayReport,
  workingDeadline,
  Violations,
  ENTRY_ID,
  type Entry,
  type EntryState,
  type FeedbackInput,
  type ListType,
  type Measure,
  type MeasureResponse,
  type ObjectionDecision,
  type ProposalInput,
  type RemovalReason,
  type Step,
  type Transition,
} from '../domain/index.js';
import * as store from '../db/store.js';
import { entryBecameEffective, entryCorrected, entryRemoved, listTypeDefined, measureDefined } from '../events/list-events.js';
import { reviveEntry, reviveResponse } from './revive.js';
import type { SectorSubscriptions } from './subscriptions.js';

const PAGE_MAX = 200;
const PAGE_DEFAULT = 50;
const SWEEP_BATCH = 200;
const MAX_REASON = 2000;
// The platform's own transitions (taking effect at the end of the notice period, expiry) are recorded as this actor.
export const SWEEPER: Caller = { department: 'platform', role: 'operator', subject: 'lists-sweeper' };

export interface EntryDetail {
  entry: Entry;
  transitions: Transition[];
  responses: MeasureResponse[];
}

export interface Page<T> {
  items: T[];
  nextPageToken: string;
}

const entryCodec = jsonCodec<Entry>(reviveEntry);
const proposalCodec = jsonCodec<{ entry: Entry; replayed: boolean }>((p) => ({ entry: reviveEntry(p.entry), replayed: p.replayed }));
const responseCodec = jsonCodec<MeasureResponse>(reviveResponse);
const listTypeCodec = jsonCodec<ListType>();
const measureCodec = jsonCodec<Measure>();

/**
 * The lists use cases. Each validates, changes state, and writes transitions, audit, events and expected feedback
 * in one transaction. The entry commands take an optional open transaction, so that a sector's decision event runs
 * the very same use case inside the inbox transaction that records the event.
 */
export class Lists {
  constructor(
    private readonly ds: DataSource,
    private readonly outbox: Outbox,
    private readonly subscriptions: SectorSubscriptions,
    private readonly now: () => Date = () => new Date(),
  ) {}

  // ---------- list types and measures

  async defineListType(caller: Caller, requestId: string, input: ListType): Promise<ListType> {
    requireRole(caller, 'office');
    const t = validateListType(input);
    return inTransaction(this.ds, (em) =>
      idempotent(em, { caller, requestId, method: 'DefineListType' }, listTypeCodec, async () => {
        const before = await store.findListType(em, t.code);
        // Subjects and sector durables carry the colour: a red list cannot turn black under the subscribers' feet.
        if (before && before.colour !== t.colour) {
          throw failedPrecondition('COLOUR_FIXED', `名单类型“${t.code}”已定义为${before.colour === 'red' ? '红' : '黑'}名单，不能改变颜色，请定义新的名单类型`);
        }
        await store.saveListType(em, t, this.now());
        await this.outbox.add(em, [listTypeDefined(t)]);
        await appendAudit(em, [{ actor: caller, requestId, command: 'DefineListType', target: t.code, before, after: t }]);
        return t;
      }),
    );
  }

  listListTypes(): Promise<ListType[]> {
    return store.allListTypes(this.ds.manager);
  }

  async defineMeasure(caller: Caller, requestId: string, input: Measure): Promise<Measure> {
    requireRole(caller, 'office');
    let provision: store.SubscriptionRow[] = [];
    const measure = await inTransaction(this.ds, (em) =>
      idempotent(em, { caller, requestId, method: 'DefineMeasure' }, measureCodec, async () => {
        const types = await store.allListTypes(em);
        const m = validateMeasure(input, new Set(types.map((t) => t.code)));
        const before = await store.findMeasure(em, m.code);
        await store.saveMeasure(em, m, this.now());
        provision = this.subscriptions.wanted(m, types);
        await store.saveSubscriptions(em, provision, this.now());
        await this.outbox.add(em, [measureDefined(m)]);
        await appendAudit(em, [{ actor: caller, requestId, command: 'DefineMeasure', target: m.code, before, after: m }]);
        return m;
      }),
    );
    // After commit: the rows are the promise, the durables its keeping. A failure here is repaired at the next start.
    await this.subscriptions.ensure(provision);
    return measure;
  }

  listMeasures(implementingDepartment?: string): Promise<Measure[]> {
    return store.allMeasures(this.ds.manager, implementingDepartment);
  }

  // ---------- entries

  async proposeEntry(caller: Caller, requestId: string, input: ProposalInput, em?: EntityManager): Promise<{ entry: Entry; replayed: boolean }> {
    requireRole(caller, 'department');
    const p = validateProposal(input, this.now());
    let acted = false;
    const result = await this.tx(em, (em) =>
      idempotent(em, { caller, requestId, method: 'ProposeEntry' }, proposalCodec, async (type) => {
        acted = true;
        if (!type) throw notFound('LIST_TYPE_NOT_FOUND', `名单类型“${p.listType}”不存在`);
        assertOwner(caller, type.ownerDepartment, type.name);
        const now = this.now();
        const proposed = proposedEntry(
          {
            id: randomUUID(),
            listType: type.code,
            colour: type.colour,
            ownerDepartment: type.ownerDepartment,
            entityCode: p.entityCode,
            entityName: p.entityName,
            facts: p.facts,
            decisionDocument: p.decisionDocument,
            legalBasis: p.legalBasis || type.legalBasis,
            decidedAt: p.decidedAt,
            validUntil: p.validUntil,
            createdAt: now,
          },
          caller,
        );
        if (!(await store.insertEntry(em, proposed.entry))) {
          // The same decision was proposed before (another request id, or a retried sector event).
          const existing = await store.findEntryByDecision(em, p.listType, p.entityCode, p.decisionDocument);
          return { entry: existing!, replayed: true };
        }
        await store.insertTransitions(em, proposed.entry.id, proposed.transitions);
        await appendAudit(em, [{ actor: caller, requestId, command: 'ProposeEntry', target: proposed.entry.id, after: proposed.entry }]);
        return { entry: proposed.entry, replayed: false };
      }, store.listTypeRead(p.listType)),
    );
    return acted ? result : { ...result, replayed: true };
  }

  notifySubject(caller: Caller, requestId: string, entryId: string, reason: string, em?: EntityManager): Promise<Entry> {
    requireRole(caller, 'department');
    checkText('reason', reason, '告知说明');
    return this.change(caller, requestId, 'NotifySubject', entryId, em, (e, type, now) => {
      assertOwner(caller, e.ownerDepartment, type.name);
      return notify(e, type, caller, reason.trim(), now);
    });
  }

  fileObjection(caller: Caller, requestId: string, entryId: string, applicant: string, grounds: string): Promise<Entry> {
    requireRole(caller, 'department', 'office', 'operator');
    const v = new Violations();
    v.text('applicant', applicant, '异议申请人', { required: true, max: 200 });
    v.text('grounds', grounds, '异议理由', { required: true, max: 4000 });
    v.throwIfAny();
    return this.change(caller, requestId, 'FileObjection', entryId, undefined, (e, type, now) => {
      if (caller.role === 'department') assertOwner(caller, e.ownerDepartment, type.name);
      return fileObjection(e, type, caller, applicant.trim(), grounds.trim(), now);
    });
  }

  decideObjection(caller: Caller, requestId: string, entryId: string, decision: Partial<ObjectionDecision>): Promise<Entry> {
    requireRole(caller, 'department');
    const v = new Violations();
    if (!decision.outcome) v.add('outcome', 'REQUIRED', '请指定异议处理结果（维持或更正）');
    v.text('reason', decision.reason ?? '', '处理理由', { required: true, max: MAX_REASON });
    if (decision.correctedFacts !== undefined) v.text('corrected_facts', decision.correctedFacts, '更正后的列入事由', { required: true, max: 4000 });
    if (decision.outcome === 'upheld' && (decision.correctedFacts !== undefined || decision.correctedValidUntil)) {
      v.add('outcome', 'CORRECTION_WITHOUT_CORRECTED', '维持原认定时不能同时给出更正内容');
    }
    v.throwIfAny();
    const d: ObjectionDecision = {
      outcome: decision.outcome!,
      reason: decision.reason!.trim(),
      ...(decision.correctedFacts !== undefined ? { correctedFacts: decision.correctedFacts.trim() } : {}),
      ...(decision.correctedValidUntil ? { correctedValidUntil: decision.correctedValidUntil } : {}),
    };
    return this.change(caller, requestId, 'DecideObjection', entryId, undefined, (e, type, now) => {
      assertOwner(caller, e.ownerDepartment, type.name);
      return decideObjection(e, type, caller, d, now);
    });
  }

  removeEntry(caller: Caller, requestId: string, entryId: string, reason: RemovalReason | undefined, explanation: string, em?: EntityManager): Promise<Entry> {
    requireRole(caller, 'department');
    const v = new Violations();
    if (!reason) v.add('reason', 'REQUIRED', '请指定移出原因');
    v.text('explanation', explanation, '移出说明', { max: MAX_REASON });
    v.throwIfAny();
    return this.change(caller, requestId, 'RemoveEntry', entryId, em, (e, type, now) => {
      assertOwner(caller, e.ownerDepartment, type.name);
      return remove(e, caller, reason!, explanation.trim(), now);
    });
  }

  async getEntry(entryId: string): Promise<EntryDetail> {
    const id = checkEntryId(entryId);
    const em = this.ds.manager;
    const entry = await store.findEntry(em, id);
    if (!entry) throw entryNotFound(id);
    return { entry, transitions: await store.transitionsOf(em, id), responses: await store.responsesOf(em, id) };
  }

  async listEntries(filter: store.EntryFilter, pageSize: number, pageToken: string): Promise<Page<Entry>> {
    return keysetPage(pageSize, pageToken, (e) => e.createdAt, (limit, after) =>
      store.listEntries(this.ds.manager, filter, limit, after && { createdAt: after.at, id: after.id }),
    );
  }

  // ---------- feedback (反馈) and tracking (跟踪问效)

  async reportFeedback(caller: Caller, requestId: string, input: FeedbackInput): Promise<MeasureResponse> {
    requireRole(caller, 'department', 'sector');
    const f = validateFeedback(input);
    const entryId = checkEntryId(f.entryId);
    return inTransaction(this.ds, (em) =>
      idempotent(em, { caller, requestId, method: 'ReportFeedback' }, responseCodec, async () => {
        const measure = await store.findMeasure(em, f.measureCode);
        if (!measure) throw notFound('MEASURE_NOT_FOUND', `措施“${f.measureCode}”不存在`);
        assertMayReport(caller.department, { implementingDepartment: measure.implementingDepartment, measureCode: measure.code });
        if (!(await store.findEntry(em, entryId))) throw entryNotFound(entryId);
        const expected = await store.findResponse(em, entryId, measure.code, f.phase);
        if (!expected) {
          throw failedPrecondition('FEEDBACK_NOT_EXPECTED', `该名单条目当前无需就措施“${measure.name}”作${f.phase === 'impose' ? '实施' : '解除'}反馈`);
        }
        const reported: MeasureResponse = { ...expected, outcome: f.outcome, reference: f.reference.trim(), note: f.note.trim(), reportedAt: this.now() };
        await store.recordFeedback(em, reported, caller.subject, requestId);
        await appendAudit(em, [{ actor: caller, requestId, command: 'ReportFeedback', target: `${entryId}/${measure.code}/${f.phase}`, before: expected, after: reported }]);
        return reported;
      }),
    );
  }

  async listOverdueResponses(caller: Caller, department: string, pageSize: number, pageToken: string): Promise<Page<MeasureResponse>> {
    const only = ownDepartmentUnlessOversight(caller, department, '部门只能查看本部门逾期未反馈的事项');
    return keysetPage(pageSize, pageToken, (r) => r.dueAt, (limit, after) => store.overdueResponses(this.ds.manager, this.now(), only, limit, after));
  }

  /** Objections still undecided after their deadline: what the owner owes and the office supervises (跟踪问效). */
  async listOverdueObjections(caller: Caller, department: string, pageSize: number, pageToken: string): Promise<Page<Entry>> {
    const only = ownDepartmentUnlessOversight(caller, department, '部门只能查看本部门逾期未处理的异议');
    return keysetPage(pageSize, pageToken, (e) => e.objection!.decideBy, (limit, after) => store.overdueObjections(this.ds.manager, this.now(), only, limit, after));
  }

  // ---------- timers

  /**
   * Moves every entry whose notice period has ended to EFFECTIVE and removes every entry in force whose validity has
   * run out. One transaction per entry, so one failure does not hold back the rest; safe to run in several replicas
   * (the row lock and the state check make a second runner a no-op). Returns how many entries changed.
   */
  async sweep(): Promise<number> {
    let changed = 0;
    for (;;) {
      const now = this.now();
      const due = await store.dueEntries(this.ds.manager, now, SWEEP_BATCH);
      let moved = 0;
      for (const id of due) {
        const stepped = await inTransaction(this.ds, async (em) => {
          const found = await store.lockEntry(em, id);
          if (!found) return false;
          const step = timerStep(found.entry, found.type, now);
          if (!step) return false;
          const e = found.entry;
          await this.apply(em, SWEEPER, `sweep:${e.id}:v${e.version}`, step.entry.state === 'removed' ? 'ExpireEntry' : 'TakeEffect', found, step, now);
          return true;
        });
        if (stepped) moved++;
      }
      changed += moved;
      if (due.length < SWEEP_BATCH || moved === 0) return changed;
    }
  }

  // ---------- the shared path of every entry command

  private tx<T>(em: EntityManager | undefined, fn: (em: EntityManager) => Promise<T>): Promise<T> {
    return em ? fn(em) : inTransaction(this.ds, fn);
  }

  private change(
    caller: Caller,
    requestId: string,
    command: string,
    entryId: string,
    em: EntityManager | undefined,
    decide: (e: Entry, type: ListType, now: Date) => Step,
  ): Promise<Entry> {
    const id = checkEntryId(entryId);
    return this.tx(em, (em) =>
      idempotent(em, { caller, requestId, method: command }, entryCodec, async (found) => {
        if (!found) throw entryNotFound(id);
        const now = this.now();
        const step = decide(found.entry, found.type, now);
        await this.apply(em, caller, requestId, command, found, step, now);
        return step.entry;
      }, store.lockedEntryRead(id)),
    );
  }

  private async apply(em: EntityManager, caller: Caller, requestId: string, command: string, found: store.LockedEntry, step: Step, now: Date): Promise<void> {
    const before = found.entry;
    const after = step.entry;
    await store.updateEntry(em, after, before.version, now);
    await store.insertTransitions(em, after.id, step.transitions);
    for (const effect of step.effects) {
      if (effect === 'took_effect') {
        await this.outbox.add(em, [entryBecameEffective(after)]);
        await this.expectResponses(em, after, found, 'impose', now);
      } else if (effect === 'corrected_in_force') {
        await this.outbox.add(em, [entryCorrected(after, after.objection?.decisionReason ?? '')]);
      } else {
        await this.outbox.add(em, [entryRemoved(after)]);
        await this.expectResponses(em, after, found, 'lift', now);
      }
    }
    await appendAudit(em, [{ actor: caller, requestId, command, target: after.id, before, after }]);
  }

  /** One expected response per measure that applies to the entry's list type (跟踪问效). */
  private async expectResponses(em: EntityManager, e: Entry, { type, measures }: store.LockedEntry, phase: 'impose' | 'lift', now: Date): Promise<void> {
    const dueAt = workingDeadline(now, type.feedbackWorkingDays);
    await store.insertResponses(
      em,
      measures.map((m) => ({ id: randomUUID(), entryId: e.id, measureCode: m.code, implementingDepartment: m.implementingDepartment, phase, dueAt, reference: '', note: '' })),
    );
  }
}

/** The sweeper's step for an entry, if its time has come. */
function timerStep(e: Entry, type: ListType, now: Date): Step | undefined {
  if (e.state === 'notified' && e.noticeEndsAt && e.noticeEndsAt.getTime() <= now.getTime()) return takeEffect(e, type, SWEEPER, now);
  if (isInForce(e) && e.validUntil && e.validUntil.getTime() <= now.getTime()) return expire(e, SWEEPER, now);
  return undefined;
}

function assertOwner(caller: Caller, owner: string, typeName: string): void {
  if (caller.department !== owner) {
    throw permissionDenied('NOT_LIST_OWNER', `“${typeName}”由${owner}认定，其他部门不能办理`);
  }
}

function checkText(field: string, value: string, what: string): void {
  const v = new Violations();
  v.text(field, value, what, { max: MAX_REASON });
  v.throwIfAny();
}


function checkEntryId(id: string): string {
  const trimmed = id.trim();
  if (!ENTRY_ID.test(trimmed)) throw invalidArgument([{ field: 'entry_id', reason: 'BAD_ID', message: '名单条目编号格式不正确' }]);
  return trimmed.toLowerCase();
}

function entryNotFound(id: string) {
  return notFound('ENTRY_NOT_FOUND', `名单条目 ${id} 不存在`);
}

/**
 * One page in the order of a (time, id) key: the query is asked for one row more than the page holds, which says
 * whether another page follows; the token carries the key of the page's last row.
 */
async function keysetPage<T extends { id: string }>(
  pageSize: number,
  pageToken: string,
  keyTime: (row: T) => Date,
  fetch: (limit: number, after?: store.KeyCursor) => Promise<T[]>,
): Promise<Page<T>> {
  const limit = pageLimit(pageSize);
  const after = decodeCursor(pageToken);
  const rows = await fetch(limit + 1, after && { at: new Date(after[0]), id: after[1] });
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return { items, nextPageToken: rows.length > limit && last ? encodeCursor([keyTime(last).toISOString(), last.id]) : '' };
}

function pageLimit(size: number): number {
  return Math.min(Math.max(size || PAGE_DEFAULT, 1), PAGE_MAX);
}

function encodeCursor(key: [string, string]): string {
  return Buffer.from(JSON.stringify(key), 'utf8').toString('base64url');
}

function decodeCursor(token: string): [string, string] | undefined {
  if (token === '') return undefined;
  try {
    const key = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as unknown;
    if (Array.isArray(key) && key.length === 2 && !Number.isNaN(Date.parse(String(key[0]))) && ENTRY_ID.test(String(key[1]))) {
      return [String(key[0]), String(key[1])];
    }
  } catch {
    // the error below
  }
  throw invalidArgument([{ field: 'page.page_token', reason: 'BAD_PAGE_TOKEN', message: '分页令牌无效' }]);
}

export type { EntryState };

/**
 * Which department's overdue work a caller may list: a department or sector system only its own (asking for another's
 * is refused with `refusal`), the office and operators any one, or all of them when `wanted` is empty.
 */
function ownDepartmentUnlessOversight(caller: Caller, wanted: string, refusal: string): string | undefined {
  requireRole(caller, 'department', 'sector', 'office', 'operator');
  const department = wanted.trim();
  if (caller.role === 'department' || caller.role === 'sector') {
    if (department && department !== caller.department) throw permissionDenied('OTHER_DEPARTMENT', refusal);
    return caller.department;
  }
  return department || undefined;
}
