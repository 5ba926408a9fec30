// The registry's pure domain: code validators, entity rules and code quality. No gRPC, NATS or TypeORM here.
// The code validators live in @credit/standards; re-exported so the registry's callers keep one import.
export {
  checkAnyCode,
  checkOrganizationCode,
  checkRegistrationNumber,
  checkResidentId,
  checkUscc,
  divisionOfUscc,
  KNOWN_EXCEPTIONS,
  knownDivision,
  knownProvince,
  organizationCodeCheckCharacter,
  organizationCodeOfUscc,
  registrationNumberCheckDigit,
  residentIdCheckCharacter,
  USCC_PLACEHOLDER,
  usccCheckCharacter,
} from '@credit/standards';
export type { CodeType, CodeVerdict } from '@credit/standards';
export { validateEntity, sameDetails, LIMITS, normalizeName, nameSearchTokens, normalizedNameTokens } from './entity.js';
export type { EntityKind, EntityInput, ValidEntity } from './entity.js';
export { ENTITY_KINDS, KIND_LABELS, isEntityKind } from './entity-kind.js';
export { qualityReport, QUALITY_TARGET_PER_MILLE } from './quality.js';
export type { QualityCounts, QualityRow } from './quality.js';
