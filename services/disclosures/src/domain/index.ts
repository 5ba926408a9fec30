// The disclosures (双公示) domain: record validation, identity, timeliness, publicity periods, credit repair and
// administrative levels. Pure: no gRPC, NATS or database here.
export { validateRecord } from './validate-record.js';
export type { ValidationResult } from './validate-record.js';
export type {
  Counterparty,
  CounterpartyCategory,
  CounterpartyCode,
  DisclosureRecord,
  FieldSpec,
  LicenceRecord,
  PenaltyRecord,
  RawDisclosure,
  Severity,
} from './record.js';
export type { FieldViolation } from './violation.js';
export { recordIdentity, foldDocumentNumber, identityFields } from './record-identity.js';
export type { RecordIdentity } from './record-identity.js';
export { AMOUNT_DECIMALS } from './amount-cell.js';
export { timeliness, PUBLICATION_DEADLINE_WORKING_DAYS } from './timeliness.js';
export type { Timeliness } from './timeliness.js';
export { PUBLICITY_RULES, SPECIAL_FIELDS, ruleInForce } from './publicity-rules.js';
export type { PeriodMonths, PublicityRule, SpecialField } from './publicity-rules.js';
export { penaltyPublicity } from './publicity-period.js';
export type { PenaltyForPublicity, Publicity } from './publicity-period.js';
export {
  applyForRepair,
  advanceRepair,
  overdueRepairStep,
  isRepairFinished,
  FEEDBACK_WORKING_DAYS,
  AUTHORITY_DECISION_WORKING_DAYS,
} from './credit-repair.js';
export type { RepairAction, RepairApplication, RepairStatus, RepairStep } from './credit-repair.js';
export { administrativeLevel, rollUpKey, REGION_CODE } from './administrative-level.js';
export type { AdministrativeLevel, RollUpKey } from './administrative-level.js';
