import {
  checkOrganizationCode,
  checkRegistrationNumber,
  checkResidentId,
  checkUscc,
  USCC_PLACEHOLDER,
  type CodeVerdict,
  type FieldType,
} from '@credit/standards';
import { accepted, refused, type CellResult } from './violation.js';

export type CompanyCodeType = Extract<FieldType, 'uscc' | 'registration_number' | 'organization_code'>;

const CHECKS: Record<CompanyCodeType, (code: string) => CodeVerdict> = {
  uscc: (code) => checkUscc(code),
  registration_number: checkRegistrationNumber,
  organization_code: checkOrganizationCode,
};

/**
 * A code of an organisation or business, checked by its standard; the result is the normalised code (upper case,
 * no dash). `allowPlaceholder` lets the counterparty's USCC field carry 00000000000000000X, which the counterparty
 * rules then judge. A natural person's ID number typed into such a field gets its own reason, because the fix
 * (move it to 证件号码 and set the category to 自然人) differs from fixing a typo.
 */
export function parseCompanyCode(label: string, text: string, type: CompanyCodeType, allowPlaceholder: boolean, today: Date): CellResult<string> {
  const verdict = CHECKS[type](text);
  if (verdict.valid) return accepted(verdict.code);
  if (allowPlaceholder && verdict.reason === 'PLACEHOLDER') return accepted(USCC_PLACEHOLDER);
  if (checkResidentId(text, today).valid) {
    return refused('NATURAL_PERSON_ID_IN_COMPANY_FIELD', `“${label}”中填写的是自然人的居民身份证号；自然人请将其填入“证件号码”，并将行政相对人类别填为“自然人”`);
  }
  return refused(verdict.reason, `“${label}”有误：${verdict.message}`);
}

/** A resident identity number (居民身份证号), GB 11643. */
export function parseResidentId(label: string, text: string, today: Date): CellResult<string> {
  const verdict = checkResidentId(text, today);
  return verdict.valid ? accepted(verdict.code) : refused(verdict.reason, `“${label}”有误：${verdict.message}`);
}

/** An ID number of another document type (passport, permits): letters and digits, upper-cased, spaces removed. */
export function parseOtherIdNumber(label: string, text: string): CellResult<string> {
  const value = text.normalize('NFKC').replace(/\s+/g, '').toUpperCase();
  if (!/^[0-9A-Z()-]+$/.test(value)) return refused('BAD_CHARACTER', `“${label}”只能包含字母、数字、括号和连字符，实际为“${text}”`);
  return accepted(value);
}
