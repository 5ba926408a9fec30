import type { FieldViolation } from '@credit/platform/errors';
import { fieldSchemaViolations, normalizeField, type FieldSpec } from './field-spec.js';

/** 实施层级: 自治区 / 市（地） / 县（区）. */
export const LEVELS = ['region', 'prefecture', 'county'] as const;
export type AdministrativeLevel = (typeof LEVELS)[number];

/** 信息类别 */
export const CATEGORIES = ['basic', 'licence', 'penalty', 'red_list', 'black_list', 'commitment', 'rating', 'judicial', 'other'] as const;
export type InformationCategory = (typeof CATEGORIES)[number];

/** 公开属性: 公开 / 有条件共享 / 不予共享. */
export const DISCLOSURES = ['public', 'conditional', 'not_shared'] as const;
export type Disclosure = (typeof DISCLOSURES)[number];

/** 更新频率 */
export const FREQUENCIES = ['on_change', 'daily', 'weekly', 'monthly', 'quarterly', 'yearly'] as const;
export type UpdateFrequency = (typeof FREQUENCIES)[number];

/** What a department states about an item. */
export interface ItemDetails {
  /** 事项编码, unique in the catalog. */
  code: string;
  name: string;
  level: AdministrativeLevel;
  category: InformationCategory;
  fields: FieldSpec[];
  disclosure: Disclosure;
  updateFrequency: UpdateFrequency;
  /** 实施依据 */
  legalBasis: string;
}

/** Input as it arrives: enumerations may be missing (a protobuf `_UNSPECIFIED`). */
export type ItemInput = Omit<ItemDetails, 'level' | 'category' | 'disclosure' | 'updateFrequency'> & {
  level: AdministrativeLevel | undefined;
  category: InformationCategory | undefined;
  disclosure: Disclosure | undefined;
  updateFrequency: UpdateFrequency | undefined;
};

export type ItemState = 'draft' | 'submitted' | 'confirmed';

export const STATE_NAMES: Record<ItemState, string> = { draft: '草稿', submitted: '已报送', confirmed: '已盖章确认' };

/** The current revision of an item as the catalog holds it. */
export interface CatalogItem extends ItemDetails {
  ownerDepartment: string;
  state: ItemState;
  /** Starts at 1; a confirmed item edited again becomes the next revision. */
  revision: number;
  /** 盖章确认: the officer who confirmed this revision, and when. */
  confirmedBy: string | null;
  confirmedAt: Date | null;
  /** The latest published version that holds this revision. */
  publishedVersion: number | null;
  returnReason: string | null;
  createdAt: Date;
  updatedAt: Date;
}

const ITEM_CODE = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;
const NAME_MAX = 200;
const LEGAL_BASIS_MAX = 2000;

export type CheckedItem = { ok: true; item: ItemDetails } | { ok: false; violations: FieldViolation[] };

/** Checks an item's details and names every bad field; trims text so that stored items compare cleanly. */
export function validateItem(input: ItemInput): CheckedItem {
  const violations: FieldViolation[] = [];
  const code = input.code.trim();
  const name = input.name.trim();
  const legalBasis = input.legalBasis.trim();
  if (!ITEM_CODE.test(code)) {
    violations.push({
      field: 'code',
      reason: code === '' ? 'REQUIRED' : 'BAD_FORMAT',
      message: '事项编码须为1至64位字母、数字、下划线、点或连字符',
    });
  }
  if (name === '') violations.push({ field: 'name', reason: 'REQUIRED', message: '事项名称必填' });
  else if ([...name].length > NAME_MAX) violations.push({ field: 'name', reason: 'FIELD_TOO_LONG', message: `事项名称不超过${NAME_MAX}个字` });
  if (legalBasis === '') violations.push({ field: 'legal_basis', reason: 'REQUIRED', message: '实施依据必填' });
  else if ([...legalBasis].length > LEGAL_BASIS_MAX) {
    violations.push({ field: 'legal_basis', reason: 'FIELD_TOO_LONG', message: `实施依据不超过${LEGAL_BASIS_MAX}个字` });
  }
  const missing = (field: string, what: string) => violations.push({ field, reason: 'REQUIRED', message: `请选择${what}` });
  if (!input.level || !LEVELS.includes(input.level)) missing('level', '实施层级（自治区、市（地）、县（区））');
  if (!input.category || !CATEGORIES.includes(input.category)) missing('category', '信息类别');
  if (!input.disclosure || !DISCLOSURES.includes(input.disclosure)) missing('disclosure', '公开属性（公开、有条件共享、不予共享）');
  if (!input.updateFrequency || !FREQUENCIES.includes(input.updateFrequency)) missing('update_frequency', '更新频率');
  violations.push(...fieldSchemaViolations(input.fields));
  if (violations.length > 0) return { ok: false, violations };
  return {
    ok: true,
    item: {
      code,
      name,
      level: input.level!,
      category: input.category!,
      fields: input.fields.map(normalizeField),
      disclosure: input.disclosure!,
      updateFrequency: input.updateFrequency!,
      legalBasis,
    },
  };
}

/** Whether two statements of an item say the same (an edit that changes nothing is not a new revision). */
export function sameDetails(a: ItemDetails, b: ItemDetails): boolean {
  return (
    a.code === b.code &&
    a.name === b.name &&
    a.level === b.level &&
    a.category === b.category &&
    a.disclosure === b.disclosure &&
    a.updateFrequency === b.updateFrequency &&
    a.legalBasis === b.legalBasis &&
    JSON.stringify(a.fields.map(normalizeField)) === JSON.stringify(b.fields.map(normalizeField))
  );
}
