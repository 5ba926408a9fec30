import type { EntityManager } from 'typeorm';
import { updateReturning } from '@credit/platform';
import { storedRecord, type RecordDraft, type RecordRevision, type RecordState, type StoredRecord } from '../app/model.js';

const COLUMNS = `id::text AS id, kind, identity_key, item_code, catalog_version, department, division_code, counterparty_code,
  counterparty_name, decision_date::text AS decision_date, received_at, working_days, late, state,
  publicity_ends_on::text AS publicity_ends_on, repair_possible_from::text AS repair_possible_from, fields, revision`;

interface Row {
  id: string;
  kind: StoredRecord['kind'];
  identity_key: string;
  item_code: string;
  catalog_version: number;
  department: string;
  division_code: string;
  counterparty_code: string;
  counterparty_name: string;
  decision_date: string;
  received_at: Date;
  working_days: number;
  late: boolean;
  state: RecordState;
  publicity_ends_on: string | null;
  repair_possible_from: string | null;
  fields: Record<string, string>;
  revision: number;
}

function fromRow(r: Row): StoredRecord {
  return {
    id: r.id,
    kind: r.kind,
    identityKey: r.identity_key,
    itemCode: r.item_code,
    catalogVersion: r.catalog_version,
    department: r.department,
    divisionCode: r.division_code,
    counterpartyCode: r.counterparty_code,
    counterpartyName: r.counterparty_name,
    decisionDate: r.decision_date,
    receivedAt: r.received_at,
    workingDays: r.working_days,
    late: r.late,
    state: r.state,
    publicityEndsOn: r.publicity_ends_on,
    repairPossibleFrom: r.repair_possible_from,
    fields: r.fields,
    revision: r.revision,
  };
}

/**
 * Inserts the drafts whose identity is new, in one statement whose rows come from one JSON parameter (serialising a
 * batch with JSON.stringify costs a fraction of node-postgres's escaping of one array parameter per column, which
 * escaped every quote of every record's fields); a draft whose identity is already stored (by another batch, or an
 * earlier run) is skipped and left to the caller to compare.
 */
export async function insertRecords(em: EntityManager, drafts: RecordDraft[]): Promise<StoredRecord[]> {
  if (drafts.length === 0) return [];
  const rows: { id: string; identity_key: string }[] = await em.query(
    `INSERT INTO disclosure_record (kind, identity_key, item_code, catalog_version, department, division_code,
       counterparty_code, counterparty_name, decision_date, received_at, working_days, late, state, publicity_ends_on,
       repair_possible_from, fields)
     SELECT d.kind, d."identityKey", d."itemCode", d."catalogVersion", d.department, d."divisionCode",
            d."counterpartyCode", d."counterpartyName", d."decisionDate", d."receivedAt", d."workingDays", d.late, d.state,
            d."publicityEndsOn", d."repairPossibleFrom", d.fields
       FROM jsonb_to_recordset($1::jsonb)
         AS d(kind text, "identityKey" text, "itemCode" text, "catalogVersion" int, department text, "divisionCode" text,
              "counterpartyCode" text, "counterpartyName" text, "decisionDate" date, "receivedAt" timestamptz,
              "workingDays" int, late bool, state text, "publicityEndsOn" date, "repairPossibleFrom" date, fields jsonb)
     ON CONFLICT (identity_key) DO NOTHING
     RETURNING id::text AS id, identity_key`,
    [JSON.stringify(drafts)],
  );
  const byKey = new Map(drafts.map((d) => [d.identityKey, d]));
  return rows.map((r) => storedRecord(byKey.get(r.identity_key)!, r.id, 1));
}

export async function findByIdentity(em: EntityManager, keys: string[]): Promise<StoredRecord[]> {
  if (keys.length === 0) return [];
  const rows: Row[] = await em.query(`SELECT ${COLUMNS} FROM disclosure_record WHERE identity_key = ANY($1::text[])`, [keys]);
  return rows.map(fromRow);
}

