import { firstBadCharacter, normalizeCodeInput } from './normalize-input.js';
import { invalid, valid, type CodeVerdict } from './verdict.js';

// GB 11714: body characters are valued 0–35 (digits, then A–Z); the check is MOD 11 with these weights.
const BODY_ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2] as const;

/** The check character (0–9 or X) for an 8-character organisation code body. */
export function organizationCodeCheckCharacter(first8: string): string {
  if (first8.length !== 8) throw new RangeError(`expected 8 characters, got ${first8.length}`);
  let sum = 0;
  for (let i = 0; i < 8; i++) {
    const value = BODY_ALPHABET.indexOf(first8.charAt(i));
    if (value < 0) throw new RangeError(`character ${first8.charAt(i)} at position ${i + 1} is not 0-9 or A-Z`);
    sum += value * (WEIGHTS[i] ?? 0);
  }
  const check = 11 - (sum % 11);
  return check === 10 ? 'X' : check === 11 ? '0' : String(check);
}

/** Accepts `XXXXXXXX-X` (as printed on certificates) or the 9 characters without the dash. */
export function checkOrganizationCode(code: string): CodeVerdict {
  const input = normalizeCodeInput(code);
  const undashed = input.length === 10 && input.charAt(8) === '-' ? input.slice(0, 8) + input.slice(9) : input;
  if (undashed.length !== 9) {
    return invalid('organization_code', 'WRONG_LENGTH', `组织机构代码应为9位（可写作“XXXXXXXX-X”），实际为${input.length}位`);
  }
  const bad = firstBadCharacter(undashed, (ch, i) => (i < 8 ? BODY_ALPHABET.includes(ch) : /^[0-9X]$/.test(ch)));
  if (bad !== undefined) {
    return invalid(
      'organization_code',
      'BAD_CHARACTER',
      `组织机构代码第${bad.position}位字符“${bad.character}”不允许（本体代码为数字或大写字母，校验码为数字或X）`,
    );
  }
  const expected = organizationCodeCheckCharacter(undashed.slice(0, 8));
  if (undashed.charAt(8) !== expected) {
    return invalid('organization_code', 'BAD_CHECK_DIGIT', `组织机构代码校验码错误：第9位应为“${expected}”，实际为“${undashed.charAt(8)}”`);
  }
  return valid('organization_code', undashed);
}
