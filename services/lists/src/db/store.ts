// Raw SQL for the core tables. Rows in, domain objects out; no logic beyond mapping.
import type { EntityManager } from 'typeorm';
import { deferWrite, type FirstRead } from '@credit/platform';
import type {
  Colour,
  Entry,
  EntryState,
  FeedbackOutcome,
  FeedbackPhase,
  ListType,
  Measure,
  MeasureKind,
  MeasureResponse,
  Objection,
  RatingCondition,
  RemovalReason,
  Transition,
} from '../domain/index.js';

type Row = Record<string, unknown>;
const date = (v: unknown): Date | undefined => (v === null || v === undefined ? undefined : new Date(v as string | Date));

// ---------- list types and measures

function listTypeOf(r: Row): ListType {
  return {
    code: r.code as string,
    name: r.name as string,
    colour: r.colour as Colour,
    ownerDepartment: r.owner_department as string,
    criteria: r.criteria as string,
    legalBasis: r.legal_basis as string,
    validityDays: r.validity_days as number,
    noticeWorkingDays: r.notice_working_days as number,
    objectionWorkingDays: r.objection_working_days as number,
    feedbackWorkingDays: r.feedback_working_days as number,
  };
}

export async function findListType(em: EntityManager, code: string): Promise<ListType | undefined> {
  return readWith(em, listTypeRead(code));
}

/** A list type by code, as the first read of a command (sent with its request id's claim). */
export function listTypeRead(code: string): FirstRead<ListType | undefined> {
  return { sql: `SELECT * FROM list_type WHERE code = $1`, params: [code], map: (rows) => (rows[0] ? listTypeOf(rows[0]) : undefined) };
}

/** Runs a first read on its own (without a claim). */
async function readWith<R>(em: EntityManager, read: FirstRead<R>): Promise<R> {
  return read.map(await em.query(read.sql, read.params));
}

export async function allListTypes(em: EntityManager): Promise<ListType[]> {
  return ((await em.query(`SELECT * FROM list_type ORDER BY code`)) as Row[]).map(listTypeOf);
}

export async function saveListType(em: EntityManager, t: ListType, now: Date): Promise<void> {
  await em.query(
    `INSERT INTO list_type (code, name, colour, owner_department, criteria, legal_basis, validity_days, notice_working_days,
                            objection_working_days, feedback_working_days, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
     ON CONFLICT (code) DO UPDATE SET name = $2, colour = $3, owner_department = $4, criteria = $5, legal_basis = $6,
       validity_days = $7, notice_working_days = $8, objection_working_days = $9, feedback_working_days = $10, updated_at = $11`,
    [t.code, t.name, t.colour, t.ownerDepartment, t.criteria, t.legalBasis, t.validityDays, t.noticeWorkingDays, t.objectionWorkingDays, t.feedbackWorkingDays, now],
  );
}

function measureOf(r: Row): Measure {
  return {
    code: r.code as string,
    name: r.name as string,
    kind: r.kind as MeasureKind,
    implementingDepartment: r.implementing_department as string,
    listTypes: r.list_types as string[],
    ratings: r.ratings as RatingCondition[],
    activities: r.activities as string[],
    legalBasis: r.legal_basis as string,
  };
}

export async function allMeasures(em: EntityManager, implementingDepartment?: string): Promise<Measure[]> {
  const rows: Row[] = implementingDepartment
    ? await em.query(`SELECT * FROM measure WHERE implementing_department = $1 ORDER BY code`, [implementingDepartment])
    : await em.query(`SELECT * FROM measure ORDER BY code`);
  return rows.map(measureOf);
}

export async function findMeasure(em: EntityManager, code: string): Promise<Measure | undefined> {
  const rows: Row[] = await em.query(`SELECT * FROM measure WHERE code = $1`, [code]);
  return rows[0] ? measureOf(rows[0]) : undefined;
}

export async function saveMeasure(em: EntityManager, m: Measure, now: Date): Promise<void> {
  await em.query(
    `INSERT INTO measure (code, name, kind, implementing_department, list_types, ratings, activities, legal_basis, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
     ON CONFLICT (code) DO UPDATE SET name = $2, kind = $3, implementing_department = $4, list_types = $5, ratings = $6,
       activities = $7, legal_basis = $8, updated_at = $9`,
    [m.code, m.name, m.kind, m.implementingDepartment, m.listTypes, JSON.stringify(m.ratings), m.activities, m.legalBasis, now],
  );
}

// ---------- sector subscriptions

export interface SubscriptionRow {
  durable: string;
  department: string;
  listType?: string;
  ratingSector?: string;
  filterSubject: string;
}

