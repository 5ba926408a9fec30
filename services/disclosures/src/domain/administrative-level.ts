/** 行政层级: 自治区 (region), 市（地） (prefecture), 县（区） (county). */
export type AdministrativeLevel = 'region' | 'prefecture' | 'county';

export const REGION_CODE = '540000';

const TIBET_DIVISION = /^54\d{4}$/;

/**
 * The level of a Tibetan division code (GB/T 2260): 540000 is the region, 54xx00 a prefecture (e.g. 540100 拉萨市,
 * 542500 阿里地区), any other 54xxxx a county or district. Undefined for codes outside the region.
 */
export function administrativeLevel(divisionCode: string): AdministrativeLevel | undefined {
  if (!TIBET_DIVISION.test(divisionCode)) return undefined;
  if (divisionCode === REGION_CODE) return 'region';
  return divisionCode.endsWith('00') ? 'prefecture' : 'county';
}

/** Where figures of a division roll up to: the region, and the prefecture for a county or the prefecture itself. */
export interface RollUpKey {
  level: AdministrativeLevel;
  region: string;
  /** Null for the region itself. */
  prefecture: string | null;
  /** Null above county level. */
  county: string | null;
}

export function rollUpKey(divisionCode: string): RollUpKey | undefined {
  const level = administrativeLevel(divisionCode);
  if (level === undefined) return undefined;
  return {
    level,
    region: REGION_CODE,
    prefecture: level === 'region' ? null : `${divisionCode.slice(0, 4)}00`,
    county: level === 'county' ? divisionCode : null,
  };
}