export async function findRecord(em: EntityManager, id: string, forUpdate = false): Promise<StoredRecord | undefined> {
  if (!/^\d{1,18}$/.test(id)) return undefined;
  const rows: Row[] = await em.query(`SELECT ${COLUMNS} FROM disclosure_record WHERE id = $1 ${forUpdate ? 'FOR UPDATE' : ''}`, [id]);
  return rows[0] && fromRow(rows[0]);
}

// ORDER BY prefers an output column over a table column of the same name, and COLUMNS renames id and the dates
// to text: an unqualified `ORDER BY id` sorts "9" after "10", which breaks keyset paging and the index's order.

/** Replaces the content and what was derived from it; the earlier revision goes to the history first. */
export async function replaceRecord(em: EntityManager, previous: StoredRecord, next: RecordDraft, reason: string, actor: string): Promise<StoredRecord> {
  await em.query(
    `INSERT INTO disclosure_revision (record_id, revision, fields, reason, actor, at) VALUES ($1, $2, $3::jsonb, $4, $5, now())`,
    [previous.id, previous.revision, JSON.stringify(previous.fields), reason, actor],
  );
  const rows = await updateReturning<Row>(
    em,
    `UPDATE disclosure_record
        SET item_code = $2, catalog_version = $3, division_code = $4, counterparty_code = $5, counterparty_name = $6,
            decision_date = $7, working_days = $8, late = $9, state = $10, publicity_ends_on = $11,
            repair_possible_from = $12, fields = $13::jsonb, revision = revision + 1, updated_at = now()
      WHERE id = $1
      RETURNING ${COLUMNS}`,
    [
      previous.id,
      next.itemCode,
      next.catalogVersion,
      next.divisionCode,
      next.counterpartyCode,
      next.counterpartyName,
      next.decisionDate,
      next.workingDays,
      next.late,
      next.state,
      next.publicityEndsOn,
      next.repairPossibleFrom,
      JSON.stringify(next.fields),
    ],
  );
  return fromRow(rows[0]!);
}

export async function setRecordState(em: EntityManager, id: string, state: RecordState): Promise<StoredRecord> {
  const rows = await updateReturning<Row>(
    em,
    `UPDATE disclosure_record SET state = $2, updated_at = now() WHERE id = $1 RETURNING ${COLUMNS}`,
    [id, state],
  );
  return fromRow(rows[0]!);
}

export async function recordHistory(em: EntityManager, id: string): Promise<RecordRevision[]> {
  const rows: { revision: number; fields: Record<string, string>; reason: string; actor: string; at: Date }[] = await em.query(
    `SELECT revision, fields, reason, actor, at FROM disclosure_revision WHERE record_id = $1 ORDER BY revision`,
    [id],
  );
  return rows;
}

export interface RecordCursor {
  decisionDate: string;
  id: string;
}

/** One counterparty's records, newest decision first, keyset-paged on (decision_date, id). */
export async function recordsOfCounterparty(em: EntityManager, code: string, after: RecordCursor | undefined, limit: number): Promise<StoredRecord[]> {
  const rows: Row[] = await em.query(
    `SELECT ${COLUMNS} FROM disclosure_record
      WHERE counterparty_code = $1 AND ($2::date IS NULL OR (decision_date, id) < ($2::date, $3::bigint))
      ORDER BY disclosure_record.decision_date DESC, disclosure_record.id DESC
      LIMIT $4`,
    [code, after?.decisionDate ?? null, after?.id ?? '0', limit],
  );
  return rows.map(fromRow);
}

/** Public penalties whose publicity has run out by `today`, locked so that two sweepers never end one twice. */
export async function claimExpiredPublicity(em: EntityManager, today: string, limit: number): Promise<StoredRecord[]> {
  const rows: Row[] = await em.query(
    `SELECT ${COLUMNS} FROM disclosure_record
      WHERE state = 'public' AND publicity_ends_on <= $1::date
      ORDER BY disclosure_record.publicity_ends_on, disclosure_record.id
      LIMIT $2
        FOR UPDATE SKIP LOCKED`,
    [today, limit],
  );
  return rows.map(fromRow);
}
