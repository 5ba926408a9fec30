/**
 * Registration authorities (登记管理部门, USCC position 1) and the entity types (机构类别, position 2) each may
 * issue. `entityTypes: 'any-digit'` means we are not sure of the full list and accept 1–9 rather than reject
 * legal codes.
 */
export interface Authority {
  name: string;
  entityTypes: Readonly<Record<string, string>> | 'any-digit';
}

export const AUTHORITIES: Readonly<Record<string, Authority>> = {
  '1': { name: '机构编制', entityTypes: { '1': '机关', '2': '事业单位', '3': '中央编办直接管理机构编制的群众团体', '9': '其他' } },
  '2': { name: '外交', entityTypes: 'any-digit' },
  '3': { name: '司法行政', entityTypes: 'any-digit' },
  '4': { name: '文化', entityTypes: 'any-digit' },
  '5': { name: '民政', entityTypes: { '1': '社会团体', '2': '民办非企业单位', '3': '基金会', '9': '其他' } },
  '6': { name: '旅游', entityTypes: 'any-digit' },
  '7': { name: '宗教', entityTypes: 'any-digit' },
  '8': { name: '工会', entityTypes: 'any-digit' },
  '9': { name: '工商', entityTypes: { '1': '企业', '2': '个体工商户', '3': '农民专业合作社' } },
  A: { name: '中央军委改革和编制办公室', entityTypes: 'any-digit' },
  N: { name: '农业', entityTypes: 'any-digit' },
  Y: { name: '其他', entityTypes: { '1': '其他' } },
};

export function entityTypeAllowed(authority: Authority, entityType: string): boolean {
  if (authority.entityTypes === 'any-digit') return /^[1-9]$/.test(entityType);
  return Object.hasOwn(authority.entityTypes, entityType);
}