const subscriptionOf = (r: Row): SubscriptionRow => ({
  durable: r.durable as string,
  department: r.department as string,
  ...(r.list_type ? { listType: r.list_type as string } : {}),
  ...(r.rating_sector ? { ratingSector: r.rating_sector as string } : {}),
  filterSubject: r.filter_subject as string,
});

export async function saveSubscriptions(em: EntityManager, subs: SubscriptionRow[], now: Date): Promise<void> {
  for (const s of subs) {
    await em.query(
      `INSERT INTO sector_subscription (durable, department, list_type, rating_sector, filter_subject, created_at)
       VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (durable) DO UPDATE SET filter_subject = $5`,
      [s.durable, s.department, s.listType ?? null, s.ratingSector ?? null, s.filterSubject, now],
    );
  }
}

export async function subscriptions(em: EntityManager, department?: string): Promise<SubscriptionRow[]> {
  const rows: Row[] = department
    ? await em.query(`SELECT * FROM sector_subscription WHERE department = $1 ORDER BY durable`, [department])
    : await em.query(`SELECT * FROM sector_subscription ORDER BY durable`);
  return rows.map(subscriptionOf);
}

// ---------- entries

function entryOf(r: Row): Entry {
  const o = r.objection as (Omit<Objection, 'filedAt' | 'decideBy' | 'decidedAt'> & Record<string, string>) | null;
  return {
    id: r.id as string,
    listType: r.list_type as string,
    colour: r.colour as Colour,
    ownerDepartment: r.owner_department as string,
    entityCode: r.entity_code as string,
    entityName: r.entity_name as string,
    state: r.state as EntryState,
    facts: r.facts as string,
    decisionDocument: r.decision_document as string,
    legalBasis: r.legal_basis as string,
    decidedAt: date(r.decided_at)!,
    noticeEndsAt: date(r.notice_ends_at),
    effectiveAt: date(r.effective_at),
    validUntil: date(r.valid_until),
    objection: o ? reviveObjection(o) : undefined,
    removedAt: date(r.removed_at),
    removalReason: (r.removal_reason as RemovalReason | null) ?? undefined,
    version: r.version as number,
    createdAt: date(r.created_at)!,
  };
}

export function reviveObjection(o: Record<string, unknown>): Objection {
  return {
    applicant: o.applicant as string,
    grounds: o.grounds as string,
    filedAt: date(o.filedAt)!,
    decideBy: date(o.decideBy)!,
    ...(o.outcome ? { outcome: o.outcome as Objection['outcome'] } : {}),
    decisionReason: (o.decisionReason as string) ?? '',
    ...(o.decidedAt ? { decidedAt: date(o.decidedAt) } : {}),
  };
}

/** Inserts a new entry; undefined when (list type, entity, decision document) is already there. */
export async function insertEntry(em: EntityManager, e: Entry): Promise<boolean> {
  const rows: unknown[] = await em.query(
    `INSERT INTO list_entry (id, list_type, colour, owner_department, entity_code, entity_name, state, facts, decision_document,
                             legal_basis, decided_at, valid_until, version, created_at, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $14)
     ON CONFLICT (list_type, entity_code, decision_document) DO NOTHING RETURNING 1`,
    [e.id, e.listType, e.colour, e.ownerDepartment, e.entityCode, e.entityName, e.state, e.facts, e.decisionDocument, e.legalBasis, e.decidedAt, e.validUntil ?? null, e.version, e.createdAt],
  );
  return rows.length > 0;
}

export async function findEntryByDecision(em: EntityManager, listType: string, entityCode: string, document: string): Promise<Entry | undefined> {
  const rows: Row[] = await em.query(`SELECT * FROM list_entry WHERE list_type = $1 AND entity_code = $2 AND decision_document = $3`, [listType, entityCode, document]);
  return rows[0] ? entryOf(rows[0]) : undefined;
}

export async function findEntry(em: EntityManager, id: string): Promise<Entry | undefined> {
  const rows: Row[] = await em.query(`SELECT * FROM list_entry WHERE id = $1`, [id]);
  return rows[0] ? entryOf(rows[0]) : undefined;
}

/** What every command on an entry reads first, in one round trip: the entry (locked), its list type and its measures. */
export interface LockedEntry {
  entry: Entry;
  type: ListType;
  /** The measures that apply to the entry's list type, by code: whose feedback a change in force expects. */
  measures: Measure[];
}

export function lockEntry(em: EntityManager, id: string): Promise<LockedEntry | undefined> {
  return readWith(em, lockedEntryRead(id));
}

