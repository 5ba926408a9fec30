import type { CalendarDay } from '@credit/platform/calendar';
import { checkIdTypePairs, readCounterparty } from './counterparty.js';
import { readFieldValues } from './field-values.js';
import type { DisclosureRecord, FieldSpec, RawDisclosure, Severity } from './record.js';
import { identityFields, recordIdentity } from './record-identity.js';
import { checkRecordRules } from './record-rules.js';
import type { FieldViolation } from './violation.js';

export type ValidationResult = { ok: true; record: DisclosureRecord } | { ok: false; violations: FieldViolation[] };

/**
 * Validates one licence or penalty row against its catalog item's field schema — the same for all three channels
 * (stream, file, single submission). Every problem of the row is reported at once, so an officer fixes a rejected
 * row in one go. `today` (YYYY-MM-DD, China Standard Time) is injected: decision dates may not be after it.
 */
export function validateRecord(raw: RawDisclosure, schema: readonly FieldSpec[], today: CalendarDay): ValidationResult {
  const todayDate = localNoon(today);
  const { values, categories, violations } = readFieldValues(raw.kind, raw.fields, schema, todayDate);
  const failed = new Set(violations.map((v) => v.field));
  const prefix = raw.kind === 'licence' ? 'XK' : 'CF';
  checkIdTypePairs(prefix, values, failed, violations);
  const counterparty = readCounterparty(prefix, values, failed, violations);
  checkRecordRules(raw.kind, values, categories, failed, today, violations);
  if (violations.length > 0) return { ok: false, violations: distinct(violations) };

  const ids = identityFields(raw.kind);
  const documentNumber = values.get(ids.documentNumber);
  const authorityCode = values.get(ids.authorityCode);
  const decisionDate = values.get(raw.kind === 'licence' ? 'XK_JDRQ' : 'CF_JDRQ');
  // The core fields are required above, so these hold whenever there was no violation.
  if (documentNumber === undefined || authorityCode === undefined || decisionDate === undefined || counterparty === undefined) {
    throw new Error('core fields missing from a record without violations');
  }
  // Written out rather than spread from a shared base: on Node 20 fields added after a spread cost ~2 µs each.
  const fields = Object.fromEntries(values);
  const identity = recordIdentity(raw.kind, documentNumber, authorityCode);
  if (raw.kind === 'licence') {
    return {
      ok: true,
      record: { fields, identity, decisionDate, counterparty, kind: 'licence', validFrom: values.get('XK_YXQZ') ?? null, validTo: values.get('XK_YXQZI') ?? null },
    };
  }
  return {
    ok: true,
    record: {
      fields,
      identity,
      decisionDate,
      counterparty,
      kind: 'penalty',
      categories: categories ?? [],
      fine: values.get('CF_NR_FK') ?? null,
      confiscated: values.get('CF_NR_WFFF') ?? null,
      severity: (values.get('CF_YZCD') as Severity | undefined) ?? '一般',
      simplifiedProcedure: values.get('CF_JYCX') === '是',
    },
  };
}

function distinct(violations: FieldViolation[]): FieldViolation[] {
  const seen = new Set<string>();
  return violations.filter((v) => {
    const key = `${v.field}|${v.reason}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

// The standards' resident ID check takes a Date and reads its local calendar day; noon keeps it on `day`.
function localNoon(day: CalendarDay): Date {
  const [year, month, date] = day.split('-').map(Number) as [number, number, number];
  return new Date(year, month - 1, date, 12);
}
