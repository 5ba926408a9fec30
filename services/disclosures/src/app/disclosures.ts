import type { DataSource, EntityManager } from 'typeorm';
import type { PublishedItem } from '@credit/catalog-client';
import {
  aborted,
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
import { isRealDate, type DisclosureKind } from '@credit/standards';
import { validateRecord, type FieldViolation } from '../domain/index.js';
import { addCounts, countsBetween, type CounterDelta } from '../db/assessment-store.js';
import { assessmentReport, divisionPrefix, type AssessmentRow } from './assessment.js';
import {
  claimExpiredPublicity,
  findByIdentity,
  findRecord,
  insertRecords,
  recordHistory,
  recordsOfCounterparty,
  replaceRecord,
  setRecordState,
  type RecordCursor,
} from '../db/record-store.js';
import { penaltyPublicityEnded, recordCorrected, recordPublished, recordRevoked } from '../events/disclosure-events.js';
import { chinaDay } from './china-day.js';
import type { RecordDraft, RecordRevision, StoredRecord } from './model.js';
import { recordDraft } from './record-draft.js';
import { prepareRows, type Prepared, type PrepareJob, type RawRow } from './prepare-rows.js';

export type { RawRow } from './prepare-rows.js';

/** What the service needs of the published catalog (CatalogView provides it). */
export interface CatalogSource {
  /** The item, if the caller's department owns it in the latest published version; throws otherwise. */
  authorizeRecord(caller: Caller, itemCode: string): PublishedItem;
  current(): { version: number; items: PublishedItem[] } | undefined;
  item(code: string): PublishedItem | undefined;
}


/** The answer for one row of a batch, compact enough to be stored as the batch's idempotent answer. */
export interface RowResult {
  line: number;
  outcome: 'accepted' | 'unchanged' | 'rejected';
  recordId?: string;
  late?: boolean;
  violations?: FieldViolation[];
}

export const MAX_ROWS_PER_BATCH = 1000;
const SWEEP_BATCH = 500;

const rowResultsCodec = jsonCodec<RowResult[]>();
const reviveRecord = (r: StoredRecord): StoredRecord => ({ ...r, receivedAt: new Date(r.receivedAt) });
// A rejected submission's stored answer has no record (see `submit`); reviving it must leave it as it is.
const submittedCodec = jsonCodec<{ record: StoredRecord; created: boolean }>((s) => (s.record ? { ...s, record: reviveRecord(s.record) } : s));
const recordCodec = jsonCodec<StoredRecord>(reviveRecord);

/**
 * The disclosures use cases. Every channel (stream, file through the CLI, single submission) goes through
 * `acceptRows`: validation against the catalog item's schema, the platform's derived values, one transaction that
 * stores the records with their events, audit entry and assessment counts — so a rejected row stores nothing and a
 * resubmitted one duplicates nothing.
 */
export class Disclosures {
  constructor(
    private readonly ds: DataSource,
    private readonly outbox: Outbox,
    private readonly catalog: CatalogSource,
    private readonly clock: () => Date = () => new Date(),
    /** Where batches are validated: in this thread by default, or on a PreparePool's threads. */
    private readonly preparer: (job: PrepareJob) => Promise<Prepared[]> = async (job) => prepareRows(job),
  ) {}

  /** One batch of a stream or a file; `requestId` names the batch, so a retried batch gets the first answers. */
  async ingestBatch(caller: Caller, requestId: string, itemCode: string, rows: RawRow[]): Promise<RowResult[]> {
    if (rows.length > MAX_ROWS_PER_BATCH) {
      throw invalidArgument([{ field: 'rows', reason: 'TOO_MANY_ROWS', message: `每批最多${MAX_ROWS_PER_BATCH}条记录` }]);
    }
    const target = this.target(caller, itemCode);
    const prepared = await this.prepare(target, caller, rows);
    return inTransaction(this.ds, (em) =>
      idempotent(em, { caller, requestId, method: 'IngestRecords' }, rowResultsCodec, async () => {
        const outcomes = await this.store(em, caller, requestId, target, prepared, 'IngestRecords');
        return outcomes.map((o, i) => toRowResult(rows[i]!.line, o));
      }),
    );
  }

  /** One record; a rejected record is refused with every violation at once. */
  async submit(caller: Caller, requestId: string, itemCode: string, fields: Record<string, string>): Promise<{ record: StoredRecord; created: boolean }> {
    const target = this.target(caller, itemCode);
    const prepared = await this.prepare(target, caller, [{ line: 1, fields }]);
    const result = await inTransaction(this.ds, (em) =>
      idempotent(em, { caller, requestId, method: 'SubmitRecord' }, submittedCodec, async () => {
        const [outcome] = await this.store(em, caller, requestId, target, prepared, 'SubmitRecord');
        if (outcome!.outcome === 'rejected') return { rejected: outcome!.violations } as never;
        if (outcome!.outcome === 'repeat') throw new Error('a single record cannot repeat itself');
        return { record: outcome!.record, created: outcome!.outcome === 'accepted' };
      }),
    );
    // The rejection was counted in the transaction (and stored as the request's answer), so a retry counts nothing.
    const rejected = (result as unknown as { rejected?: FieldViolation[] }).rejected;
    if (rejected) throw invalidArgument(rejected);
    return result;
  }

  /** 更正: new content for a record of the caller's department; the earlier revision stays in the history. */
  async correct(caller: Caller, requestId: string, id: string, expectedRevision: number, fields: Record<string, string>, reason: string): Promise<StoredRecord> {
    requireRole(caller, 'department');
    requireReason(reason);
    return inTransaction(this.ds, (em) =>
      idempotent(em, { caller, requestId, method: 'CorrectRecord' }, recordCodec, async () => {
        const current = await this.ownRecord(em, caller, id);
        if (current.state === 'revoked') throw failedPrecondition('RECORD_REVOKED', '记录已撤销，不能更正');
        if (current.revision !== expectedRevision) {
          throw aborted('REVISION_CONFLICT', `记录已被更新为第${current.revision}版，请刷新后再更正`);
        }
        const item = this.catalog.item(current.itemCode);
        if (!item) throw failedPrecondition('ITEM_NOT_PUBLISHED', `目录事项 ${current.itemCode} 不在现行目录中，不能更正`);
        const checked = validateRecord({ kind: current.kind, fields }, item.fields, chinaDay(this.clock()));
        if (!checked.ok) throw invalidArgument(checked.violations);
        if (checked.record.identity.key !== current.identityKey) {
          throw invalidArgument([{ field: 'fields', reason: 'IDENTITY_CHANGED', message: '更正不能改变决定文书号或决定机关；如有误，请撤销后重新报送' }]);
        }
        const draft = recordDraft(checked.record, item, this.catalog.current()!.version, current.department, current.receivedAt, chinaDay(current.receivedAt));
        // What happened to the record since (publicity ended, repair) stands; only a displayed record is re-derived.
        const next: RecordDraft = current.state === 'publicity_ended' ? { ...draft, state: current.state } : draft;
        const updated = await replaceRecord(em, current, next, reason, caller.subject);
        await this.outbox.add(em, [recordCorrected(updated, current, reason)]);
        await appendAudit(em, [{ actor: caller, requestId, command: 'CorrectRecord', target: id, before: current, after: updated }]);
        return updated;
      }),
    );
  }

  /** 撤销: the decision was revoked; the record leaves publicity for good. */
  async revoke(caller: Caller, requestId: string, id: string, reason: string): Promise<StoredRecord> {
    requireRole(caller, 'department');
    requireReason(reason);
    return inTransaction(this.ds, (em) =>
      idempotent(em, { caller, requestId, method: 'RevokeRecord' }, recordCodec, async () => {
        const current = await this.ownRecord(em, caller, id);
        if (current.state === 'revoked') throw failedPrecondition('RECORD_REVOKED', '记录已撤销');
        const revoked = await setRecordState(em, id, 'revoked');
        await this.outbox.add(em, [recordRevoked(revoked, reason)]);
        await appendAudit(em, [{ actor: caller, requestId, command: 'RevokeRecord', target: id, before: current, after: revoked }]);
        return revoked;
      }),
    );
  }

  /**
   * 信用修复 approved by the deciding authority ("谁认定谁修复"): the penalty leaves publicity, which is allowed only
   * once its minimum period has passed.
   */
  async approveRepair(caller: Caller, requestId: string, id: string, basis: string): Promise<StoredRecord> {
    requireRole(caller, 'department');
    if (basis.trim() === '') throw invalidArgument([{ field: 'basis', reason: 'REQUIRED', message: '请填写信用修复依据（履行义务情况及信用承诺）' }]);
    return inTransaction(this.ds, (em) =>
      idempotent(em, { caller, requestId, method: 'ApproveRepair' }, recordCodec, async () => {
        const current = await this.ownRecord(em, caller, id);
        if (current.kind !== 'penalty') throw failedPrecondition('NOT_A_PENALTY', '只有行政处罚记录可以信用修复');
        if (current.state !== 'public') throw failedPrecondition('NOT_IN_PUBLICITY', '该记录不在公示期内，无需修复');
        const today = chinaDay(this.clock());
        if (current.repairPossibleFrom && today < current.repairPossibleFrom) {
          throw failedPrecondition('REPAIR_TOO_EARLY', `最短公示期未满，${current.repairPossibleFrom} 起方可修复`);
        }
        const repaired = await setRecordState(em, id, 'publicity_ended');
        await this.outbox.add(em, [penaltyPublicityEnded(repaired, 'repaired')]);
        await appendAudit(em, [{ actor: caller, requestId, command: 'ApproveRepair', target: id, before: current, after: { ...repaired, basis } }]);
        return repaired;
      }),
    );
  }

  async get(caller: Caller, id: string): Promise<{ record: StoredRecord; history: RecordRevision[] }> {
    requireReader(caller);
    const record = await findRecord(this.ds.manager, id);
    if (!record) throw notFound('RECORD_NOT_FOUND', `记录 ${id} 不存在`);
    return { record, history: await recordHistory(this.ds.manager, id) };
  }

  async listByCounterparty(caller: Caller, code: string, pageSize: number, pageToken: string): Promise<{ records: StoredRecord[]; nextPageToken: string }> {
    requireReader(caller);
    const trimmed = code.trim().toUpperCase();
    if (trimmed === '') throw invalidArgument([{ field: 'counterparty_code', reason: 'REQUIRED', message: '请提供行政相对人代码' }]);
    const limit = Math.min(Math.max(pageSize || 20, 1), 100);
    const found = await recordsOfCounterparty(this.ds.manager, trimmed, decodeCursor(pageToken), limit + 1);
    const records = found.slice(0, limit);
    const last = records.at(-1);
    return { records, nextPageToken: found.length > limit && last ? encodeCursor({ decisionDate: last.decisionDate, id: last.id }) : '' };
  }

  /** 考核 report over receipt days [from, to] for the divisions under `divisionCode` (all of Tibet when empty). */
  async assessment(caller: Caller, from: string, to: string, divisionCode: string): Promise<AssessmentRow[]> {
    requireRole(caller, 'office', 'department', 'operator');
    for (const [field, day] of [['from', from], ['to', to]] as const) {
      if (day !== '' && !isCalendarDay(day)) {
        throw invalidArgument([{ field, reason: 'INVALID_DATE', message: `${field === 'from' ? '起始日期' : '截止日期'}“${day}”不是有效日期，应为真实日期，格式为YYYY-MM-DD` }]);
      }
    }
    const catalog = this.catalog.current();
    if (!catalog) throw failedPrecondition('CATALOG_NOT_LOADED', '公共信用信息目录尚未加载，暂不能考核');
    const counts = await countsBetween(this.ds.manager, from, to, divisionPrefix(divisionCode));
    return assessmentReport(counts, catalog.items);
  }

  /** Ends the publicity of every public penalty whose period ran out by today; returns how many. */
  async endExpiredPublicity(): Promise<number> {
    const today = chinaDay(this.clock());
    let ended = 0;
    for (;;) {
      const n = await inTransaction(this.ds, async (em) => {
        const due = await claimExpiredPublicity(em, today, SWEEP_BATCH);
        if (due.length === 0) return 0;
        const ids = due.map((r) => r.id);
        await em.query(`UPDATE disclosure_record SET state = 'publicity_ended', updated_at = now() WHERE id = ANY($1::bigint[])`, [ids]);
        await this.outbox.add(em, due.map((r) => penaltyPublicityEnded({ ...r, state: 'publicity_ended' }, 'expired')));
        const system: Caller = { department: 'platform', role: 'operator', subject: 'publicity-sweeper' };
        await appendAudit(em, [{ actor: system, requestId: `publicity-${today}`, command: 'EndPublicity', target: `${ids.length} records`, after: { ids } }]);
        return due.length;
      });
      ended += n;
      if (n < SWEEP_BATCH) return ended;
    }
  }

  private target(caller: Caller, itemCode: string): Target {
    requireRole(caller, 'department');
    const item = this.catalog.authorizeRecord(caller, itemCode);
    const kind = kindOf(item);
    if (!kind) {
      throw failedPrecondition('ITEM_NOT_DOUBLE_PUBLICITY', `目录事项“${item.name}”不是行政许可或行政处罚事项`);
    }
    return { item, kind, catalogVersion: this.catalog.current()!.version };
  }

  private prepare(target: Target, caller: Caller, rows: RawRow[]): Promise<Prepared[]> {
    return this.preparer({ item: target.item, kind: target.kind, catalogVersion: target.catalogVersion, department: caller.department, now: this.clock(), rows });
  }

  /** Stores the valid rows of one batch with their events, audit entry and counts; one outcome per row. */
  private async store(em: EntityManager, caller: Caller, requestId: string, target: Target, prepared: Prepared[], command: string): Promise<Outcome[]> {
    const outcomes: Outcome[] = new Array(prepared.length);
    const firstAt = new Map<string, number>();
    const fresh: RecordDraft[] = [];
    prepared.forEach((p, i) => {
      if (!p.ok) {
        outcomes[i] = { outcome: 'rejected', violations: p.violations };
        return;
      }
      const first = firstAt.get(p.draft.identityKey);
      if (first === undefined) {
        firstAt.set(p.draft.identityKey, i);
        fresh.push(p.draft);
      } else {
        // The same decision twice in one batch: a plain repeat shares the first row's fate, other content is refused.
        outcomes[i] = sameContent((prepared[first] as { draft: RecordDraft }).draft, p.draft) ? { outcome: 'repeat', of: first } : duplicateOf(p.draft);
      }
    });
    const inserted = await insertRecords(em, fresh);
    const insertedKeys = new Map(inserted.map((r) => [r.identityKey, r]));
    const existing = new Map(
      (await findByIdentity(em, fresh.filter((d) => !insertedKeys.has(d.identityKey)).map((d) => d.identityKey))).map((r) => [r.identityKey, r]),
    );
    for (const [key, i] of firstAt) {
      const mine = insertedKeys.get(key);
      const stored = existing.get(key);
      const draft = (prepared[i] as { draft: RecordDraft }).draft;
      outcomes[i] = mine
        ? { outcome: 'accepted', record: mine }
        : stored && sameContent(stored, draft)
          ? { outcome: 'unchanged', record: stored }
          : duplicateOf(draft);
    }
    outcomes.forEach((o, i) => {
      if (o.outcome !== 'repeat') return;
      const first = outcomes[o.of]!;
      outcomes[i] = first.outcome === 'accepted' ? { outcome: 'unchanged', record: first.record } : first;
    });

    if (inserted.length > 0) {
      await this.outbox.add(em, inserted.map(recordPublished));
      await appendAudit(em, [
        inserted.length === 1
          ? { actor: caller, requestId, command, target: inserted[0]!.id, after: inserted[0] }
          : { actor: caller, requestId, command, target: `${inserted.length} records`, after: { item: target.item.code, ids: inserted.map((r) => r.id) } },
      ]);
    }
    await addCounts(em, countsOf(caller.department, target.item.code, prepared, outcomes));
    return outcomes;
  }

  private async ownRecord(em: EntityManager, caller: Caller, id: string): Promise<StoredRecord> {
    const record = await findRecord(em, id, true);
    if (!record) throw notFound('RECORD_NOT_FOUND', `记录 ${id} 不存在`);
    if (record.department !== caller.department) throw permissionDenied('NOT_RECORD_OWNER', '只有报送该记录的部门可以更正、撤销或修复它');
    return record;
  }
}

interface Target {
  item: PublishedItem;
  kind: DisclosureKind;
  catalogVersion: number;
}

type Outcome =
  | { outcome: 'accepted' | 'unchanged'; record: StoredRecord }
  | { outcome: 'rejected'; violations: FieldViolation[] }
  | { outcome: 'repeat'; of: number };

function kindOf(item: PublishedItem): DisclosureKind | undefined {
  return item.category === 'licence' ? 'licence' : item.category === 'penalty' ? 'penalty' : undefined;
}

function toRowResult(line: number, o: Outcome): RowResult {
  if (o.outcome === 'rejected') return { line, outcome: 'rejected', violations: o.violations };
  if (o.outcome === 'repeat') throw new Error('a repeated row was not resolved');
  return { line, outcome: o.outcome, recordId: o.record.id, late: o.record.late };
}

function sameContent(a: Pick<RecordDraft, 'itemCode' | 'fields'>, b: Pick<RecordDraft, 'itemCode' | 'fields'>): boolean {
  if (a.itemCode !== b.itemCode) return false;
  const keys = Object.keys(a.fields);
  return keys.length === Object.keys(b.fields).length && keys.every((k) => a.fields[k] === b.fields[k]);
}

function duplicateOf(d: RecordDraft): Outcome {
  const field = d.kind === 'licence' ? 'XK_WSH' : 'CF_WSH';
  return {
    outcome: 'rejected',
    violations: [{ field, reason: 'DUPLICATE_DOCUMENT', message: `同一决定机关的文书号“${d.fields[field] ?? ''}”已报送过不同内容；如需修改，请使用更正` }],
  };
}

function countsOf(department: string, itemCode: string, prepared: Prepared[], outcomes: Outcome[]): CounterDelta[] {
  return prepared.flatMap((p, i): CounterDelta[] => {
    const o = outcomes[i]!;
    if (o.outcome === 'accepted' && p.ok) {
      return [{ department, itemCode, divisionCode: p.draft.divisionCode, day: chinaDay(p.draft.receivedAt), accepted: 1, late: p.draft.late ? 1 : 0, rejected: 0 }];
    }
    if (o.outcome !== 'rejected') return [];
    const divisionCode = p.ok ? p.draft.divisionCode : p.divisionCode;
    const day = p.ok ? chinaDay(p.draft.receivedAt) : p.day;
    return [{ department, itemCode, divisionCode, day, accepted: 0, late: 0, rejected: 1 }];
  });
}

function requireReason(reason: string): void {
  if (reason.trim() === '') throw invalidArgument([{ field: 'reason', reason: 'REQUIRED', message: '请填写原因' }]);
  if (reason.length > 500) throw invalidArgument([{ field: 'reason', reason: 'FIELD_TOO_LONG', message: '原因不超过500个字符' }]);
}

// The shape alone lets 2026-02-30 through to PostgreSQL, which would fail the call as an internal error.
function isCalendarDay(day: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  return match !== null && isRealDate(Number(match[1]), Number(match[2]), Number(match[3]));
}

function encodeCursor(c: RecordCursor): string {
  return Buffer.from(JSON.stringify([c.decisionDate, c.id])).toString('base64url');
}

function decodeCursor(token: string): RecordCursor | undefined {
  if (token === '') return undefined;
  try {
    const [decisionDate, id] = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as [unknown, unknown];
    if (typeof decisionDate === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(decisionDate) && typeof id === 'string' && /^\d{1,18}$/.test(id)) {
      return { decisionDate, id };
    }
  } catch {
    // fall through
  }
  throw invalidArgument([{ field: 'page_token', reason: 'INVALID_PAGE_TOKEN', message: '分页标记无效' }]);
}

/**
 * Stored records are whole: every field, not-public records included, a natural person's ID number unmasked. Those
 * who work with them read them here; the public sees what the publication service projects, masked.
 */
function requireReader(caller: Caller): void {
  requireRole(caller, 'department', 'office', 'sector', 'operator');
}