/** The entry locked, with its type and measures, as the first read of a command (sent with its request id's claim). */
export function lockedEntryRead(id: string): FirstRead<LockedEntry | undefined> {
  return {
    sql: `SELECT e.*, to_jsonb(t) AS list_type_row,
            (SELECT coalesce(jsonb_agg(to_jsonb(m) ORDER BY m.code), '[]') FROM measure m WHERE m.list_types @> ARRAY[e.list_type]) AS measure_rows
       FROM list_entry e JOIN list_type t ON t.code = e.list_type WHERE e.id = $1 FOR UPDATE OF e`,
    params: [id],
    map: (rows) => {
      const r = rows[0];
      return r ? { entry: entryOf(r), type: listTypeOf(r.list_type_row as Row), measures: (r.measure_rows as Row[]).map(measureOf) } : undefined;
    },
  };
}

/**
 * Writes the entry's changed state with the command's other writes at COMMIT; the version guards against a writer
 * that did not hold the row lock, and fails the transaction if one did.
 */
export async function updateEntry(em: EntityManager, e: Entry, previousVersion: number, now: Date): Promise<void> {
  await deferWrite(em, {
    sql: `UPDATE list_entry SET state = $2, facts = $3, notice_ends_at = $4, effective_at = $5, valid_until = $6, objection = $7,
            removed_at = $8, removal_reason = $9, version = $10, updated_at = $11, pending_objection_decide_by = $13
      WHERE id = $1 AND version = $12 RETURNING 1`,
    params: [e.id, e.state, e.facts, e.noticeEndsAt ?? null, e.effectiveAt ?? null, e.validUntil ?? null, e.objection ? JSON.stringify(e.objection) : null,
      e.removedAt ?? null, e.removalReason ?? null, e.version, now, previousVersion,
      e.state === 'objected' && e.objection && !e.objection.outcome ? e.objection.decideBy : null],
    onRows: (rows) => {
      if (rows.length === 0) throw new Error(`list entry ${e.id} changed underneath (version ${previousVersion})`);
    },
  });
}

export interface EntryFilter {
  listType?: string;
  state?: EntryState;
  entityCode?: string;
}

export interface EntryCursor {
  createdAt: Date;
  id: string;
}

export async function listEntries(em: EntityManager, f: EntryFilter, limit: number, after?: EntryCursor): Promise<Entry[]> {
  const where: string[] = [];
  const params: unknown[] = [];
  const add = (sql: string, v: unknown) => {
    params.push(v);
    where.push(sql.replace('?', `$${params.length}`));
  };
  if (f.listType) add('list_type = ?', f.listType);
  if (f.state) add('state = ?', f.state);
  if (f.entityCode) add('entity_code = ?', f.entityCode);
  if (after) {
    params.push(after.createdAt, after.id);
    where.push(`(created_at, id) < ($${params.length - 1}, $${params.length})`);
  }
  params.push(limit);
  const rows: Row[] = await em.query(
    `SELECT * FROM list_entry ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY created_at DESC, id DESC LIMIT $${params.length}`,
    params,
  );
  return rows.map(entryOf);
}

/** Entries the sweeper must move: notice periods over, or validity run out. */
export async function dueEntries(em: EntityManager, now: Date, limit: number): Promise<string[]> {
  const rows: { id: string }[] = await em.query(
    `(SELECT id FROM list_entry WHERE state = 'notified' AND notice_ends_at <= $1 LIMIT $2)
     UNION
     (SELECT id FROM list_entry WHERE state IN ('effective', 'objected') AND effective_at IS NOT NULL AND valid_until <= $1 LIMIT $2)`,
    [now, limit],
  );
  return rows.map((r) => r.id);
}

export async function insertTransitions(em: EntityManager, entryId: string, ts: Transition[]): Promise<void> {
  if (ts.length === 0) return;
  // One statement for all of a step's transitions (a notice that also takes effect has two); WITH ORDINALITY keeps
  // their order in seq.
  // Nothing reads the history back in the same command: it goes with the command's other writes at COMMIT.
  await deferWrite(em, {
    sql: `INSERT INTO entry_transition (entry_id, from_state, to_state, action, actor_department, actor, reason, at)
     SELECT $1, t.from_state, t.to_state, t.action, t.actor_department, t.actor, t.reason, t.at
       FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::timestamptz[])
            WITH ORDINALITY AS t(from_state, to_state, action, actor_department, actor, reason, at, n)
      ORDER BY t.n`,
    params: [
      entryId,
      ts.map((t) => t.from ?? null),
      ts.map((t) => t.to),
      ts.map((t) => t.action),
      ts.map((t) => t.actorDepartment),
      ts.map((t) => t.actor),
      ts.map((t) => t.reason),
      ts.map((t) => t.at),
    ],
  });
}

