import { AUTHORITIES, entityTypeAllowed } from './uscc-authorities.js';
import { knownDivision } from './divisions.js';
import { KNOWN_EXCEPTIONS } from './known-exceptions.js';
import { firstBadCharacter, normalizeCodeInput } from './normalize-input.js';
import { organizationCodeCheckCharacter } from './organization-code.js';
import { invalid, valid, type CodeVerdict } from './verdict.js';

// GB 32100: 31 characters valued 0–30 in this order (I, O, Z, S, V are left out to avoid misreading).
const ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
// Weight of position i is 3^(i-1) mod 31; all are non-zero mod the prime 31, which is why any single substitution is caught.
const WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28] as const;

/** Reported for individual businesses (个体工商户) that have no code yet, together with their registration number. */
export const USCC_PLACEHOLDER = '00000000000000000X';

/** The check character (position 18) for the first 17 characters of a USCC. */
export function usccCheckCharacter(first17: string): string {
  if (first17.length !== 17) throw new RangeError(`expected 17 characters, got ${first17.length}`);
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    const value = ALPHABET.indexOf(first17.charAt(i));
    if (value < 0) throw new RangeError(`character ${first17.charAt(i)} at position ${i + 1} is not in the USCC alphabet`);
    sum += value * (WEIGHTS[i] ?? 0);
  }
  return ALPHABET.charAt((31 - (sum % 31)) % 31);
}

/**
 * A USCC from its parts, with both check characters computed: registration authority and entity type (e.g. `91`),
 * division (6 digits) and the 8-character body of the embedded organisation code.
 */
export function composeUscc(authorityAndType: string, division: string, organizationBody: string): string {
  const first17 = `${authorityAndType}${division}${organizationBody}${organizationCodeCheckCharacter(organizationBody)}`;
  return first17 + usccCheckCharacter(first17);
}

/** Administrative division code, positions 3–8. */
export function divisionOfUscc(uscc: string): string {
  return uscc.slice(2, 8);
}

/** Embedded GB 11714 organisation code, positions 9–17. */
export function organizationCodeOfUscc(uscc: string): string {
  return uscc.slice(8, 17);
}

/**
 * Checks a unified social credit code (统一社会信用代码). `allowlist` replaces KNOWN_EXCEPTIONS, e.g. with a
 * configured list, or with an empty set to apply the algorithm strictly.
 */
export function checkUscc(code: string, opts?: { allowlist?: ReadonlySet<string> }): CodeVerdict {
  const uscc = normalizeCodeInput(code);
  if (uscc === USCC_PLACEHOLDER) {
    return invalid('uscc', 'PLACEHOLDER', `“${USCC_PLACEHOLDER}”是尚未赋码个体工商户的占位代码，不是有效的统一社会信用代码`);
  }
  if ((opts?.allowlist ?? KNOWN_EXCEPTIONS).has(uscc)) {
    return valid('uscc', uscc, '该代码未通过校验位检查，但已列入合法例外代码名单');
  }
  if (uscc.length !== 18) {
    return invalid('uscc', 'WRONG_LENGTH', `统一社会信用代码应为18位，实际为${uscc.length}位`);
  }
  const bad = firstBadCharacter(uscc, (ch) => ALPHABET.includes(ch));
  if (bad !== undefined) {
    return invalid(
      'uscc',
      'BAD_CHARACTER',
      `统一社会信用代码第${bad.position}位字符“${bad.character}”不允许（只能是数字或除 I、O、Z、S、V 以外的大写字母）`,
    );
  }
  const authorityCode = uscc.charAt(0);
  const authority = AUTHORITIES[authorityCode];
  if (authority === undefined) {
    return invalid('uscc', 'UNKNOWN_AUTHORITY', `统一社会信用代码第1位登记管理部门代码“${authorityCode}”不存在`);
  }
  const entityType = uscc.charAt(1);
  if (!entityTypeAllowed(authority, entityType)) {
    return invalid(
      'uscc',
      'UNKNOWN_ENTITY_TYPE',
      `统一社会信用代码第2位机构类别代码“${entityType}”不属于登记管理部门“${authority.name}”`,
    );
  }
  const division = divisionOfUscc(uscc);
  if (!knownDivision(division)) {
    return invalid('uscc', 'UNKNOWN_DIVISION', `统一社会信用代码第3至8位行政区划代码“${division}”不是有效的行政区划代码`);
  }
  const organizationCode = organizationCodeOfUscc(uscc);
  const expectedOrganizationCheck = organizationCodeCheckCharacter(organizationCode.slice(0, 8));
  if (organizationCode.charAt(8) !== expectedOrganizationCheck) {
    return invalid(
      'uscc',
      'BAD_ORGANIZATION_CODE',
      `统一社会信用代码第9至17位组织机构代码“${organizationCode}”校验码错误：第17位应为“${expectedOrganizationCheck}”`,
    );
  }
  const expected = usccCheckCharacter(uscc.slice(0, 17));
  if (uscc.charAt(17) !== expected) {
    return invalid('uscc', 'BAD_CHECK_DIGIT', `统一社会信用代码校验码错误：第18位应为“${expected}”，实际为“${uscc.charAt(17)}”`);
  }
  return valid('uscc', uscc);
}
