import { addMonths, type CalendarDay } from '@credit/platform/calendar';
import type { Severity } from './record.js';
import { PUBLICITY_RULES, ruleInForce, type PublicityRule, type SpecialField } from './publicity-rules.js';

/** What publicity a penalty gets. */
export type Publicity =
  | { published: false; reason: 'MINOR' | 'WARNING_OR_CRITICISM_ONLY' | 'SIMPLIFIED_PROCEDURE'; basis: string }
  | {
      published: true;
      basis: string;
      minMonths: number;
      maxMonths: number;
      /** The first day display may end on approved credit repair (最短公示期满). */
      earliestRepairEnd: CalendarDay;
      /** The day display ends by itself (最长公示期满). */
      automaticEnd: CalendarDay;
      beforeFirstRule: boolean;
    };

export interface PenaltyForPublicity {
  decisionDate: CalendarDay;
  categories: readonly string[];
  /** CF_YZCD; absent means 一般. */
  severity?: Severity;
  simplifiedProcedure?: boolean;
  /** From the catalog item: a penalty in a special field keeps a longer minimum under some rules. */
  specialField?: SpecialField;
}

/** The publicity of a penalty under the rule in force on its decision date. Periods run from the decision date. */
export function penaltyPublicity(penalty: PenaltyForPublicity, rules: readonly PublicityRule[] = PUBLICITY_RULES): Publicity {
  const { rule, beforeFirstRule } = ruleInForce(penalty.decisionDate, rules);
  const basis = rule.basis;
  const severity = penalty.severity ?? '一般';
  const period = rule.periods[severity];
  if (period === null) return { published: false, reason: 'MINOR', basis };
  if (rule.unpublishedWhenOnly.length > 0 && penalty.categories.length > 0 && penalty.categories.every((c) => rule.unpublishedWhenOnly.includes(c))) {
    return { published: false, reason: 'WARNING_OR_CRITICISM_ONLY', basis };
  }
  if (rule.simplifiedProcedureUnpublished && penalty.simplifiedProcedure === true) {
    return { published: false, reason: 'SIMPLIFIED_PROCEDURE', basis };
  }
  const special = penalty.specialField !== undefined && rule.specialFieldMinMonths !== null;
  const minMonths = special ? Math.min(period.maxMonths, Math.max(period.minMonths, rule.specialFieldMinMonths ?? 0)) : period.minMonths;
  return {
    published: true,
    basis,
    minMonths,
    maxMonths: period.maxMonths,
    earliestRepairEnd: addMonths(penalty.decisionDate, minMonths),
    automaticEnd: addMonths(penalty.decisionDate, period.maxMonths),
    beforeFirstRule,
  };
}