export async function transitionsOf(em: EntityManager, entryId: string): Promise<Transition[]> {
  const rows: Row[] = await em.query(`SELECT * FROM entry_transition WHERE entry_id = $1 ORDER BY seq`, [entryId]);
  return rows.map((r) => ({
    ...(r.from_state ? { from: r.from_state as EntryState } : {}),
    to: r.to_state as EntryState,
    action: r.action as Transition['action'],
    actorDepartment: r.actor_department as string,
    actor: r.actor as string,
    reason: r.reason as string,
    at: date(r.at)!,
  }));
}

// ---------- measure responses

function responseOf(r: Row): MeasureResponse {
  return {
    id: r.id as string,
    entryId: r.entry_id as string,
    measureCode: r.measure_code as string,
    implementingDepartment: r.implementing_department as string,
    phase: r.phase as FeedbackPhase,
    dueAt: date(r.due_at)!,
    ...(r.outcome ? { outcome: r.outcome as FeedbackOutcome } : {}),
    reference: r.reference as string,
    note: r.note as string,
    ...(r.reported_at ? { reportedAt: date(r.reported_at) } : {}),
  };
}

export async function insertResponses(em: EntityManager, rs: MeasureResponse[]): Promise<void> {
  if (rs.length === 0) return;
  await deferWrite(em, {
    sql: `INSERT INTO measure_response (id, entry_id, measure_code, implementing_department, phase, due_at)
     SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::text[], $6::timestamptz[])
     ON CONFLICT (entry_id, measure_code, phase) DO NOTHING`,
    params: [rs.map((r) => r.id), rs.map((r) => r.entryId), rs.map((r) => r.measureCode), rs.map((r) => r.implementingDepartment), rs.map((r) => r.phase), rs.map((r) => r.dueAt)],
  });
}

export async function responsesOf(em: EntityManager, entryId: string): Promise<MeasureResponse[]> {
  const rows: Row[] = await em.query(`SELECT * FROM measure_response WHERE entry_id = $1 ORDER BY phase, measure_code`, [entryId]);
  return rows.map(responseOf);
}

export async function findResponse(em: EntityManager, entryId: string, measureCode: string, phase: FeedbackPhase): Promise<MeasureResponse | undefined> {
  const rows: Row[] = await em.query(
    `SELECT * FROM measure_response WHERE entry_id = $1 AND measure_code = $2 AND phase = $3 FOR UPDATE`,
    [entryId, measureCode, phase],
  );
  return rows[0] ? responseOf(rows[0]) : undefined;
}

export async function recordFeedback(em: EntityManager, r: MeasureResponse, reporter: string, requestId: string): Promise<void> {
  await em.query(`UPDATE measure_response SET outcome = $2, reference = $3, note = $4, reported_at = $5 WHERE id = $1`, [
    r.id, r.outcome, r.reference, r.note, r.reportedAt,
  ]);
  await em.query(
    `INSERT INTO feedback_report (response_id, outcome, reference, note, reporter, request_id, reported_at) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
    [r.id, r.outcome, r.reference, r.note, reporter, requestId, r.reportedAt],
  );
}

/** Where a page ordered by (time, id) goes on. */
export interface KeyCursor {
  at: Date;
  id: string;
}

export async function overdueResponses(em: EntityManager, now: Date, department: string | undefined, limit: number, after?: KeyCursor): Promise<MeasureResponse[]> {
  const rows = await overdue(em, { table: 'measure_response', pending: 'outcome IS NULL', due: 'due_at', department: 'implementing_department' }, now, department, limit, after);
  return rows.map(responseOf);
}

/** Entries whose objection is undecided past its deadline, earliest deadline first. */
export async function overdueObjections(em: EntityManager, now: Date, department: string | undefined, limit: number, after?: KeyCursor): Promise<Entry[]> {
  const rows = await overdue(em, { table: 'list_entry', pending: `state = 'objected'`, due: 'pending_objection_decide_by', department: 'owner_department' }, now, department, limit, after);
  return rows.map(entryOf);
}

/** Pending rows of `table` past their due time, earliest first, optionally of one department; keyset paged. */
async function overdue(
  em: EntityManager,
  t: { table: string; pending: string; due: string; department: string },
  now: Date,
  department: string | undefined,
  limit: number,
  after?: KeyCursor,
): Promise<Row[]> {
  const params: unknown[] = [now, limit];
  let where = `${t.pending} AND ${t.due} < $1`;
  if (department) {
    params.push(department);
    where += ` AND ${t.department} = $${params.length}`;
  }
  if (after) {
    params.push(after.at, after.id);
    where += ` AND (${t.due}, id) > ($${params.length - 1}, $${params.length})`;
  }
  return em.query(`SELECT * FROM ${t.table} WHERE ${where} ORDER BY ${t.due}, id LIMIT $2`, params);
}
