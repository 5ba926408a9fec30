import { normalizeCodeInput } from './normalize-input.js';
import { checkOrganizationCode } from './organization-code.js';
import { checkRegistrationNumber } from './registration-number.js';
import { checkResidentId } from './resident-id.js';
import { checkUscc } from './uscc.js';
import { invalid, type CodeVerdict } from './verdict.js';

// 17 digits then digit or X, with a plausible birth date at positions 7–14 (YYYYMMDD from 1800 to 2099).
const RESIDENT_ID_SHAPE = /^\d{6}(18|19|20)\d{2}(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])\d{3}[\dX]$/;

/**
 * Detects the scheme by shape and checks the code. An 18-character code can be a USCC or a resident ID (a USCC
 * may be all digits, e.g. 121200004013590816): when both readings are possible, the one that validates wins, and
 * when neither does the shape decides whose reasons are reported.
 */
export function checkAnyCode(code: string): CodeVerdict {
  const input = normalizeCodeInput(code);
  if (input.length === 18) {
    const uscc = checkUscc(input);
    if (!RESIDENT_ID_SHAPE.test(input)) return uscc;
    const residentId = checkResidentId(input);
    if (residentId.valid || !uscc.valid) return residentId;
    return uscc;
  }
  if (/^\d{15}$/.test(input)) return checkRegistrationNumber(input);
  if (input.length === 9 || (input.length === 10 && input.charAt(8) === '-')) return checkOrganizationCode(input);
  return invalid(
    undefined,
    'UNKNOWN_FORMAT',
    `无法识别的代码格式（${input.length}位）：统一社会信用代码和居民身份证号为18位，工商注册号为15位数字，组织机构代码为9位`,
  );
}
