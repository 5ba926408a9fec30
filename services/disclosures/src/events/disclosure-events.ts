import {
  LicensePublished,
  PenaltyPublicityEnded,
  PenaltyPublished,
  PublicityEndReason,
  RecordCorrected,
  RecordRevoked,
} from '@credit/contracts/credit/disclosures/v1/events.js';
import type { NewEvent } from '@credit/platform';
import type { StoredRecord } from '../app/model.js';
import { toRecordMessage } from '../grpc/record-message.js';

// Subjects end with the deciding authority's division, so a prefecture's systems can subscribe to their own.
const subject = (event: string, r: StoredRecord) => `credit.disclosures.v1.${event}.${r.divisionCode}`;

/**
 * 行政许可/行政处罚 received: published for every accepted record. The record's state says whether the public may
 * see it (a minor penalty is kept and shared but not displayed).
 */
export function recordPublished(r: StoredRecord): NewEvent {
  if (r.kind === 'licence') {
    return {
      type: 'credit.disclosures.v1.LicensePublished',
      subject: subject('license_published', r),
      entity: r.counterpartyCode,
      data: LicensePublished.encode({ record: toRecordMessage(r) }).finish(),
    };
  }
  return {
    type: 'credit.disclosures.v1.PenaltyPublished',
    subject: subject('penalty_published', r),
    entity: r.counterpartyCode,
    data: PenaltyPublished.encode({ record: toRecordMessage(r) }).finish(),
  };
}

export function recordCorrected(r: StoredRecord, previous: StoredRecord, reason: string): NewEvent {
  return {
    type: 'credit.disclosures.v1.RecordCorrected',
    subject: subject('record_corrected', r),
    entity: r.counterpartyCode,
    data: RecordCorrected.encode({ record: toRecordMessage(r), previous: toRecordMessage(previous), reason }).finish(),
  };
}

export function recordRevoked(r: StoredRecord, reason: string): NewEvent {
  return {
    type: 'credit.disclosures.v1.RecordRevoked',
    subject: subject('record_revoked', r),
    entity: r.counterpartyCode,
    data: RecordRevoked.encode({ record: toRecordMessage(r), reason }).finish(),
  };
}

export function penaltyPublicityEnded(r: StoredRecord, reason: 'expired' | 'repaired'): NewEvent {
  return {
    type: 'credit.disclosures.v1.PenaltyPublicityEnded',
    subject: subject('penalty_publicity_ended', r),
    entity: r.counterpartyCode,
    data: PenaltyPublicityEnded.encode({
      record: toRecordMessage(r),
      reason: reason === 'expired' ? PublicityEndReason.PUBLICITY_END_REASON_EXPIRED : PublicityEndReason.PUBLICITY_END_REASON_REPAIRED,
    }).finish(),
  };
}
