import { knownProvince } from './divisions.js';
import { firstBadCharacter, normalizeCodeInput } from './normalize-input.js';
import { invalid, valid, type CodeVerdict } from './verdict.js';

/** ISO 7064 MOD 11,10 check digit for the first 14 digits of a legacy registration number (工商注册号). */
export function registrationNumberCheckDigit(first14: string): string {
  if (!/^\d{14}$/.test(first14)) throw new RangeError('expected 14 digits');
  let p = 10;
  for (const ch of first14) {
    let s = (p + Number(ch)) % 10;
    if (s === 0) s = 10;
    p = (2 * s) % 11;
  }
  return String((11 - p) % 10);
}

/** 15 digits: 6-digit registration authority code, 8-digit sequence, check digit. */
export function checkRegistrationNumber(code: string): CodeVerdict {
  const number = normalizeCodeInput(code);
  if (number.length !== 15) {
    return invalid('registration_number', 'WRONG_LENGTH', `工商注册号应为15位数字，实际为${number.length}位`);
  }
  const bad = firstBadCharacter(number, (ch) => ch >= '0' && ch <= '9');
  if (bad !== undefined) {
    return invalid('registration_number', 'BAD_CHARACTER', `工商注册号第${bad.position}位字符“${bad.character}”不是数字`);
  }
  const authority = number.slice(0, 6);
  if (!knownProvince(authority)) {
    return invalid('registration_number', 'UNKNOWN_DIVISION', `工商注册号前6位登记机关代码“${authority}”不是有效的行政区划代码`);
  }
  const expected = registrationNumberCheckDigit(number.slice(0, 14));
  if (number.charAt(14) !== expected) {
    return invalid('registration_number', 'BAD_CHECK_DIGIT', `工商注册号校验码错误：第15位应为“${expected}”，实际为“${number.charAt(14)}”`);
  }
  return valid('registration_number', number);
}
