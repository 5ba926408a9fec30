import type { FieldViolation } from '@credit/platform/errors';
import { FIELD_TYPES, type StandardField } from '@credit/standards';

export { FIELD_TYPES, type FieldType } from '@credit/standards';

/** One field of the records a catalog item describes: the shape of the national tables (@credit/standards). */
export type FieldSpec = StandardField;

export const MAX_FIELDS = 300;
export const MAX_FIELD_LENGTH = 100_000;
const FIELD_CODE = /^[A-Za-z][A-Za-z0-9_]{0,63}$/;
const FIELD_NAME_MAX = 100;

/** Every problem of a field schema at once, each naming the field's position (`fields[2].code`). */
export function fieldSchemaViolations(fields: readonly FieldSpec[]): FieldViolation[] {
  const violations: FieldViolation[] = [];
  if (fields.length === 0) violations.push({ field: 'fields', reason: 'REQUIRED', message: '字段结构至少须包含一个字段' });
  if (fields.length > MAX_FIELDS) violations.push({ field: 'fields', reason: 'TOO_MANY', message: `字段结构最多${MAX_FIELDS}个字段` });
  const seen = new Set<string>();
  fields.forEach((f, i) => {
    const at = `fields[${i}]`;
    const bad = (field: string, reason: string, message: string) => violations.push({ field: `${at}.${field}`, reason, message });
    if (!FIELD_CODE.test(f.code)) {
      bad('code', f.code === '' ? 'REQUIRED' : 'BAD_FORMAT', '字段编码须以字母开头，由字母、数字、下划线组成，最长64位');
    } else if (seen.has(f.code.toUpperCase())) {
      bad('code', 'DUPLICATE_FIELD_CODE', `字段编码 ${f.code} 重复`);
    }
    seen.add(f.code.toUpperCase());
    if (f.name.trim() === '') bad('name', 'REQUIRED', '字段名称必填');
    else if ([...f.name].length > FIELD_NAME_MAX) bad('name', 'FIELD_TOO_LONG', `字段名称不超过${FIELD_NAME_MAX}个字`);
    if (!(FIELD_TYPES as readonly string[]).includes(f.type)) bad('type', 'UNKNOWN_TYPE', '字段类型无效');
    if (!Number.isInteger(f.maxLength) || f.maxLength < 1 || f.maxLength > MAX_FIELD_LENGTH) {
      bad('max_length', 'OUT_OF_RANGE', `字段最大长度须为1至${MAX_FIELD_LENGTH}之间的整数`);
    }
    const values = f.enumValues ?? [];
    if (f.type === 'enum') {
      if (values.length === 0) bad('enum_values', 'REQUIRED', '枚举类型字段须列出可选值');
      if (values.some((v) => v.trim() === '')) bad('enum_values', 'EMPTY_VALUE', '枚举可选值不能为空');
      if (new Set(values).size !== values.length) bad('enum_values', 'DUPLICATE_VALUE', '枚举可选值重复');
      if (values.some((v) => [...v].length > f.maxLength)) bad('enum_values', 'FIELD_TOO_LONG', '枚举可选值超过字段最大长度');
    } else if (values.length > 0) {
      bad('enum_values', 'NOT_ENUM', '只有枚举类型字段可以列出可选值');
    }
  });
  return violations;
}

/** A copy without empty optional members, so stored and compared schemas look the same however they were built. */
export function normalizeField(f: FieldSpec): FieldSpec {
  return {
    code: f.code.trim(),
    name: f.name.trim(),
    type: f.type,
    required: f.required,
    maxLength: f.maxLength,
    ...(f.enumValues && f.enumValues.length > 0 ? { enumValues: [...f.enumValues] } : {}),
    ...(f.personal ? { personal: true } : {}),
    ...(f.extension ? { extension: true } : {}),
  };
}
