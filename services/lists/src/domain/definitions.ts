// List types (名单类型) and measures (联合奖惩措施): what they are and what a valid one looks like. Pure.
import { invalidArgument, type FieldViolation } from '@credit/platform/errors';
import { checkUscc } from '@credit/standards';

export type Colour = 'red' | 'black';
export type MeasureKind = 'reward' | 'punishment';

export interface ListType {
  code: string;
  name: string;
  colour: Colour;
  ownerDepartment: string;
  criteria: string;
  legalBasis: string;
  validityDays: number;
  noticeWorkingDays: number;
  objectionWorkingDays: number;
  feedbackWorkingDays: number;
}

export interface RatingCondition {
  sector: string;
  grades: string[];
}

export interface Measure {
  code: string;
  name: string;
  kind: MeasureKind;
  implementingDepartment: string;
  listTypes: string[];
  ratings: RatingCondition[];
  activities: string[];
  legalBasis: string;
}

// Codes, departments, sectors and activities become NATS subject tokens and durable names: no dots, no wildcards.
export const TOKEN = /^[a-z][a-z0-9_]{1,63}$/;
const GRADE = /^[A-Za-z0-9+-]{1,8}$/;
const MAX_NAME = 200;
const MAX_TEXT = 4000;
// About 27 years: a longer validity is a typing error, not a decision.
const MAX_VALIDITY_DAYS = 10_000;
const MAX_WORKING_DAYS = 365;

/** A list entry's id (a UUID); inputs naming one are checked against it. */
export const ENTRY_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The one check of an entity's unified social credit code (check characters included) in lists inputs: the normalised
 * code, or the violation to report on `field`. An empty value is REQUIRED, or '' when the field is optional.
 */
export function checkEntityCode(field: string, value: string, opts: { optional?: boolean } = {}): { code: string; violation?: FieldViolation } {
  if (value.trim() === '') {
    return opts.optional ? { code: '' } : { code: value, violation: { field, reason: 'REQUIRED', message: '统一社会信用代码必填' } };
  }
  const verdict = checkUscc(value);
  return verdict.valid ? { code: verdict.code } : { code: value, violation: { field, reason: verdict.reason, message: verdict.message } };
}

export class Violations {
  readonly list: FieldViolation[] = [];
  add(field: string, reason: string, message: string): void {
    this.list.push({ field, reason, message });
  }
  token(field: string, value: string, what: string): void {
    if (value === '') this.add(field, 'REQUIRED', `${what}必填`);
    else if (!TOKEN.test(value)) this.add(field, 'BAD_CODE', `${what}只能由小写字母、数字和下划线组成，以字母开头，2至64个字符`);
  }
  text(field: string, value: string, what: string, opts: { required?: boolean; max: number }): void {
    if (opts.required && value.trim() === '') this.add(field, 'REQUIRED', `${what}必填`);
    else if ([...value].length > opts.max) this.add(field, 'FIELD_TOO_LONG', `${what}不能超过${opts.max}个字符`);
    // PostgreSQL cannot store NUL and other control characters make records unreadable; line breaks are fine.
    else if (/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(value)) this.add(field, 'CONTROL_CHARACTER', `${what}含有不可见的控制字符`);
  }
  days(field: string, value: number, what: string, max: number): void {
    if (!Number.isInteger(value) || value < 0 || value > max) this.add(field, 'OUT_OF_RANGE', `${what}应为0至${max}之间的整数`);
  }
  throwIfAny(): void {
    if (this.list.length > 0) throw invalidArgument(this.list);
  }
}

