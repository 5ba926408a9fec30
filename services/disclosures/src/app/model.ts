import type { DisclosureKind } from '@credit/standards';
import type { FieldViolation } from '../domain/index.js';

/** 公示中 / 依规不公示 / 公示结束 / 已撤销 */
export type RecordState = 'public' | 'not_public' | 'publicity_ended' | 'revoked';

/** A record as stored: the validated fields plus what the platform derived from them on receipt. */
export interface StoredRecord {
  id: string;
  kind: DisclosureKind;
  identityKey: string;
  itemCode: string;
  catalogVersion: number;
  department: string;
  divisionCode: string;
  counterpartyCode: string;
  counterpartyName: string;
  decisionDate: string;
  receivedAt: Date;
  workingDays: number;
  late: boolean;
  state: RecordState;
  publicityEndsOn: string | null;
  repairPossibleFrom: string | null;
  fields: Record<string, string>;
  revision: number;
}

/** A record ready to store: everything but the id and revision. */
export type RecordDraft = Omit<StoredRecord, 'id' | 'revision'>;

/**
 * The stored record of a draft. Field by field on purpose: on Node 20 `{ ...draft, id, revision }` is built on a slow
 * path (each field added after a spread costs ~2 µs), and this runs for every record of a stream.
 */
export function storedRecord(d: RecordDraft, id: string, revision: number): StoredRecord {
  return {
    id,
    kind: d.kind,
    identityKey: d.identityKey,
    itemCode: d.itemCode,
    catalogVersion: d.catalogVersion,
    department: d.department,
    divisionCode: d.divisionCode,
    counterpartyCode: d.counterpartyCode,
    counterpartyName: d.counterpartyName,
    decisionDate: d.decisionDate,
    receivedAt: d.receivedAt,
    workingDays: d.workingDays,
    late: d.late,
    state: d.state,
    publicityEndsOn: d.publicityEndsOn,
    repairPossibleFrom: d.repairPossibleFrom,
    fields: d.fields,
    revision,
  };
}

export type RecordOutcome =
  | { outcome: 'accepted'; record: StoredRecord }
  | { outcome: 'unchanged'; record: StoredRecord }
  | { outcome: 'rejected'; violations: FieldViolation[] };

export interface RecordRevision {
  revision: number;
  fields: Record<string, string>;
  reason: string;
  actor: string;
  at: Date;
}
