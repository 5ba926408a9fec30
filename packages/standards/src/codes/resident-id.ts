import { calendarDay, isRealDate } from '../calendar-day.js';
import { knownProvince } from './divisions.js';
import { firstBadCharacter, normalizeCodeInput } from './normalize-input.js';
import { invalid, valid, type CodeVerdict } from './verdict.js';

// GB 11643 MOD 11-2: weight of position i is 2^(18-i) mod 11, all non-zero mod 11.
const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const;
const CHECK_CHARACTERS = '10X98765432';

/** The check character (0–9 or X) for the first 17 digits of a resident identity number. */
export function residentIdCheckCharacter(first17: string): string {
  if (!/^\d{17}$/.test(first17)) throw new RangeError('expected 17 digits');
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17.charAt(i)) * (WEIGHTS[i] ?? 0);
  return CHECK_CHARACTERS.charAt(sum % 11);
}

/** Checks an 18-digit resident identity number (居民身份证号). `today` bounds the birth date; defaults to now. */
export function checkResidentId(code: string, today: Date = new Date()): CodeVerdict {
  const id = normalizeCodeInput(code);
  if (id.length !== 18) {
    return invalid('resident_id', 'WRONG_LENGTH', `居民身份证号应为18位，实际为${id.length}位`);
  }
  const bad = firstBadCharacter(id, (ch, i) => (ch >= '0' && ch <= '9') || (i === 17 && ch === 'X'));
  if (bad !== undefined) {
    return invalid('resident_id', 'BAD_CHARACTER', `居民身份证号第${bad.position}位字符“${bad.character}”不允许（前17位为数字，第18位为数字或X）`);
  }
  const division = id.slice(0, 6);
  if (!knownProvince(division)) {
    return invalid('resident_id', 'UNKNOWN_DIVISION', `居民身份证号前6位行政区划代码“${division}”不是有效的行政区划代码`);
  }
  const year = Number(id.slice(6, 10));
  const month = Number(id.slice(10, 12));
  const day = Number(id.slice(12, 14));
  if (!isRealDate(year, month, day)) {
    return invalid('resident_id', 'BAD_BIRTH_DATE', `居民身份证号第7至14位出生日期“${id.slice(6, 14)}”不是真实的日期`);
  }
  const birthDay = `${id.slice(6, 10)}-${id.slice(10, 12)}-${id.slice(12, 14)}`;
  if (birthDay > calendarDay(today)) {
    return invalid('resident_id', 'FUTURE_BIRTH_DATE', `居民身份证号中的出生日期${birthDay}晚于今天`);
  }
  const expected = residentIdCheckCharacter(id.slice(0, 17));
  if (id.charAt(17) !== expected) {
    return invalid('resident_id', 'BAD_CHECK_DIGIT', `居民身份证号校验码错误：第18位应为“${expected}”，实际为“${id.charAt(17)}”`);
  }
  return valid('resident_id', id);
}
