/** 法人 / 非法人组织 / 个体工商户, the counterparty categories of the national data standard. */
export type EntityKind = 'legal_person' | 'other_organization' | 'individual_business';

export const ENTITY_KINDS: readonly EntityKind[] = ['legal_person', 'other_organization', 'individual_business'];

export const KIND_LABELS: Readonly<Record<EntityKind, string>> = {
  legal_person: '法人',
  other_organization: '非法人组织',
  individual_business: '个体工商户',
};

export function isEntityKind(value: unknown): value is EntityKind {
  return typeof value === 'string' && (ENTITY_KINDS as readonly string[]).includes(value);
}

// Kinds consistent with USCC positions 1–2. 91 covers companies (法人) but also branches, partnerships and sole
// proprietorships, which are 非法人组织. Types we are unsure of accept either organisation kind.
const KINDS_BY_USCC_TYPE: Readonly<Record<string, readonly EntityKind[]>> = {
  '91': ['legal_person', 'other_organization'],
  '92': ['individual_business'],
  '93': ['legal_person'], // 农民专业合作社 are 特别法人
};

// Only 92 codes are issued to individual businesses, so every other type rules that kind out.
const ANY_ORGANIZATION: readonly EntityKind[] = ['legal_person', 'other_organization'];

export function kindsAllowedForUscc(uscc: string): readonly EntityKind[] {
  return KINDS_BY_USCC_TYPE[uscc.slice(0, 2)] ?? ANY_ORGANIZATION;
}