/** Trims what people type and checks it; throws INVALID_ARGUMENT naming every bad field. */
export function validateListType(input: ListType): ListType {
  const t: ListType = {
    ...input,
    code: input.code.trim(),
    name: input.name.trim(),
    ownerDepartment: input.ownerDepartment.trim(),
    criteria: input.criteria.trim(),
    legalBasis: input.legalBasis.trim(),
  };
  const v = new Violations();
  v.token('list_type.code', t.code, '名单类型代码');
  v.text('list_type.name', t.name, '名单类型名称', { required: true, max: MAX_NAME });
  if (t.colour !== 'red' && t.colour !== 'black') v.add('list_type.colour', 'REQUIRED', '请指定红名单或黑名单');
  v.token('list_type.owner_department', t.ownerDepartment, '认定部门代码');
  v.text('list_type.criteria', t.criteria, '认定标准', { max: MAX_TEXT });
  v.text('list_type.legal_basis', t.legalBasis, '认定依据', { required: true, max: MAX_TEXT });
  v.days('list_type.validity_days', t.validityDays, '有效期天数', MAX_VALIDITY_DAYS);
  v.days('list_type.notice_working_days', t.noticeWorkingDays, '告知期工作日数', MAX_WORKING_DAYS);
  v.days('list_type.objection_working_days', t.objectionWorkingDays, '异议处理工作日数', MAX_WORKING_DAYS);
  v.days('list_type.feedback_working_days', t.feedbackWorkingDays, '反馈工作日数', MAX_WORKING_DAYS);
  v.throwIfAny();
  return t;
}

/** As validateListType; `knownListTypes` are the codes defined so far. */
export function validateMeasure(input: Measure, knownListTypes: ReadonlySet<string>): Measure {
  const m: Measure = {
    ...input,
    code: input.code.trim(),
    name: input.name.trim(),
    implementingDepartment: input.implementingDepartment.trim(),
    listTypes: [...new Set(input.listTypes.map((s) => s.trim()))],
    ratings: input.ratings.map((r) => ({ sector: r.sector.trim(), grades: [...new Set(r.grades.map((g) => g.trim()))] })),
    activities: [...new Set(input.activities.map((s) => s.trim()))],
    legalBasis: input.legalBasis.trim(),
  };
  const v = new Violations();
  v.token('measure.code', m.code, '措施代码');
  v.text('measure.name', m.name, '措施名称', { required: true, max: MAX_NAME });
  if (m.kind !== 'reward' && m.kind !== 'punishment') v.add('measure.kind', 'REQUIRED', '请指定激励或惩戒');
  v.token('measure.implementing_department', m.implementingDepartment, '实施部门代码');
  v.text('measure.legal_basis', m.legalBasis, '措施依据', { required: true, max: MAX_TEXT });
  if (m.listTypes.length === 0 && m.ratings.length === 0) {
    v.add('measure.list_types', 'REQUIRED', '措施至少应适用于一个名单类型或一个信用等级条件');
  }
  m.listTypes.forEach((code, i) => {
    if (!TOKEN.test(code)) v.token(`measure.list_types[${i}]`, code, '名单类型代码');
    else if (!knownListTypes.has(code)) v.add(`measure.list_types[${i}]`, 'UNKNOWN_LIST_TYPE', `名单类型“${code}”不存在`);
  });
  const sectors = new Set<string>();
  m.ratings.forEach((r, i) => {
    v.token(`measure.ratings[${i}].sector`, r.sector, '信用评级行业代码');
    if (sectors.has(r.sector)) v.add(`measure.ratings[${i}].sector`, 'DUPLICATE', `评级行业“${r.sector}”重复`);
    sectors.add(r.sector);
    if (r.grades.length === 0) v.add(`measure.ratings[${i}].grades`, 'REQUIRED', '至少指定一个信用等级');
    r.grades.forEach((g, j) => {
      if (!GRADE.test(g)) v.add(`measure.ratings[${i}].grades[${j}]`, 'BAD_GRADE', '信用等级只能由字母、数字和+-组成，不超过8个字符');
    });
  });
  m.activities.forEach((a, i) => v.token(`measure.activities[${i}]`, a, '业务事项代码'));
  v.throwIfAny();
  return m;
}
