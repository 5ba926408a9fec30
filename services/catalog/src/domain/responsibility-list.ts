import type { FieldViolation } from '@credit/platform/errors';
import type { AdministrativeLevel, ItemInput } from './item.js';
import { licenceSchema, minimalSchema, penaltySchema } from './standard-schemas.js';

// 权责清单: a department's list of powers and responsibilities. Each row becomes a draft catalog item; licences and
// penalties get the national double publicity schemas, other powers a minimal one the department refines later.

export const LIST_HEADERS = ['事项编码', '事项名称', '事项类型', '实施依据', '实施层级'] as const;

export const POWER_TYPES = ['行政许可', '行政处罚', '行政强制', '行政征收', '行政给付', '行政检查', '行政确认', '行政奖励', '其他'] as const;

const LEVEL_NAMES: Record<string, AdministrativeLevel> = {
  自治区: 'region',
  区级: 'region',
  '市(地)': 'prefecture',
  市: 'prefecture',
  地市: 'prefecture',
  '县(区)': 'county',
  县: 'county',
  区县: 'county',
};

export type ListRow = Record<(typeof LIST_HEADERS)[number], string>;

export type RowItem = { ok: true; item: ItemInput } | { ok: false; violations: FieldViolation[] };

export function missingHeaders(headers: readonly string[]): string[] {
  const present = new Set(headers.map((h) => h.trim()));
  return LIST_HEADERS.filter((h) => !present.has(h));
}

// Officers type full-width or half-width brackets and stray spaces; 市（地） and 市(地) mean the same.
const normalizeLevel = (s: string) => s.replace(/\s+/g, '').replace(/（/g, '(').replace(/）/g, ')');

/** A row's draft item, or what is wrong with the row (column names as the officer sees them). */
export function itemFromRow(row: ListRow): RowItem {
  const violations: FieldViolation[] = [];
  const type = row.事项类型.trim();
  if (!(POWER_TYPES as readonly string[]).includes(type)) {
    violations.push({ field: '事项类型', reason: 'UNKNOWN_POWER_TYPE', message: `事项类型“${type}”无效，应为${POWER_TYPES.join('、')}之一` });
  }
  const levelText = normalizeLevel(row.实施层级);
  const level = LEVEL_NAMES[levelText];
  if (!level) {
    violations.push({ field: '实施层级', reason: levelText === '' ? 'REQUIRED' : 'UNKNOWN_LEVEL', message: '实施层级应为自治区、市（地）或县（区）' });
  }
  if (violations.length > 0) return { ok: false, violations };
  const category = type === '行政许可' ? 'licence' : type === '行政处罚' ? 'penalty' : 'other';
  return {
    ok: true,
    item: {
      code: row.事项编码,
      name: row.事项名称,
      level,
      category,
      fields: category === 'licence' ? licenceSchema() : category === 'penalty' ? penaltySchema() : minimalSchema(),
      // Double publicity items are public by law (国办发〔2015〕51号); what other powers yield is shared on conditions
      // until the department says otherwise.
      disclosure: category === 'other' ? 'conditional' : 'public',
      updateFrequency: 'on_change',
      legalBasis: row.实施依据,
    },
  };
}

/** Item validation speaks of item fields; a row's officer knows the columns. */
export const COLUMN_OF_FIELD: Record<string, string> = { code: '事项编码', name: '事项名称', legal_basis: '实施依据' };
