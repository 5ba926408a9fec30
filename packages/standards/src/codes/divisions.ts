import { NATIONAL_DIVISIONS, PROVINCES } from './division-table.js';

const SIX_DIGITS = /^\d{6}$/;

/** A 6-digit division code under a known province, or the national code; provinces with a prefix list must match it. */
export function knownDivision(code6: string): boolean {
  if (!SIX_DIGITS.test(code6)) return false;
  if (NATIONAL_DIVISIONS.includes(code6)) return true;
  const province = PROVINCES[code6.slice(0, 2)];
  if (province === undefined) return false;
  return province.prefixes === undefined || province.prefixes.some((prefix) => code6.startsWith(prefix));
}

/**
 * Only the province part is checked. Resident IDs and legacy registration numbers keep the division they were
 * issued under for life, so they may carry prefecture codes that were renamed since (e.g. Tibet's 5421–5426).
 */
export function knownProvince(code6: string): boolean {
  if (!SIX_DIGITS.test(code6)) return false;
  return NATIONAL_DIVISIONS.includes(code6) || PROVINCES[code6.slice(0, 2)] !== undefined;
}
