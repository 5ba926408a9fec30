import type { FieldViolation } from '@credit/platform/errors';
import { calendarDay, isRealDate } from '@credit/standards';

export function violation(field: string, reason: string, message: string): FieldViolation {
  return { field, reason, message };
}

function hasControlCharacter(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit <= 0x1f || unit === 0x7f) return true;
  }
  return false;
}

/**
 * Checks one free-text field and returns its normalised value. Text that looks like SQL or HTML is stored as text
 * (it is bound and escaped downstream), but control characters corrupt exports and are refused.
 */
export function checkText(
  field: string,
  label: string,
  raw: string | undefined,
  limit: number,
  normalize: (text: string) => string,
  violations: FieldViolation[],
): string | null {
  if (raw === undefined) return null;
  if (hasControlCharacter(raw)) {
    violations.push(violation(field, 'CONTROL_CHARACTER', `${label}含有控制字符（如换行、制表符），请删除后重新提交`));
  }
  const text = normalize(raw);
  const length = [...text].length; // characters, not UTF-16 units: CJK extension characters count once
  if (length > limit) {
    violations.push(violation(field, 'FIELD_TOO_LONG', `${label}不能超过${limit}个字符，实际为${length}个字符`));
  }
  return text === '' ? null : text;
}

/** `YYYY-MM-DD`, a real calendar day, not after today. */
export function checkPastDate(field: string, label: string, raw: string | undefined, today: Date, violations: FieldViolation[]): string | null {
  const text = raw?.trim() ?? '';
  if (text === '') return null;
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (match === null || !isRealDate(Number(match[1]), Number(match[2]), Number(match[3]))) {
    violations.push(violation(field, 'INVALID_DATE', `${label}“${text}”不是有效日期，应为YYYY-MM-DD格式的真实日期`));
    return null;
  }
  if (text > calendarDay(today)) {
    violations.push(violation(field, 'FUTURE_DATE', `${label}${text}晚于今天`));
    return null;
  }
  return text;
}
