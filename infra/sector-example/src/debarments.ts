// 限制参与政府采购: the procurement system's own record of who may not bid, and why.
import type pg from 'pg';
import type { ListEntry, PgClientLike } from '@credit/sector-sdk';

export interface Debarment {
  id: string;
  entityCode: string;
  entityName: string;
  entryId: string;
  listType: string;
  measure: string;
  legalBasis: string;
  decisionDocument: string;
  since: Date;
  imposed: boolean;
  liftedAt: Date | null;
  liftReason: string | null;
}

interface Row {
  id: string;
  entity_code: string;
  entity_name: string;
  entry_id: string;
  list_type: string;
  measure: string;
  legal_basis: string;
  decision_document: string;
  since: Date;
  imposed: boolean;
  lifted_at: Date | null;
  lift_reason: string | null;
}

const toDebarment = (r: Row): Debarment => ({
  id: r.id,
  entityCode: r.entity_code,
  entityName: r.entity_name,
  entryId: r.entry_id,
  listType: r.list_type,
  measure: r.measure,
  legalBasis: r.legal_basis,
  decisionDocument: r.decision_document,
  since: r.since,
  imposed: r.imposed,
  liftedAt: r.lifted_at,
  liftReason: r.lift_reason,
});

/** The debarment id is the reference the platform gets in the feedback: a case officer can find it here. */
export const referenceOf = (id: string): string => `DEB-${id}`;

/**
 * Inside the event's transaction. The (entry, measure) key makes it one row per entry however often asked; a row the
 * removal already wrote (it overtook the taking effect after a crash) stays lifted.
 */
export async function debar(tx: PgClientLike, entry: ListEntry, measure: string): Promise<void> {
  await tx.query(
    `INSERT INTO debarments (entity_code, entity_name, entry_id, list_type, measure, legal_basis, decision_document, since, imposed)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, true) ON CONFLICT (entry_id, measure) DO NOTHING`,
    [entry.entityCode, entry.entityName, entry.id, entry.listType, measure, entry.legalBasis, entry.decisionDocument, entry.effectiveAt ?? new Date()],
  );
}

/** Lifts the debarment; when none exists yet, leaves a lifted row so a late "took effect" cannot debar again. */
export async function lift(tx: PgClientLike, entry: ListEntry, measure: string, reason: string): Promise<void> {
  await tx.query(
    `INSERT INTO debarments (entity_code, entity_name, entry_id, list_type, measure, legal_basis, decision_document, since, imposed, lifted_at, lift_reason)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, false, now(), $9)
     ON CONFLICT (entry_id, measure) DO UPDATE SET lifted_at = now(), lift_reason = $9 WHERE debarments.lifted_at IS NULL`,
    [entry.entityCode, entry.entityName, entry.id, entry.listType, measure, entry.legalBasis, entry.decisionDocument, entry.effectiveAt ?? new Date(), reason],
  );
}

export async function debarmentOfEntry(db: pg.Pool, entryId: string, measure: string): Promise<Debarment | undefined> {
  const { rows } = await db.query<Row>(`SELECT * FROM debarments WHERE entry_id = $1 AND measure = $2`, [entryId, measure]);
  return rows[0] ? toDebarment(rows[0]) : undefined;
}

export async function debarmentsInForce(db: pg.Pool, entityCode: string): Promise<Debarment[]> {
  const { rows } = await db.query<Row>(`SELECT * FROM debarments WHERE entity_code = $1 AND lifted_at IS NULL ORDER BY id`, [entityCode]);
  return rows.map(toDebarment);
}

/** Newest first, a page at a time: the table grows with every black-list entry. */
export async function listDebarments(db: pg.Pool, limit = 500): Promise<Debarment[]> {
  const { rows } = await db.query<Row>(`SELECT * FROM debarments ORDER BY id DESC LIMIT $1`, [limit]);
  return rows.map(toDebarment);
}
