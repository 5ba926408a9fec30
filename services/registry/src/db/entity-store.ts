import type { EntityManager } from 'typeorm';
import { updateReturning } from '@credit/platform';
import { normalizedNameTokens, type ValidEntity } from '../domain/index.js';
import type { EntityChanges, EntityKey, StoredEntity } from '../app/model.js';

// Raw SQL on purpose: bulk paths insert thousands of rows per statement through unnest(), which an ORM would
// turn into one statement per row.

const COLUMNS = `id::text, uscc, registration_number, organization_code, name, kind, division_code,
  legal_representative, address, established_on::text AS established_on, reporting_department, version,
  registered_at, updated_at`;

// Name tokens travel as one string per row, split in SQL; U+001F cannot occur in a name (control characters are refused).
const TOKEN_SEPARATOR = '\u001f';

interface EntityRow {
  id: string;
  uscc: string | null;
  registration_number: string | null;
  organization_code: string | null;
  name: string;
  kind: StoredEntity['kind'];
  division_code: string;
  legal_representative: string | null;
  address: string | null;
  established_on: string | null;
  reporting_department: string;
  version: number;
  registered_at: Date;
  updated_at: Date;
}

function fromRow(r: EntityRow): StoredEntity {
  return {
    id: r.id,
    uscc: r.uscc,
    registrationNumber: r.registration_number,
    organizationCode: r.organization_code,
    name: r.name,
    kind: r.kind,
    divisionCode: r.division_code,
    legalRepresentative: r.legal_representative,
    address: r.address,
    establishedOn: r.established_on,
    reportingDepartment: r.reporting_department,
    version: r.version,
    registeredAt: r.registered_at,
    updatedAt: r.updated_at,
  };
}

export async function findEntity(em: EntityManager, key: EntityKey, forUpdate = false): Promise<StoredEntity | undefined> {
  const rows: EntityRow[] = await em.query(
    `SELECT ${COLUMNS} FROM entity WHERE ${key.by} = $1 ORDER BY id LIMIT 1${forUpdate ? ' FOR UPDATE' : ''}`,
    [key.value],
  );
  return rows[0] && fromRow(rows[0]);
}

/** Entities holding any of these codes, for duplicate checks of a batch in one round trip. */
export async function findByCodes(em: EntityManager, usccs: string[], registrationNumbers: string[]): Promise<StoredEntity[]> {
  if (usccs.length === 0 && registrationNumbers.length === 0) return [];
  const rows: EntityRow[] = await em.query(
    `SELECT ${COLUMNS} FROM entity WHERE uscc = ANY($1::text[]) OR registration_number = ANY($2::text[])`,
    [usccs, registrationNumbers],
  );
  return rows.map(fromRow);
}

/** Inserts what is new; rows whose code is already taken are skipped (the caller compares them). */
export async function insertEntities(em: EntityManager, unordered: ValidEntity[], department: string): Promise<StoredEntity[]> {
  type Inserted = Pick<EntityRow, 'id' | 'uscc' | 'registration_number' | 'registered_at'>;
  if (unordered.length === 0) return [];
  // One order for every batch, so two batches racing on the same codes wait for each other instead of deadlocking.
  const entities = [...unordered].sort((a, b) => sortKey(a).localeCompare(sortKey(b)));
  const rows: Inserted[] = await em.query(
    `INSERT INTO entity (uscc, registration_number, organization_code, name, name_tokens, kind, division_code,
        legal_representative, address, established_on, reporting_department)
     SELECT u.uscc, u.registration_number, u.organization_code, u.name, string_to_array(u.tokens, $11), u.kind,
        u.division_code, u.legal_representative, u.address, u.established_on, $12
     FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[],
                 $9::text[], $10::date[])
       AS u(uscc, registration_number, organization_code, name, tokens, kind, division_code, legal_representative,
            address, established_on)
     ON CONFLICT DO NOTHING
     RETURNING id::text, uscc, registration_number, registered_at`,
    [
      entities.map((e) => e.uscc),
      entities.map((e) => e.registrationNumber),
      entities.map((e) => e.organizationCode),
      entities.map((e) => e.name),
      entities.map((e) => normalizedNameTokens(e.name).join(TOKEN_SEPARATOR)),
      entities.map((e) => e.kind),
      entities.map((e) => e.divisionCode),
      entities.map((e) => e.legalRepresentative),
      entities.map((e) => e.address),
      entities.map((e) => e.establishedOn),
      TOKEN_SEPARATOR,
      department,
    ],
  );
  // Only what the database made is read back; the rest is what was sent (less to parse on the bulk path).
  const sent = new Map(entities.map((e) => [sortKey(e), e]));
  return rows.map((r): StoredEntity => {
    const e = sent.get(sortKey({ uscc: r.uscc, registrationNumber: r.registration_number }))!;
    // Field by field rather than `{ ...e, id, … }`, which Node 20 builds on a slow path (see validateEntity).
    return {
      id: r.id,
      uscc: e.uscc,
      registrationNumber: e.registrationNumber,
      organizationCode: e.organizationCode,
      name: e.name,
      kind: e.kind,
      divisionCode: e.divisionCode,
      legalRepresentative: e.legalRepresentative,
      address: e.address,
      establishedOn: e.establishedOn,
      reportingDepartment: department,
      version: 1,
      registeredAt: r.registered_at,
      updatedAt: r.registered_at,
    };
  });
}

export async function updateEntityDetails(em: EntityManager, id: string, changes: EntityChanges): Promise<StoredEntity> {
  const rows = await updateReturning<EntityRow>(
    em,
    `UPDATE entity SET name = $2, name_tokens = string_to_array($3, $4), legal_representative = $5, address = $6,
        version = version + 1, updated_at = now()
     WHERE id = $1 RETURNING ${COLUMNS}`,
    [id, changes.name, normalizedNameTokens(changes.name).join(TOKEN_SEPARATOR), TOKEN_SEPARATOR, changes.legalRepresentative, changes.address],
  );
  return fromRow(rows[0]!);
}

export async function assignUscc(
  em: EntityManager,
  id: string,
  code: { uscc: string; organizationCode: string; divisionCode: string },
): Promise<StoredEntity> {
  const rows = await updateReturning<EntityRow>(
    em,
    `UPDATE entity SET uscc = $2, organization_code = $3, division_code = $4, version = version + 1, updated_at = now()
     WHERE id = $1 RETURNING ${COLUMNS}`,
    [id, code.uscc, code.organizationCode, code.divisionCode],
  );
  return fromRow(rows[0]!);
}

export interface NameCursor {
  name: string;
  id: string;
}

/** Partial-name search: the GIN index of name tokens narrows, strpos confirms, (name, id) keyset pages. */
/** `query` is a normalised name and `tokens` its `normalizedNameTokens`. */
export async function searchByName(em: EntityManager, query: string, tokens: string[], limit: number, after?: NameCursor): Promise<StoredEntity[]> {
  const rows: EntityRow[] = await em.query(
    `SELECT ${COLUMNS} FROM entity
     WHERE name_tokens @> $1::text[] AND strpos(lower(name), lower($2)) > 0
       AND ($3::text IS NULL OR (name, id) > ($3::text, $4::bigint))
     ORDER BY name, id LIMIT $5`,
    [tokens, query, after?.name ?? null, after?.id ?? '0', limit],
  );
  return rows.map(fromRow);
}

const sortKey = (e: Pick<ValidEntity, 'uscc' | 'registrationNumber'>) => e.uscc ?? `~${e.registrationNumber}`;
