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
  const timely = memo(timelinessMemo, `${record.decisionDate}|${receivedOn}`, () => timeliness(record.decisionDate, receivedOn));
  let state: RecordState = item.disclosure === 'public' ? 'public' : 'not_public';
  let publicityEndsOn: string | null = null;
  let repairPossibleFrom: string | null = null;
  if (record.kind === 'penalty') {
    // A catalog item for special equipment, work safety or fire safety names its field (e.g. 特种设备行政处罚).
    const specialField = SPECIAL_FIELDS.find((f) => item.name.includes(f));
    const key = `${record.decisionDate}|${record.categories.join(';')}|${record.severity}|${record.simplifiedProcedure}|${specialField ?? ''}`;
    const publicity = memo(publicityMemo, key, () =>
      penaltyPublicity({
        decisionDate: record.decisionDate,
        categories: record.categories,
        severity: record.severity,
        simplifiedProcedure: record.simplifiedProcedure,
        specialField,
      }),
    );
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
    // The validated record is not kept: its fields object becomes the stored record's.
    fields: record.fields as Record<string, string>,
  };
}

// A batch's records share a few decision dates and kinds of penalty: the calendar arithmetic behind timeliness and
// publicity is done once per distinct input, not once per record. Bounded, and cleared rather than evicted.
const MEMO_LIMIT = 10_000;
const timelinessMemo = new Map<string, ReturnType<typeof timeliness>>();
const publicityMemo = new Map<string, ReturnType<typeof penaltyPublicity>>();

function memo<T>(cache: Map<string, T>, key: string, compute: () => T): T {
  let value = cache.get(key);
  if (value === undefined) {
    if (cache.size >= MEMO_LIMIT) cache.clear();
    value = compute();
    cache.set(key, value);
  }
  return value;
}
