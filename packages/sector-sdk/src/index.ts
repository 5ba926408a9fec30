// @credit/sector-sdk: what a sector (department) system imports to receive red/black list events through its own
// durable consumers, report feedback, and run credit checks. See README.md.
export { connectSector, sectorInboxPrefix, type NatsCredentials, type SectorClient, type SectorOptions } from './connect.js';
export type { ListsConnection } from './rpc.js';
export type {
  EntryCorrected,
  EntryEffective,
  EntryRemoved,
  RatingChangedEvent,
  SectorEvent,
  SectorEventType,
} from './events.js';
export { decodeEvent, type Decoded, type RawMessage } from './events.js';
export type { SubscribeOptions, Subscription, SubscriptionInfo, SubscriptionProblem } from './subscription.js';
export { type FeedbackOutcome, type FeedbackPhase, type FeedbackReport, feedbackRequestId, type MeasureResponse } from './feedback.js';
export type { ApplicableMeasure, CreditCheckResult, MeasureCause } from './credit-check.js';
export type { EntryState, ListColour, ListEntry, Measure, MeasureKind, Objection, Rating, RemovalReason } from './model.js';
export { isSectorError, SectorError, type FieldViolation, type SectorErrorCode } from './errors.js';
export {
  MemoryProcessedEvents,
  type MemoryTransaction,
  once,
  type OnceResult,
  type PgClientLike,
  type PgPoolLike,
  postgresProcessedEvents,
  type ProcessedEvents,
} from './once.js';
