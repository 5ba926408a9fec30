import { fieldForHeader, type DisclosureKind } from '@credit/standards';

export interface Violation {
  field: string;
  message: string;
}

/**
 * The 错误原因 text of one violation as `字段名: 说明`, named by the field's Chinese header even when the file's
 * headers are field codes, because officers read the report. A message that already quotes the field's name
 * (“统一社会信用代码”有误…) is not prefixed again; a violation of no field (the row, the chunk) is its message.
 */
export function rejectionReason(kind: DisclosureKind, violation: Violation): string {
  const name = fieldForHeader(kind, violation.field)?.name;
  if (name === undefined) return /^[A-Z]{2}_[A-Z0-9_]+$/.test(violation.field) ? `${violation.field}: ${violation.message}` : violation.message;
  return violation.message.includes(`“${name}”`) ? violation.message : `${name}: ${violation.message}`;
}
