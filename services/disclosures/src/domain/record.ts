import type { DisclosureKind, StandardField } from '@credit/standards';
import type { CalendarDay } from '@credit/platform/calendar';
import type { RecordIdentity } from './record-identity.js';

/** A field of a catalog item's record schema; the catalog's default schemas are the national standard's fields. */
export type FieldSpec = StandardField;

/** One row as read from a file or a message: field code → raw cell text. */
export interface RawDisclosure {
  kind: DisclosureKind;
  fields: Readonly<Record<string, string>>;
}

/** 行政相对人类别 */
export type CounterpartyCategory = '法人及非法人组织' | '自然人' | '个体工商户';

/** The code that identifies the counterparty, chosen by the counterparty rules. */
export type CounterpartyCode =
  | { type: 'uscc' | 'registration_number' | 'organization_code'; value: string }
  | { type: 'id_number'; idType: string; value: string };

export interface Counterparty {
  category: CounterpartyCategory;
  name: string;
  code: CounterpartyCode;
}

/** 违法行为严重程度 (regional extension CF_YZCD); absent means 一般. */
export type Severity = '轻微' | '一般' | '严重';

interface RecordBase {
  /** Every field that had a value, normalised: text NFC and trimmed, dates YYYY-MM-DD, amounts canonical decimals, codes upper case. */
  fields: Readonly<Record<string, string>>;
  identity: RecordIdentity;
  decisionDate: CalendarDay;
  counterparty: Counterparty;
}

export interface LicenceRecord extends RecordBase {
  kind: 'licence';
  validFrom: CalendarDay | null;
  validTo: CalendarDay | null;
}

export interface PenaltyRecord extends RecordBase {
  kind: 'penalty';
  /** 处罚类别, each known, in the order given, without duplicates. */
  categories: string[];
  /** 罚款金额 in 万元, canonical decimal string. */
  fine: string | null;
  /** 没收违法所得、没收非法财物的金额 in 万元. */
  confiscated: string | null;
  severity: Severity;
  /** CF_JYCX = 是: decided under the simplified procedure (简易程序). */
  simplifiedProcedure: boolean;
}

export type DisclosureRecord = LicenceRecord | PenaltyRecord;
