// The registry's pure domain: code validators, entity rules and code quality. No gRPC, NATS or TypeORM here.
export * from './codes/index.js';
export { validateEntity, sameDetails, LIMITS, normalizeName, nameSearchTokens } from './entity.js';
export type { EntityKind, EntityInput, ValidEntity } from './entity.js';
export { ENTITY_KINDS, KIND_LABELS, isEntityKind } from './entity-kind.js';
export { qualityReport, QUALITY_TARGET_PER_MILLE } from './quality.js';
export type { QualityCounts, QualityRow } from './quality.js';
