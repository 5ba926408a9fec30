import type { FieldViolation } from '@credit/platform/errors';
import { checkRegistrationNumber, checkUscc, divisionOfUscc, normalizeCodeInput, organizationCodeOfUscc, USCC_PLACEHOLDER } from '@credit/standards';
import { violation } from './entity-fields.js';
import { KIND_LABELS, kindsAllowedForUscc, type EntityKind } from './entity-kind.js';

/** The codes that identify an entity and what they imply. */
export interface EntityIdentity {
  uscc: string | null;
  registrationNumber: string | null;
  organizationCode: string | null;
  divisionCode: string;
}

/**
 * Every entity needs a valid USCC, except an individual business not yet given one: it is identified by its
 * legacy registration number, reported with no USCC or with the placeholder. Returns undefined when the codes
 * do not identify the entity; the reasons are in `violations`.
 */
export function checkIdentity(
  rawUscc: string | undefined,
  rawRegistrationNumber: string | undefined,
  kind: EntityKind | undefined,
  violations: FieldViolation[],
): EntityIdentity | undefined {
  const registrationNumber = checkOptionalRegistrationNumber(rawRegistrationNumber, violations);
  const uscc = normalizeCodeInput(rawUscc ?? '');
  if (uscc !== '' && uscc !== USCC_PLACEHOLDER) {
    const verdict = checkUscc(uscc);
    if (!verdict.valid) {
      violations.push(violation('uscc', verdict.reason, verdict.message));
      return undefined;
    }
    const allowed = kindsAllowedForUscc(verdict.code);
    if (kind !== undefined && !allowed.includes(kind)) {
      const expected = allowed.map((k) => KIND_LABELS[k]).join('或');
      violations.push(
        violation('kind', 'KIND_MISMATCH', `统一社会信用代码“${verdict.code.slice(0, 2)}”开头表示${expected}，与所填主体类型“${KIND_LABELS[kind]}”不符`),
      );
    }
    const number = registrationNumber === undefined ? null : registrationNumber;
    return { uscc: verdict.code, registrationNumber: number, organizationCode: organizationCodeOfUscc(verdict.code), divisionCode: divisionOfUscc(verdict.code) };
  }
  if (kind !== undefined && kind !== 'individual_business') {
    violations.push(
      uscc === USCC_PLACEHOLDER
        ? violation('uscc', 'PLACEHOLDER', `占位代码“${USCC_PLACEHOLDER}”仅适用于尚未赋码的个体工商户，${KIND_LABELS[kind]}须填写统一社会信用代码`)
        : violation('uscc', 'REQUIRED', '请填写统一社会信用代码'),
    );
    return undefined;
  }
  if (registrationNumber === null) {
    // Without a kind we cannot tell which code is missing; a USCC is what almost every entity needs.
    violations.push(
      kind === 'individual_business'
        ? violation('registration_number', 'REQUIRED', '个体工商户未填写统一社会信用代码时，须填写15位工商注册号')
        : violation('uscc', 'REQUIRED', '请填写统一社会信用代码'),
    );
    return undefined;
  }
  if (registrationNumber === undefined) return undefined;
  // The registration number starts with the 6-digit code of the registering authority, which is its division.
  return { uscc: null, registrationNumber, organizationCode: null, divisionCode: registrationNumber.slice(0, 6) };
}

/** The normalised number, null when none was given, undefined when it was given but is invalid. */
function checkOptionalRegistrationNumber(raw: string | undefined, violations: FieldViolation[]): string | null | undefined {
  const number = normalizeCodeInput(raw ?? '');
  if (number === '') return null;
  const verdict = checkRegistrationNumber(number);
  if (!verdict.valid) {
    violations.push(violation('registration_number', verdict.reason, verdict.message));
    return undefined;
  }
  return verdict.code;
}
