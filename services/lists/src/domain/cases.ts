// 联合奖惩案例: plan §9 asks every department concerned to report at least one joint reward or punishment case per
// quarter. The departments concerned are those that own list types, those that implement measures, and the seven
// prefecture-level governments of the region.
import { invalidArgument, type FieldViolation } from '@credit/platform/errors';
import { isRealDate } from '@credit/standards';
import { checkEntityCode, ENTRY_ID } from './definitions.js';

export type CaseKindName = 'reward' | 'punishment';

/** The prefecture-level governments (地市人民政府) of Tibet, by the code of their administrative division. */
export const PREFECTURE_GOVERNMENTS: Readonly<Record<string, string>> = {
  gov_540100: '拉萨市',
  gov_540200: '日喀则市',
  gov_540300: '昌都市',
  gov_540400: '林芝市',
  gov_540500: '山南市',
  gov_540600: '那曲市',
  gov_542500: '阿里地区',
};

export const MAX_TITLE_CHARS = 100;
export const MAX_SUMMARY_CHARS = 4000;

export interface CaseInput {
  kind: CaseKindName | undefined;
  title: string;
  summary: string;
  entityCode: string;
  entryId: string;
  occurredOn: string;
}

export interface ValidCase {
  kind: CaseKindName;
  title: string;
  summary: string;
  /** '' when the case names no entity. */
  entityCode: string;
  /** '' when the case is about no list entry. */
  entryId: string;
  occurredOn: string;
  year: number;
  quarter: number;
}

function chars(s: string): number {
  return [...s].length;
}

/** `today` is the China calendar day (YYYY-MM-DD); a case cannot have happened after it. */
export function validateCase(input: CaseInput, today: string): ValidCase {
  const violations: FieldViolation[] = [];
  if (!input.kind) violations.push({ field: 'kind', reason: 'REQUIRED', message: '案例类型必填（守信联合激励或失信联合惩戒）' });
  const title = input.title.trim();
  if (title === '') violations.push({ field: 'title', reason: 'REQUIRED', message: '案例标题必填' });
  else if (chars(title) > MAX_TITLE_CHARS) {
    violations.push({ field: 'title', reason: 'FIELD_TOO_LONG', message: `案例标题不超过${MAX_TITLE_CHARS}个字符，实际${chars(title)}个` });
  }
  const summary = input.summary.trim();
  if (summary === '') violations.push({ field: 'summary', reason: 'REQUIRED', message: '案例摘要必填' });
  else if (chars(summary) > MAX_SUMMARY_CHARS) {
    violations.push({ field: 'summary', reason: 'FIELD_TOO_LONG', message: `案例摘要不超过${MAX_SUMMARY_CHARS}个字符，实际${chars(summary)}个` });
  }
  const entity = checkEntityCode('entity_code', input.entityCode.trim(), { optional: true });
  if (entity.violation) violations.push(entity.violation);
  const entityCode = entity.code;
  const entryId = input.entryId.trim().toLowerCase();
  if (entryId !== '' && !ENTRY_ID.test(entryId)) {
    violations.push({ field: 'entry_id', reason: 'MALFORMED', message: '名单条目编号格式不正确' });
  }
  const occurredOn = input.occurredOn.trim();
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(occurredOn);
  let year = 0;
  let quarter = 0;
  if (occurredOn === '') violations.push({ field: 'occurred_on', reason: 'REQUIRED', message: '案例发生日期必填（YYYY-MM-DD）' });
  else if (!m || !isRealDate(Number(m[1]), Number(m[2]), Number(m[3]))) {
    violations.push({ field: 'occurred_on', reason: 'MALFORMED', message: `“${occurredOn}”不是有效日期（YYYY-MM-DD）` });
  } else if (occurredOn > today) {
    violations.push({ field: 'occurred_on', reason: 'IN_FUTURE', message: `案例发生日期${occurredOn}晚于今天（${today}）` });
  } else {
    year = Number(m[1]);
    quarter = Math.floor((Number(m[2]) - 1) / 3) + 1;
  }
  if (violations.length > 0) throw invalidArgument(violations);
  return { kind: input.kind!, title, summary, entityCode, entryId, occurredOn, year, quarter };
}

export function validateQuarter(year: number, quarter: number): void {
  const violations: FieldViolation[] = [];
  if (!Number.isInteger(year) || year < 2000 || year > 2100) {
    violations.push({ field: 'year', reason: 'OUT_OF_RANGE', message: '年份应在2000至2100之间' });
  }
  if (!Number.isInteger(quarter) || quarter < 1 || quarter > 4) {
    violations.push({ field: 'quarter', reason: 'OUT_OF_RANGE', message: '季度应为1至4' });
  }
  if (violations.length > 0) throw invalidArgument(violations);
}

export interface DepartmentCaseCount {
  department: string;
  rewardCases: number;
  punishmentCases: number;
  met: boolean;
}

export interface CaseReport {
  year: number;
  quarter: number;
  departments: DepartmentCaseCount[];
  departmentsMet: number;
  departmentsExpected: number;
}

/**
 * Every expected department, met or not, plus any other department that reported (it counts as met but is not
 * expected). Sorted by department code.
 */
export function buildCaseReport(
  year: number,
  quarter: number,
  expected: Iterable<string>,
  counts: readonly { department: string; kind: CaseKindName; cases: number }[],
): CaseReport {
  const expectedSet = new Set(expected);
  for (const gov of Object.keys(PREFECTURE_GOVERNMENTS)) expectedSet.add(gov);
  const rows = new Map<string, DepartmentCaseCount>();
  const row = (department: string) => {
    let r = rows.get(department);
    if (!r) rows.set(department, (r = { department, rewardCases: 0, punishmentCases: 0, met: false }));
    return r;
  };
  for (const d of expectedSet) row(d);
  for (const c of counts) {
    const r = row(c.department);
    if (c.kind === 'reward') r.rewardCases += c.cases;
    else r.punishmentCases += c.cases;
  }
  const departments = [...rows.values()].sort((a, b) => (a.department < b.department ? -1 : 1));
  for (const r of departments) r.met = r.rewardCases + r.punishmentCases > 0;
  return {
    year,
    quarter,
    departments,
    departmentsMet: departments.filter((r) => r.met && expectedSet.has(r.department)).length,
    departmentsExpected: expectedSet.size,
  };
}
