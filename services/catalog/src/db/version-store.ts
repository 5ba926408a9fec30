import type { EntityManager } from 'typeorm';
import type { CatalogVersion, PublishedItem } from '../domain/index.js';

interface VersionRow {
  version: number;
  label: string;
  published_at: Date;
  published_by: string;
  item_count: number;
}

interface VersionItemRow {
  code: string;
  revision: number;
  name: string;
  owner_department: string;
  level: PublishedItem['level'];
  category: PublishedItem['category'];
  fields: PublishedItem['fields'];
  disclosure: PublishedItem['disclosure'];
  update_frequency: PublishedItem['updateFrequency'];
  legal_basis: string;
  confirmed_by: string;
  confirmed_at: Date;
}

const toVersion = (r: VersionRow): CatalogVersion => ({
  version: r.version,
  label: r.label,
  publishedAt: r.published_at,
  publishedBy: r.published_by,
  itemCount: r.item_count,
});

const toPublished = (r: VersionItemRow): PublishedItem => ({
  code: r.code,
  name: r.name,
  ownerDepartment: r.owner_department,
  level: r.level,
  category: r.category,
  fields: r.fields,
  disclosure: r.disclosure,
  updateFrequency: r.update_frequency,
  legalBasis: r.legal_basis,
  revision: r.revision,
  confirmedBy: r.confirmed_by,
  confirmedAt: r.confirmed_at,
});

const VERSION_COLUMNS = 'version, label, published_at, published_by, item_count';

/** The given version, or the latest when `version` is undefined. */
export async function findVersion(em: EntityManager, version?: number): Promise<CatalogVersion | undefined> {
  const rows = (await (version === undefined
    ? em.query(`SELECT ${VERSION_COLUMNS} FROM catalog_version ORDER BY version DESC LIMIT 1`)
    : em.query(`SELECT ${VERSION_COLUMNS} FROM catalog_version WHERE version = $1`, [version]))) as VersionRow[];
  return rows[0] ? toVersion(rows[0]) : undefined;
}

export async function findVersionByLabel(em: EntityManager, label: string): Promise<CatalogVersion | undefined> {
  const rows = (await em.query(`SELECT ${VERSION_COLUMNS} FROM catalog_version WHERE label = $1`, [label])) as VersionRow[];
  return rows[0] ? toVersion(rows[0]) : undefined;
}

export async function versionItems(em: EntityManager, version: number): Promise<PublishedItem[]> {
  const rows = (await em.query(
    `SELECT code, revision, name, owner_department, level, category, fields, disclosure, update_frequency, legal_basis,
            confirmed_by, confirmed_at
       FROM catalog_version_item WHERE version = $1 ORDER BY code`,
    [version],
  )) as VersionItemRow[];
  return rows.map(toPublished);
}

export async function insertVersion(em: EntityManager, version: CatalogVersion, items: readonly PublishedItem[]): Promise<void> {
  await em.query(`INSERT INTO catalog_version (${VERSION_COLUMNS}) VALUES ($1, $2, $3, $4, $5)`, [
    version.version,
    version.label,
    version.publishedAt,
    version.publishedBy,
    version.itemCount,
  ]);
  // One statement for the whole snapshot: a catalog has hundreds of items, each a row.
  await em.query(
    `INSERT INTO catalog_version_item (version, code, revision, name, owner_department, level, category, fields, disclosure,
                                       update_frequency, legal_basis, confirmed_by, confirmed_at)
     SELECT $1, i.code, i.revision, i.name, i.owner_department, i.level, i.category, i.fields, i.disclosure,
            i.update_frequency, i.legal_basis, i.confirmed_by, i.confirmed_at
       FROM jsonb_to_recordset($2::jsonb) AS i(code text, revision int, name text, owner_department text, level text,
            category text, fields jsonb, disclosure text, update_frequency text, legal_basis text, confirmed_by text,
            confirmed_at timestamptz)`,
    [
      version.version,
      JSON.stringify(
        items.map((i) => ({
          code: i.code,
          revision: i.revision,
          name: i.name,
          owner_department: i.ownerDepartment,
          level: i.level,
          category: i.category,
          fields: i.fields,
          disclosure: i.disclosure,
          update_frequency: i.updateFrequency,
          legal_basis: i.legalBasis,
          confirmed_by: i.confirmedBy,
          confirmed_at: i.confirmedAt,
        })),
      ),
    ],
  );
}
