import type { DisclosureKind } from '@credit/standards';
import { isPositiveAmount } from './amount-cell.js';
import { violation, type FieldViolation } from './violation.js';

/**
 * Rules across fields of one record, on values that passed their own checks. Dates are YYYY-MM-DD, so they
 * compare as strings.
 */
export function checkRecordRules(
  kind: DisclosureKind,
  values: ReadonlyMap<string, string>,
  categories: readonly string[] | undefined,
  failed: ReadonlySet<string>,
  today: string,
  violations: FieldViolation[],
): void {
  const decisionField = kind === 'licence' ? 'XK_JDRQ' : 'CF_JDRQ';
  const decisionLabel = kind === 'licence' ? '许可决定日期' : '处罚决定日期';
  const decision = values.get(decisionField);
  if (decision !== undefined && decision > today) {
    violations.push(violation(decisionField, 'FUTURE_DATE', `“${decisionLabel}”${decision}晚于今天（${today}），决定尚未作出的记录不能公示`));
  }
  if (kind === 'licence') {
    const from = values.get('XK_YXQZ');
    const to = values.get('XK_YXQZI');
    if (from !== undefined && to !== undefined && from > to) {
      violations.push(violation('XK_YXQZI', 'VALIDITY_REVERSED', `“有效期至”${to}早于“有效期自”${from}`));
    }
    return;
  }
  for (const [field, label] of [
    ['CF_YXQ', '处罚有效期'],
    ['CF_GSJZQ', '公示截止期'],
  ] as const) {
    const day = values.get(field);
    if (day !== undefined && decision !== undefined && day < decision) {
      violations.push(violation(field, 'BEFORE_DECISION_DATE', `“${label}”${day}早于“处罚决定日期”${decision}`));
    }
  }
  // A fine without an amount cannot be checked or published; "0" is how spreadsheets say "left blank".
  if (categories?.includes('罚款') && !failed.has('CF_NR_FK')) {
    const fine = values.get('CF_NR_FK');
    if (fine === undefined || !isPositiveAmount(fine)) {
      violations.push(violation('CF_NR_FK', 'FINE_AMOUNT_REQUIRED', '处罚类别包含“罚款”时，“罚款金额（万元）”须填写大于0的金额'));
    }
  }
}
