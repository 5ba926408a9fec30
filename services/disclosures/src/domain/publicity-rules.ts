import type { CalendarDay } from '@credit/platform/calendar';
import type { Severity } from './record.js';

/** A publicity period in months from the decision date: repair can end it after `minMonths`, it ends by itself at `maxMonths`. */
export interface PeriodMonths {
  minMonths: number;
  maxMonths: number;
}

/**
 * The penalty publicity rules in force from a day on (standards.md, "Deadlines and periods"). A penalty is judged
 * by the rule in force on its decision date. Data, not logic: a new regulation is a new row.
 */
export interface PublicityRule {
  inForceFrom: CalendarDay;
  /** The regulation, as officers cite it. */
  basis: string;
  /** Per severity, the period, or null when penalties of that severity are not published at all. */
  periods: Readonly<Record<Severity, PeriodMonths | null>>;
  /** A penalty whose categories are all among these is not published (仅受到警告、通报批评). */
  unpublishedWhenOnly: readonly string[];
  /** Penalties decided under the simplified procedure (简易程序) are not published. */
  simplifiedProcedureUnpublished: boolean;
  /** Special fields (特种设备, 安全生产, 消防) whose minimum period is at least this many months. */
  specialFieldMinMonths: number | null;
}

/**
 * 重点领域 whose penalties keep a longer minimum period under the 2023 rules. A record does not say this itself:
 * it comes from the catalog item the record is reported under (each item is one power of one department, e.g.
 * "对特种设备使用单位的行政处罚"), so the caller passes the item's special field.
 */
export const SPECIAL_FIELDS = ['特种设备', '安全生产', '消防'] as const;
export type SpecialField = (typeof SPECIAL_FIELDS)[number];

// The 2019 date is the notice's publication date as given by secondary sources; the 2023 and 2026 rows are also
// from secondary sources (unverified in detail, see standards.md). Under 2019 there was no 轻微 category: such
// penalties were judged as 一般.
export const PUBLICITY_RULES: readonly PublicityRule[] = [
  {
    inForceFrom: '2019-07-04',
    basis: '发改办财金〔2019〕527号',
    periods: { 轻微: { minMonths: 3, maxMonths: 12 }, 一般: { minMonths: 3, maxMonths: 12 }, 严重: { minMonths: 6, maxMonths: 36 } },
    unpublishedWhenOnly: [],
    simplifiedProcedureUnpublished: false,
    specialFieldMinMonths: null,
  },
  {
    inForceFrom: '2023-05-01',
    basis: '国家发展改革委令第58号',
    periods: { 轻微: null, 一般: { minMonths: 3, maxMonths: 36 }, 严重: { minMonths: 3, maxMonths: 36 } },
    unpublishedWhenOnly: ['警告', '通报批评'],
    simplifiedProcedureUnpublished: true,
    specialFieldMinMonths: 12,
  },
  {
    // 轻微: "≤ 3 months, generally not published" — the platform does not publish them.
    inForceFrom: '2026-04-01',
    basis: '信用修复管理办法（2026年4月1日起施行）',
    periods: { 轻微: null, 一般: { minMonths: 3, maxMonths: 12 }, 严重: { minMonths: 12, maxMonths: 36 } },
    unpublishedWhenOnly: [],
    simplifiedProcedureUnpublished: false,
    specialFieldMinMonths: null,
  },
];

/**
 * The rule in force on `day`. Decisions before the first rule are judged by it too (their maximum period ended
 * long ago, so only their history depends on this); `beforeFirstRule` says so.
 */
export function ruleInForce(day: CalendarDay, rules: readonly PublicityRule[] = PUBLICITY_RULES): { rule: PublicityRule; beforeFirstRule: boolean } {
  let found: PublicityRule | undefined;
  for (const rule of rules) if (rule.inForceFrom <= day && (found === undefined || rule.inForceFrom > found.inForceFrom)) found = rule;
  if (found !== undefined) return { rule: found, beforeFirstRule: false };
  const first = [...rules].sort((a, b) => a.inForceFrom.localeCompare(b.inForceFrom))[0];
  if (first === undefined) throw new Error('no publicity rules');
  return { rule: first, beforeFirstRule: true };
}
