import {
  AdministrativeLevel,
  Disclosure,
  FieldType,
  ImportOutcome,
  InformationCategory,
  ItemState,
  UpdateFrequency,
} from '@credit/contracts/credit/catalog/v1/catalog.js';
import type * as domain from '../domain/index.js';
import type { RowOutcome } from '../app/import-result.js';

/** A domain enumeration and its protobuf twin, both ways; `_UNSPECIFIED` reads as undefined. */
function twin<D extends string, P extends number>(table: Record<D, P>) {
  const back = new Map<number, D>(Object.entries(table).map(([d, p]) => [p as number, d as D]));
  return { toProto: (d: D): P => table[d], fromProto: (p: P): D | undefined => back.get(p) };
}

export const level = twin<domain.AdministrativeLevel, AdministrativeLevel>({
  region: AdministrativeLevel.ADMINISTRATIVE_LEVEL_REGION,
  prefecture: AdministrativeLevel.ADMINISTRATIVE_LEVEL_PREFECTURE,
  county: AdministrativeLevel.ADMINISTRATIVE_LEVEL_COUNTY,
});

export const category = twin<domain.InformationCategory, InformationCategory>({
  basic: InformationCategory.INFORMATION_CATEGORY_BASIC,
  licence: InformationCategory.INFORMATION_CATEGORY_LICENCE,
  penalty: InformationCategory.INFORMATION_CATEGORY_PENALTY,
  red_list: InformationCategory.INFORMATION_CATEGORY_RED_LIST,
  black_list: InformationCategory.INFORMATION_CATEGORY_BLACK_LIST,
  commitment: InformationCategory.INFORMATION_CATEGORY_COMMITMENT,
  rating: InformationCategory.INFORMATION_CATEGORY_RATING,
  judicial: InformationCategory.INFORMATION_CATEGORY_JUDICIAL,
  other: InformationCategory.INFORMATION_CATEGORY_OTHER,
});

export const disclosure = twin<domain.Disclosure, Disclosure>({
  public: Disclosure.DISCLOSURE_PUBLIC,
  conditional: Disclosure.DISCLOSURE_CONDITIONAL,
  not_shared: Disclosure.DISCLOSURE_NOT_SHARED,
});

export const frequency = twin<domain.UpdateFrequency, UpdateFrequency>({
  on_change: UpdateFrequency.UPDATE_FREQUENCY_ON_CHANGE,
  daily: UpdateFrequency.UPDATE_FREQUENCY_DAILY,
  weekly: UpdateFrequency.UPDATE_FREQUENCY_WEEKLY,
  monthly: UpdateFrequency.UPDATE_FREQUENCY_MONTHLY,
  quarterly: UpdateFrequency.UPDATE_FREQUENCY_QUARTERLY,
  yearly: UpdateFrequency.UPDATE_FREQUENCY_YEARLY,
});

export const fieldType = twin<domain.FieldType, FieldType>({
  text: FieldType.FIELD_TYPE_TEXT,
  date: FieldType.FIELD_TYPE_DATE,
  decimal: FieldType.FIELD_TYPE_DECIMAL,
  enum: FieldType.FIELD_TYPE_ENUM,
  uscc: FieldType.FIELD_TYPE_USCC,
  registration_number: FieldType.FIELD_TYPE_REGISTRATION_NUMBER,
  organization_code: FieldType.FIELD_TYPE_ORGANIZATION_CODE,
  id_number: FieldType.FIELD_TYPE_ID_NUMBER,
});

export const itemState = twin<domain.ItemState, ItemState>({
  draft: ItemState.ITEM_STATE_DRAFT,
  submitted: ItemState.ITEM_STATE_SUBMITTED,
  confirmed: ItemState.ITEM_STATE_CONFIRMED,
});

export const outcome = twin<RowOutcome, ImportOutcome>({
  created: ImportOutcome.IMPORT_OUTCOME_CREATED,
  existing: ImportOutcome.IMPORT_OUTCOME_EXISTING,
  rejected: ImportOutcome.IMPORT_OUTCOME_REJECTED,
});
