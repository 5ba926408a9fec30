import type { EntityManager } from 'typeorm';
import type { CatalogItem, InformationCategory, ItemState } from '../domain/index.js';

interface ItemRow {
  code: string;
  name: string;
  owner_department: string;
  level: CatalogItem['level'];
  category: CatalogItem['category'];
  fields: CatalogItem['fields'];
  disclosure: CatalogItem['disclosure'];
  update_frequency: CatalogItem['updateFrequency'];
  legal_basis: string;
  state: ItemState;
  revision: number;
  confirmed_by: string | null;
  confirmed_at: Date | null;
  published_version: number | null;
  return_reason: string | null;
  created_at: Date;
  updated_at: Date;
}

const COLUMNS = `code, name, owner_department, level, category, fields, disclosure, update_frequency, legal_basis, state,
  revision, confirmed_by, confirmed_at, published_version, return_reason, created_at, updated_at`;

function toItem(r: ItemRow): CatalogItem {
  return {
    code: r.code,
    name: r.name,
    ownerDepartment: r.owner_department,
    level: r.level,
    category: r.category,
    fields: r.fields,
    disclosure: r.disclosure,
    updateFrequency: r.update_frequency,
    legalBasis: r.legal_basis,
    state: r.state,
    revision: r.revision,
    confirmedBy: r.confirmed_by,
    confirmedAt: r.confirmed_at,
    publishedVersion: r.published_version,
    returnReason: r.return_reason,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

const params = (i: CatalogItem): unknown[] => [
  i.code, i.name, i.ownerDepartment, i.level, i.category, JSON.stringify(i.fields), i.disclosure, i.updateFrequency,
  i.legalBasis, i.state, i.revision, i.confirmedBy, i.confirmedAt, i.publishedVersion, i.returnReason, i.createdAt, i.updatedAt,
];

/** Inserts the items whose code is free; returns the ones inserted (a taken code is the caller's to report). */
export async function insertItems(em: EntityManager, items: readonly CatalogItem[]): Promise<CatalogItem[]> {
  const inserted: CatalogItem[] = [];
  for (const item of items) {
    const rows = (await em.query(
      `INSERT INTO catalog_item (${COLUMNS}) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17)
       ON CONFLICT (code) DO NOTHING RETURNING ${COLUMNS}`,
      params(item),
    )) as ItemRow[];
    if (rows[0]) inserted.push(toItem(rows[0]));
  }
  return inserted;
}

export async function saveItem(em: EntityManager, item: CatalogItem): Promise<CatalogItem> {
  const [rows] = (await em.query(
    `UPDATE catalog_item SET name = $2, owner_department = $3, level = $4, category = $5, fields = $6, disclosure = $7,
       update_frequency = $8, legal_basis = $9, state = $10, revision = $11, confirmed_by = $12, confirmed_at = $13,
       published_version = $14, return_reason = $15, created_at = $16, updated_at = $17
     WHERE code = $1 RETURNING ${COLUMNS}`,
    params(item),
  )) as [ItemRow[], number];
  return toItem(rows[0]!);
}

export async function findItem(em: EntityManager, code: string, forUpdate = false): Promise<CatalogItem | undefined> {
  const rows = (await em.query(`SELECT ${COLUMNS} FROM catalog_item WHERE code = $1${forUpdate ? ' FOR UPDATE' : ''}`, [code])) as ItemRow[];
  return rows[0] ? toItem(rows[0]) : undefined;
}

export async function findItems(em: EntityManager, codes: readonly string[]): Promise<CatalogItem[]> {
  if (codes.length === 0) return [];
  const rows = (await em.query(`SELECT ${COLUMNS} FROM catalog_item WHERE code = ANY($1::text[])`, [codes])) as ItemRow[];
  return rows.map(toItem);
}

export interface ItemFilter {
  ownerDepartment?: string;
  state?: ItemState;
  category?: InformationCategory;
}

/** One page in code order after `after`; each filter combination is served by an index ending in code. */
export async function listItems(em: EntityManager, filter: ItemFilter, limit: number, after: string | undefined): Promise<CatalogItem[]> {
  const where: string[] = [];
  const values: unknown[] = [];
  const add = (sql: string, value: unknown) => {
    values.push(value);
    where.push(sql.replace('?', `$${values.length}`));
  };
  if (filter.ownerDepartment) add('owner_department = ?', filter.ownerDepartment);
  if (filter.state) add('state = ?', filter.state);
  if (filter.category) add('category = ?', filter.category);
  if (after !== undefined) add('code > ?', after);
  values.push(limit);
  const rows = (await em.query(
    `SELECT ${COLUMNS} FROM catalog_item ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY code LIMIT $${values.length}`,
    values,
  )) as ItemRow[];
  return rows.map(toItem);
}

/** The confirmed items, locked so that no edit slips between reading them and marking them published. */
export async function confirmedItemsForUpdate(em: EntityManager): Promise<CatalogItem[]> {
  const rows = (await em.query(`SELECT ${COLUMNS} FROM catalog_item WHERE state = 'confirmed' ORDER BY code FOR UPDATE`)) as ItemRow[];
  return rows.map(toItem);
}

export async function markPublished(em: EntityManager, codes: readonly string[], version: number): Promise<void> {
  if (codes.length === 0) return;
  await em.query(`UPDATE catalog_item SET published_version = $2 WHERE code = ANY($1::text[])`, [codes, version]);
}
