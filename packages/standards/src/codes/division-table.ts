/**
 * Administrative division codes (行政区划代码, GB/T 2260) accepted in codes. This is data, not logic:
 * extend it here when a province gains a restriction or a prefecture is added.
 *
 * `prefixes`, when present, restricts the 6-digit division code to those prefixes (a 6-digit prefix is an exact
 * code). Provinces without `prefixes` accept any 6 digits under their 2-digit code, because we do not carry the
 * full national table.
 */
export interface ProvinceEntry {
  name: string;
  prefixes?: readonly string[];
}

export const PROVINCES: Readonly<Record<string, ProvinceEntry>> = {
  '11': { name: '北京市' },
  '12': { name: '天津市' },
  '13': { name: '河北省' },
  '14': { name: '山西省' },
  '15': { name: '内蒙古自治区' },
  '21': { name: '辽宁省' },
  '22': { name: '吉林省' },
  '23': { name: '黑龙江省' },
  '31': { name: '上海市' },
  '32': { name: '江苏省' },
  '33': { name: '浙江省' },
  '34': { name: '安徽省' },
  '35': { name: '福建省' },
  '36': { name: '江西省' },
  '37': { name: '山东省' },
  '41': { name: '河南省' },
  '42': { name: '湖北省' },
  '43': { name: '湖南省' },
  '44': { name: '广东省' },
  '45': { name: '广西壮族自治区' },
  '46': { name: '海南省' },
  '50': { name: '重庆市' },
  '51': { name: '四川省' },
  '52': { name: '贵州省' },
  '53': { name: '云南省' },
  '54': {
    name: '西藏自治区',
    prefixes: [
      '540000', // 自治区本级
      '5401', // 拉萨市
      '5402', // 日喀则市
      '5403', // 昌都市
      '5404', // 林芝市
      '5405', // 山南市
      '5406', // 那曲市
      '5425', // 阿里地区
    ],
  },
  '61': { name: '陕西省' },
  '62': { name: '甘肃省' },
  '63': { name: '青海省' },
  '64': { name: '宁夏回族自治区' },
  '65': { name: '新疆维吾尔自治区' },
  '71': { name: '台湾省' },
  '81': { name: '香港特别行政区' },
  '82': { name: '澳门特别行政区' },
};

/** Codes outside any province: registrations made at national level (国家级). */
export const NATIONAL_DIVISIONS: readonly string[] = ['100000'];
