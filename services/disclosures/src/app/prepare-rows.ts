import type { PublishedItem } from '@credit/catalog-client';
import type { DisclosureKind } from '@credit/standards';
import { validateRecord, type FieldViolation } from '../domain/index.js';
import { chinaDay } from './china-day.js';
import type { RecordDraft } from './model.js';
import { recordDraft } from './record-draft.js';

export interface RawRow {
  line: number;
  fields: Record<string, string>;
  /** Problems found before validation (e.g. a row with more values than columns): the row is rejected with them. */
  violations?: FieldViolation[];
}

/** One batch to prepare: everything validation and the derived values need, and nothing else (it may cross threads). */
export interface PrepareJob {
  item: Pick<PublishedItem, 'code' | 'name' | 'disclosure' | 'fields'>;
  kind: DisclosureKind;
  catalogVersion: number;
  department: string;
  now: Date;
  rows: RawRow[];
}

export type Prepared = { ok: true; draft: RecordDraft } | { ok: false; violations: FieldViolation[]; divisionCode: string; day: string };

/** Validates each row against the item's schema and derives what the platform stores with a valid one. */
export function prepareRows(job: PrepareJob): Prepared[] {
  const today = chinaDay(job.now);
  return job.rows.map((row) => {
    if (row.violations?.length) return { ok: false, violations: row.violations, divisionCode: divisionOfRaw(job.kind, row.fields), day: today };
    const checked = validateRecord({ kind: job.kind, fields: row.fields }, job.item.fields, today);
    if (!checked.ok) return { ok: false, violations: checked.violations, divisionCode: divisionOfRaw(job.kind, row.fields), day: today };
    return { ok: true, draft: recordDraft(checked.record, job.item, job.catalogVersion, job.department, job.now, today) };
  });
}

// A rejected row is still counted where it came from: the deciding authority's division when its code is readable.
function divisionOfRaw(kind: DisclosureKind, fields: Record<string, string>): string {
  const code = (fields[kind === 'licence' ? 'XK_XKJGDM' : 'CF_CFJGDM'] ?? '').trim();
  const division = code.slice(2, 8);
  return /^\d{6}$/.test(division) ? division : '540000';
}
