/** The code schemes the platform checks. */
export type CodeType = 'uscc' | 'organization_code' | 'registration_number' | 'resident_id';

/**
 * The outcome of checking one code. A valid verdict carries the normalised code (upper case, no dash) so callers
 * store one spelling; an invalid one carries a machine-readable reason and a message for data officers.
 */
export type CodeVerdict =
  | { valid: true; type: CodeType; code: string; note?: string }
  | { valid: false; type?: CodeType; reason: string; message: string };

export function valid(type: CodeType, code: string, note?: string): CodeVerdict {
  return note === undefined ? { valid: true, type, code } : { valid: true, type, code, note };
}

export function invalid(type: CodeType | undefined, reason: string, message: string): CodeVerdict {
  return type === undefined ? { valid: false, reason, message } : { valid: false, type, reason, message };
}
