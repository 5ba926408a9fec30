import type { PublishedItem } from '@credit/catalog-client';
import type { CalendarDay } from '@credit/platform/calendar';
import { divisionOfUscc } from '@credit/standards';
import { SPECIAL_FIELDS, penaltyPublicity, timeliness, type DisclosureRecord } from '../domain/index.js';
import type { RecordDraft, RecordState } from './model.js';

/**
 * What the platform derives from a valid record on receipt: its division (from the deciding authority's USCC, for the
 * three-level roll-up), timeliness in working days, and for a penalty its publicity under the rule in force on the
 * decision date. A catalog item not marked 公开 keeps its records off public display.
 */
export function recordDraft(
  record: DisclosureRecord,
  item: Pick<PublishedItem, 'code' | 'name' | 'disclosure'>,
  catalogVersion: number,
  department: string,
  receivedAt: Date,
  receivedOn: CalendarDay,
): RecordDraft {
  const timely = timeliness(record.decisionDate, receivedOn);
  let state: RecordState = item.disclosure === 'public' ? 'public' : 'not_public';
  let publicityEndsOn: string | null = null;
  let repairPossibleFrom: string | null = null;
  if (record.kind === 'penalty') {
    const publicity = penaltyPublicity({
      decisionDate: record.decisionDate,
      categories: record.categories,
      severity: record.severity,
      simplifiedProcedure: record.simplifiedProcedure,
      // A catalog item for special equipment, work safety or fire safety names its field (e.g. 特种设备行政处罚).
      specialField: SPECIAL_FIELDS.find((f) => item.name.includes(f)),
    });
    if (publicity.published) {
      publicityEndsOn = publicity.automaticEnd;
      repairPossibleFrom = publicity.earliestRepairEnd;
    } else {
      state = 'not_public';
    }
  }
  return {
    kind: record.kind,
    identityKey: record.identity.key,
    itemCode: item.code,
    catalogVersion,
    department,
    divisionCode: divisionOfUscc(record.identity.authorityCode),
    counterpartyCode: record.counterparty.code.value,
    counterpartyName: record.counterparty.name,
    decisionDate: record.decisionDate,
    receivedAt,
    workingDays: timely.workingDays,
    late: timely.late,
    state,
    publicityEndsOn,
    repairPossibleFrom,
    fields: { ...record.fields },
  };
}
