import type { FieldViolation } from '@credit/platform/errors';
import { checkPastDate, checkText, violation } from './entity-fields.js';
import { checkIdentity } from './entity-identity.js';
import { isEntityKind, type EntityKind } from './entity-kind.js';
import { normalizeName } from './entity-name.js';

export type { EntityKind } from './entity-kind.js';
export { normalizeName, nameSearchTokens, normalizedNameTokens } from './entity-name.js';

/** A registration request for a credit subject (信用主体) as it arrives from the edge. */
export interface EntityInput {
  uscc?: string;
  name: string;
  kind: EntityKind | undefined;
  registrationNumber?: string;
  legalRepresentative?: string;
  address?: string;
  establishedOn?: string; // YYYY-MM-DD
}

/** A subject that passed every rule, with normalised values and the codes derived from its USCC. */
export interface ValidEntity {
  uscc: string | null;
  name: string;
  kind: EntityKind;
  registrationNumber: string | null;
  organizationCode: string | null;
  divisionCode: string;
  legalRepresentative: string | null;
  address: string | null;
  establishedOn: string | null;
}

/** Maximum lengths in characters (code points), matching the database columns. */
export const LIMITS = { name: 200, legalRepresentative: 100, address: 300 } as const;

function normalizeText(text: string): string {
  return text.normalize('NFKC').replace(/\s+/gu, ' ').trim();
}

/** Checks every field and reports all violations at once, so a data officer can fix a record in one pass. */
export function validateEntity(
  input: EntityInput,
  today: Date = new Date(),
): { ok: true; entity: ValidEntity } | { ok: false; violations: FieldViolation[] } {
  const violations: FieldViolation[] = [];
  const name = checkText('name', '名称', input.name, LIMITS.name, normalizeName, violations);
  if (name === null) violations.push(violation('name', 'REQUIRED', '请填写主体名称'));
  let kind: EntityKind | undefined;
  if (input.kind === undefined) violations.push(violation('kind', 'REQUIRED', '请选择主体类型（法人、非法人组织或个体工商户）'));
  else if (!isEntityKind(input.kind)) violations.push(violation('kind', 'UNKNOWN_KIND', `主体类型“${String(input.kind)}”不存在`));
  else kind = input.kind;
  const identity = checkIdentity(input.uscc, input.registrationNumber, kind, violations);
  const legalRepresentative = checkText(
    'legal_representative',
    '法定代表人',
    input.legalRepresentative,
    LIMITS.legalRepresentative,
    normalizeText,
    violations,
  );
  const address = checkText('address', '住所', input.address, LIMITS.address, normalizeText, violations);
  const establishedOn = checkPastDate('established_on', '成立日期', input.establishedOn, today, violations);
  if (violations.length > 0 || name === null || kind === undefined || identity === undefined) return { ok: false, violations };
  // Field by field: on Node 20, `{ ...identity, name, … }` costs several µs an object (V8 adds each property after the
  // copy on a slow path), which was 6 % of the registry's thread during a bulk import.
  const { uscc, registrationNumber, organizationCode, divisionCode } = identity;
  return { ok: true, entity: { uscc, registrationNumber, organizationCode, divisionCode, name, kind, legalRepresentative, address, establishedOn } };
}

/** True when two validated entities carry the same details, so a repeated registration is a no-op, not a conflict. */
export function sameDetails(a: ValidEntity, b: ValidEntity): boolean {
  return (
    a.uscc === b.uscc &&
    a.name === b.name &&
    a.kind === b.kind &&
    a.registrationNumber === b.registrationNumber &&
    a.organizationCode === b.organizationCode &&
    a.divisionCode === b.divisionCode &&
    a.legalRepresentative === b.legalRepresentative &&
    a.address === b.address &&
    a.establishedOn === b.establishedOn
  );
}
