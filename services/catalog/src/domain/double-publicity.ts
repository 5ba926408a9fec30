import type { ItemDetails } from './item.js';
import { licenceSchema, penaltySchema } from './standard-schemas.js';

/** A department that owns double publicity items. */
export interface PublicityDepartment {
  /** Department code as in its credentials, e.g. 'amr'. */
  code: string;
  /** Full name, e.g. 西藏自治区市场监督管理局. */
  name: string;
}

/** The demo's regional departments. */
export const DEMO_DEPARTMENTS: readonly PublicityDepartment[] = [
  { code: 'amr', name: '西藏自治区市场监督管理局' },
  { code: 'tax', name: '国家税务总局西藏自治区税务局' },
  { code: 'env', name: '西藏自治区生态环境厅' },
  { code: 'transport', name: '西藏自治区交通运输厅' },
  { code: 'health', name: '西藏自治区卫生健康委员会' },
];

export const DEFAULT_CATALOG_LABEL = '2018版';

const LICENCE_BASIS = '《中华人民共和国行政许可法》；《国务院办公厅关于运用大数据加强对市场主体服务和监管的若干意见》（国办发〔2015〕51号）';
const PENALTY_BASIS = '《中华人民共和国行政处罚法》；《国务院办公厅关于运用大数据加强对市场主体服务和监管的若干意见》（国办发〔2015〕51号）';

/** Item codes of the default catalog: `<DEPT>-XK-001` (licence) and `<DEPT>-CF-001` (penalty), after the field prefixes. */
export const licenceItemCode = (department: string) => `${department.toUpperCase()}-XK-001`;
export const penaltyItemCode = (department: string) => `${department.toUpperCase()}-CF-001`;

/** The double publicity (双公示) items of each department: one licence and one penalty item, national schemas. */
export function defaultDoublePublicityItems(departments: readonly PublicityDepartment[] = DEMO_DEPARTMENTS): Array<ItemDetails & { ownerDepartment: string }> {
  return departments.flatMap((d) => [
    {
      ownerDepartment: d.code,
      code: licenceItemCode(d.code),
      name: `${d.name}行政许可信息`,
      level: 'region' as const,
      category: 'licence' as const,
      fields: licenceSchema(),
      disclosure: 'public' as const,
      updateFrequency: 'on_change' as const,
      legalBasis: LICENCE_BASIS,
    },
    {
      ownerDepartment: d.code,
      code: penaltyItemCode(d.code),
      name: `${d.name}行政处罚信息`,
      level: 'region' as const,
      category: 'penalty' as const,
      fields: penaltySchema(),
      disclosure: 'public' as const,
      updateFrequency: 'on_change' as const,
      legalBasis: PENALTY_BASIS,
    },
  ]);
}
