// 信用分类监管: each rating sector grades entities on its own scale. The sector code is also the code of the
// department that owns the scale, so only that department may grade. Grade codes are short ASCII (the measure definitions accept
// [A-Za-z0-9+-]{1,8} in rating conditions); officers read the Chinese labels.
import { invalidArgument, permissionDenied, type FieldViolation } from '@credit/platform/errors';
import { checkEntityCode } from './definitions.js';

export interface RatingSector {
  /** 纳税信用等级 */
  label: string;
  /** Grade code → label, best grade first. */
  grades: Readonly<Record<string, string>>;
}

export const RATING_SECTORS: Readonly<Record<string, RatingSector>> = {
  tax: {
    label: '纳税信用等级',
    grades: { A: 'A级', B: 'B级', M: 'M级', C: 'C级', D: 'D级' },
  },
  customs: {
    label: '海关企业信用等级',
    grades: {
      'AEO-ADV': '高级认证企业（AEO高级认证）',
      'AEO-GEN': '一般认证企业',
      GENERAL: '一般信用企业',
      DISCRED: '失信企业',
    },
  },
  env: {
    label: '企业环境信用评价',
    grades: {
      GREEN: '绿牌（环保诚信）',
      BLUE: '蓝牌（环保良好）',
      YELLOW: '黄牌（环保警示）',
      RED: '红牌（环保不良）',
      BLACK: '黑牌（环保严重失信）',
    },
  },
};

export function sectorLabel(sector: string): string {
  return RATING_SECTORS[sector]?.label ?? sector;
}

export function gradeLabel(sector: string, grade: string): string {
  return RATING_SECTORS[sector]?.grades[grade] ?? grade;
}

export interface RatingInput {
  entityCode: string;
  sector: string;
  grade: string;
  validUntil?: Date;
}

/** The normalised rating, or INVALID_ARGUMENT naming every bad field. */
export function validateRating(input: RatingInput, now: Date): RatingInput {
  const violations: FieldViolation[] = [];
  const entity = checkEntityCode('entity_code', input.entityCode);
  if (entity.violation) violations.push(entity.violation);
  const sector = input.sector.trim();
  const scale = RATING_SECTORS[sector];
  if (sector === '') {
    violations.push({ field: 'sector', reason: 'REQUIRED', message: '信用分类领域必填' });
  } else if (!scale) {
    violations.push({
      field: 'sector',
      reason: 'UNKNOWN_SECTOR',
      message: `信用分类领域“${sector}”不存在，可选：${Object.entries(RATING_SECTORS).map(([k, v]) => `${k}（${v.label}）`).join('、')}`,
    });
  }
  const grade = input.grade.trim();
  if (grade === '') {
    violations.push({ field: 'grade', reason: 'REQUIRED', message: '信用等级必填' });
  } else if (scale && !(grade in scale.grades)) {
    violations.push({
      field: 'grade',
      reason: 'UNKNOWN_GRADE',
      message: `${scale.label}没有等级“${grade}”，可选：${Object.entries(scale.grades).map(([k, v]) => `${k}（${v}）`).join('、')}`,
    });
  }
  if (input.validUntil && input.validUntil.getTime() <= now.getTime()) {
    violations.push({ field: 'valid_until', reason: 'NOT_IN_FUTURE', message: '有效期截止时间必须晚于当前时间' });
  }
  if (violations.length > 0) throw invalidArgument(violations);
  return {
    entityCode: entity.code,
    sector,
    grade,
    ...(input.validUntil ? { validUntil: input.validUntil } : {}),
  };
}

/** Only the department that owns the sector's scale grades on it. */
export function assertMayRate(callerDepartment: string, sector: string): void {
  if (callerDepartment !== sector) {
    throw permissionDenied('NOT_SECTOR_OWNER', `只有${sectorLabel(sector)}的主管部门（${sector}）可以设定该领域的信用等级`);
  }
}
