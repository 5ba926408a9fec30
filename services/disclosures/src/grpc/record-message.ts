import {
  DisclosureKind,
  RecordState as ProtoState,
  type Record as RecordMessage,
  type RecordRevision as RevisionMessage,
} from '@credit/contracts/credit/disclosures/v1/disclosures.js';
import type { RecordRevision, RecordState, StoredRecord } from '../app/model.js';

const STATE: Record<RecordState, ProtoState> = {
  public: ProtoState.RECORD_STATE_PUBLIC,
  not_public: ProtoState.RECORD_STATE_NOT_PUBLIC,
  publicity_ended: ProtoState.RECORD_STATE_PUBLICITY_ENDED,
  revoked: ProtoState.RECORD_STATE_REVOKED,
};

export function toRecordMessage(r: StoredRecord): RecordMessage {
  return {
    id: r.id,
    kind: r.kind === 'licence' ? DisclosureKind.DISCLOSURE_KIND_LICENCE : DisclosureKind.DISCLOSURE_KIND_PENALTY,
    itemCode: r.itemCode,
    catalogVersion: r.catalogVersion,
    department: r.department,
    fields: r.fields,
    revision: r.revision,
    state: STATE[r.state],
    decisionDate: r.decisionDate,
    receivedAt: r.receivedAt,
    workingDays: r.workingDays,
    late: r.late,
    publicityEndsOn: r.publicityEndsOn ?? '',
    repairPossibleFrom: r.repairPossibleFrom ?? '',
    divisionCode: r.divisionCode,
    counterpartyCode: r.counterpartyCode,
    counterpartyName: r.counterpartyName,
  };
}

export function toRevisionMessage(r: RecordRevision): RevisionMessage {
  return { revision: r.revision, fields: r.fields, reason: r.reason, actor: r.actor, at: r.at };
}
