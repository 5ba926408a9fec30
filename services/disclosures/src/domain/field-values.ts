import type { DisclosureKind } from '@credit/standards';
import { parseAmount } from './amount-cell.js';
import { parseCompanyCode, parseOtherIdNumber, parseResidentId } from './code-cell.js';
import { parseDate } from './date-cell.js';
import { parseCategoryList, parseEnum } from './enum-cell.js';
import type { FieldSpec } from './record.js';
import { cleanText } from './text-cell.js';
import { violation, type CellResult, type FieldViolation } from './violation.js';

/** The fields a record of each kind cannot do without, whatever the catalog item says: identity, timeliness, subject. */
const CORE_FIELDS: Record<DisclosureKind, readonly string[]> = {
  licence: ['XK_XDR_MC', 'XK_XDR_LB', 'XK_WSH', 'XK_JDRQ', 'XK_XKJGDM'],
  penalty: ['CF_XDR_MC', 'CF_XDR_LB', 'CF_WSH', 'CF_JDRQ', 'CF_CFJGDM', 'CF_CFLB'],
};

export const RESIDENT_ID_TYPE = '身份证';

const COMPANY_CODE_TYPES: ReadonlySet<FieldSpec['type']> = new Set(['uscc', 'registration_number', 'organization_code']);

export interface FieldValues {
  /** Normalised value of every field that had one and passed its own checks. */
  values: Map<string, string>;
  /** 处罚类别 as a list, when the record has it. */
  categories: string[] | undefined;
  violations: FieldViolation[];
}

/**
 * Checks each cell on its own against its field spec: presence, unknown fields, text hygiene, length, and the
 * field's type. Rules across fields (counterparty, date order, fines) come after, on the values that passed.
 */
export function readFieldValues(kind: DisclosureKind, raw: Readonly<Record<string, string>>, schema: readonly FieldSpec[], today: Date): FieldValues {
  const { specs, ordered } = indexOf(schema);
  const violations: FieldViolation[] = [];
  const cells = new Map<string, string>();
  for (const [key, text] of Object.entries(raw)) {
    const code = key.trim().toUpperCase();
    if (!specs.has(code)) {
      violations.push(violation(key, 'UNKNOWN_FIELD', `字段“${key}”不在该目录项的数据项中`));
    } else if (cells.has(code)) {
      violations.push(violation(code, 'DUPLICATE_FIELD', `字段“${specs.get(code)?.name ?? code}”重复出现`));
    } else {
      cells.set(code, text);
    }
  }

  const values = new Map<string, string>();
  let categories: string[] | undefined;
  const core = CORE_FIELDS[kind];
  for (const spec of ordered) {
    // A code's own check reports a wrong length more usefully (and spots a resident ID in a company code field).
    const maxLength = COMPANY_CODE_TYPES.has(spec.type) ? Number.MAX_SAFE_INTEGER : spec.maxLength;
    const cleaned = cleanText(spec.name, cells.get(spec.code) ?? '', maxLength);
    if (!cleaned.ok) {
      violations.push(violation(spec.code, cleaned.reason, cleaned.message));
      continue;
    }
    if (cleaned.value === null) {
      if (spec.required || core.includes(spec.code)) violations.push(violation(spec.code, 'REQUIRED', `请填写“${spec.name}”`));
      continue;
    }
    const parsed = parseTyped(spec, cleaned.value, values, today);
    if (!parsed.ok) {
      violations.push(violation(spec.code, parsed.reason, parsed.message));
    } else if (Array.isArray(parsed.value)) {
      categories = parsed.value;
      values.set(spec.code, parsed.value.join(';'));
    } else {
      values.set(spec.code, parsed.value);
    }
  }
  for (const code of core) {
    if (!specs.has(code)) violations.push(violation(code, 'REQUIRED', `该目录项缺少必需的数据项“${code}”，请联系目录管理部门`));
  }
  return { values, categories, violations };
}

interface SchemaIndex {
  specs: ReadonlyMap<string, FieldSpec>;
  /** ID numbers last: how one is checked depends on the ID type field next to it. */
  ordered: readonly FieldSpec[];
}

// A catalog item's schema is one object shared by every row of a batch; index it once, not per row.
const schemaIndexes = new WeakMap<readonly FieldSpec[], SchemaIndex>();

function indexOf(schema: readonly FieldSpec[]): SchemaIndex {
  let index = schemaIndexes.get(schema);
  if (index === undefined) {
    const specs = new Map(schema.map((spec) => [spec.code, spec]));
    const ordered = [...specs.values()].sort((a, b) => Number(a.type === 'id_number') - Number(b.type === 'id_number'));
    index = { specs, ordered };
    schemaIndexes.set(schema, index);
  }
  return index;
}

function parseTyped(spec: FieldSpec, text: string, values: ReadonlyMap<string, string>, today: Date): CellResult<string | string[]> {
  switch (spec.type) {
    case 'text':
      return { ok: true, value: text };
    case 'date':
      return parseDate(spec.name, text);
    case 'decimal':
      return parseAmount(spec.name, text);
    case 'enum':
      if (spec.code === 'CF_CFLB') return parseCategoryList(spec.name, text, spec.enumValues ?? []);
      return parseEnum(spec.name, text, spec.enumValues ?? []);
    case 'uscc':
    case 'registration_number':
    case 'organization_code':
      return parseCompanyCode(spec.name, text, spec.type, spec.code.endsWith('_XDR_SHXYM'), today);
    case 'id_number': {
      const idType = values.get(spec.code.replace(/_ZJHM$/, '_ZJLX'));
      return idType === undefined || idType === RESIDENT_ID_TYPE ? parseIdNumberGuessingType(spec, text, idType, today) : parseOtherIdNumber(spec.name, text);
    }
  }
}

// Without a type, a number shaped like a resident ID is checked as one; anything else waits for the type rule.
function parseIdNumberGuessingType(spec: FieldSpec, text: string, idType: string | undefined, today: Date): CellResult<string> {
  if (idType === RESIDENT_ID_TYPE || /^\d{17}[\dXx]$/.test(text.normalize('NFKC').trim())) return parseResidentId(spec.name, text, today);
  return parseOtherIdNumber(spec.name, text);
}
