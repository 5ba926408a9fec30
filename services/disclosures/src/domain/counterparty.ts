import { USCC_PLACEHOLDER } from '@credit/standards';
import type { Counterparty, CounterpartyCategory, CounterpartyCode } from './record.js';
import { violation, type FieldViolation } from './violation.js';

type Prefix = 'XK' | 'CF';

/**
 * Who the decision concerns (行政相对人) and the code that identifies them:
 * - 法人及非法人组织: a USCC, or — for those not yet given one — the placeholder with a registration number or
 *   organisation code;
 * - 个体工商户: a USCC or the legacy registration number (with or without the placeholder);
 * - 自然人: ID type and number, and never a USCC (a person has none; one there means the category is wrong).
 * `failed` lists fields whose own check already failed, so a rule does not report the same cell twice.
 */
export function readCounterparty(
  prefix: Prefix,
  values: ReadonlyMap<string, string>,
  failed: ReadonlySet<string>,
  violations: FieldViolation[],
): Counterparty | undefined {
  const f = (name: string) => `${prefix}_${name}`;
  const category = values.get(f('XDR_LB')) as CounterpartyCategory | undefined;
  const name = values.get(f('XDR_MC'));
  if (category === undefined || name === undefined) return undefined;
  const uscc = values.get(f('XDR_SHXYM'));
  const registrationNumber = values.get(f('XDR_GSZC'));
  const organizationCode = values.get(f('XDR_ZZJG'));
  const blocked = (field: string) => failed.has(f(field));
  let code: CounterpartyCode | undefined;

  switch (category) {
    case '法人及非法人组织':
      if (uscc !== undefined && uscc !== USCC_PLACEHOLDER) code = { type: 'uscc', value: uscc };
      else if (uscc === USCC_PLACEHOLDER && registrationNumber !== undefined) code = { type: 'registration_number', value: registrationNumber };
      else if (uscc === USCC_PLACEHOLDER && organizationCode !== undefined) code = { type: 'organization_code', value: organizationCode };
      else if (!blocked('XDR_SHXYM') && !blocked('XDR_GSZC') && !blocked('XDR_ZZJG')) {
        violations.push(
          uscc === USCC_PLACEHOLDER
            ? violation(f('XDR_SHXYM'), 'PLACEHOLDER_WITHOUT_LEGACY_CODE', `“统一社会信用代码”填写占位代码“${USCC_PLACEHOLDER}”时，须同时填写“工商注册号”或“组织机构代码”`)
            : violation(f('XDR_SHXYM'), 'REQUIRED', '行政相对人类别为“法人及非法人组织”时，须填写“统一社会信用代码”'),
        );
      }
      break;
    case '个体工商户':
      if (uscc !== undefined && uscc !== USCC_PLACEHOLDER) code = { type: 'uscc', value: uscc };
      else if (registrationNumber !== undefined) code = { type: 'registration_number', value: registrationNumber };
      else if (!blocked('XDR_SHXYM') && !blocked('XDR_GSZC')) {
        violations.push(violation(f('XDR_SHXYM'), 'REQUIRED', '行政相对人类别为“个体工商户”时，须填写“统一社会信用代码”或“工商注册号”'));
      }
      break;
    case '自然人': {
      if (uscc !== undefined) {
        violations.push(violation(f('XDR_SHXYM'), 'USCC_FOR_NATURAL_PERSON', '行政相对人类别为“自然人”时不应填写“统一社会信用代码”；如为组织或个体工商户，请更正行政相对人类别'));
      }
      const idType = values.get(f('XDR_ZJLX'));
      const idNumber = values.get(f('XDR_ZJHM'));
      if (idType === undefined && !blocked('XDR_ZJLX')) violations.push(violation(f('XDR_ZJLX'), 'REQUIRED', '行政相对人类别为“自然人”时，须填写“证件类型”'));
      if (idNumber === undefined && !blocked('XDR_ZJHM')) violations.push(violation(f('XDR_ZJHM'), 'REQUIRED', '行政相对人类别为“自然人”时，须填写“证件号码”'));
      if (idType !== undefined && idNumber !== undefined && uscc === undefined) code = { type: 'id_number', idType, value: idNumber };
      break;
    }
  }
  return code === undefined ? undefined : { category, name, code };
}

/** An ID number needs its type, for the counterparty and for the legal representative alike. */
export function checkIdTypePairs(prefix: Prefix, values: ReadonlyMap<string, string>, failed: ReadonlySet<string>, violations: FieldViolation[]): void {
  for (const [typeField, numberField, label] of [
    [`${prefix}_XDR_ZJLX`, `${prefix}_XDR_ZJHM`, '证件类型'],
    [`${prefix}_FR_ZJLX`, `${prefix}_FR_ZJHM`, '法定代表人证件类型'],
  ] as const) {
    if (values.has(numberField) && !values.has(typeField) && !failed.has(typeField)) {
      violations.push(violation(typeField, 'REQUIRED', `填写了证件号码时，须填写“${label}”`));
    }
  }
}
