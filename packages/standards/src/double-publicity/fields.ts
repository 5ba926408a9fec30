// The national double publicity (双公示) data standard: the fields of a licence (行政许可, XK_) and of a penalty
// (行政处罚, CF_) record, with the Chinese column headers data officers use in their spreadsheets. One table, used by
// the catalog's default item schemas, by the file readers to map headers, and by record validation.

export type DisclosureKind = 'licence' | 'penalty';

/** How a field's value is checked. Code types are checked with their standard's check digits. */
export const FIELD_TYPES = ['text', 'date', 'decimal', 'enum', 'uscc', 'registration_number', 'organization_code', 'id_number'] as const;
export type FieldType = (typeof FIELD_TYPES)[number];

/** One field of a catalog item's records; the national tables below and every item's schema have this shape. */
export interface StandardField {
  /** The exchange format's field code, e.g. `CF_WSH`. */
  code: string;
  /** The column header in the national template, e.g. `行政处罚决定书文号`. */
  name: string;
  type: FieldType;
  required: boolean;
  maxLength: number;
  enumValues?: readonly string[];
  /** Personal information (a natural person's ID number): masked wherever it leaves for the public. */
  personal?: boolean;
  /** Not in the national standard: a regional field the platform needs (e.g. to compute publicity periods). */
  extension?: boolean;
}

/** 行政相对人类别 */
export const COUNTERPARTY_CATEGORIES = ['法人及非法人组织', '自然人', '个体工商户'] as const;

/** 证件类型 of a natural person or legal representative. */
export const ID_TYPES = ['身份证', '护照', '港澳居民来往内地通行证', '台湾居民来往大陆通行证', '外国人永久居留身份证'] as const;

/** 许可类别 */
export const LICENCE_CATEGORIES = ['普通', '特许', '认可', '核准', '登记', '其他'] as const;

/** 处罚类别; a record may carry several, separated by `;` or `；`. */
export const PENALTY_CATEGORIES = [
  '警告',
  '通报批评',
  '罚款',
  '没收违法所得',
  '没收非法财物',
  '暂扣许可证件',
  '降低资质等级',
  '吊销许可证件',
  '限制开展生产经营活动',
  '责令停产停业',
  '责令关闭',
  '限制从业',
  '行政拘留',
  '其他',
] as const;

/** 违法行为严重程度 (regional extension): decides the publicity period. */
export const SEVERITIES = ['轻微', '一般', '严重'] as const;

/** 许可状态: 1 valid, 2 invalid (the national code values are *unverified*; see standards.md). */
export const LICENCE_STATUSES = ['1', '2'] as const;

const text = (code: string, name: string, required: boolean, maxLength = 200): StandardField => ({ code, name, type: 'text', required, maxLength });

/** The counterparty (行政相对人) fields both kinds share, under the kind's prefix. */
function counterpartyFields(p: 'XK' | 'CF'): StandardField[] {
  return [
    text(`${p}_XDR_MC`, '行政相对人名称', true),
    { code: `${p}_XDR_LB`, name: '行政相对人类别', type: 'enum', required: true, maxLength: 16, enumValues: COUNTERPARTY_CATEGORIES },
    { code: `${p}_XDR_SHXYM`, name: '统一社会信用代码', type: 'uscc', required: false, maxLength: 18 },
    { code: `${p}_XDR_GSZC`, name: '工商注册号', type: 'registration_number', required: false, maxLength: 15 },
    { code: `${p}_XDR_ZZJG`, name: '组织机构代码', type: 'organization_code', required: false, maxLength: 10 },
    text(`${p}_XDR_SWDJ`, '税务登记号', false, 20),
    text(`${p}_XDR_SYDW`, '事业单位证书号', false, 20),
    text(`${p}_XDR_SHZZ`, '社会组织登记证号', false, 20),
    text(`${p}_FRDB`, '法定代表人', false, 50),
    { code: `${p}_FR_ZJLX`, name: '法定代表人证件类型', type: 'enum', required: false, maxLength: 32, enumValues: ID_TYPES },
    { code: `${p}_FR_ZJHM`, name: '法定代表人证件号码', type: 'id_number', required: false, maxLength: 64, personal: true },
    { code: `${p}_XDR_ZJLX`, name: '证件类型', type: 'enum', required: false, maxLength: 32, enumValues: ID_TYPES },
    { code: `${p}_XDR_ZJHM`, name: '证件号码', type: 'id_number', required: false, maxLength: 64, personal: true },
  ];
}

export const LICENCE_FIELDS: readonly StandardField[] = [
  ...counterpartyFields('XK'),
  text('XK_XKWS', '行政许可决定文书名称', true, 64),
  text('XK_WSH', '行政许可决定文书号', true, 64),
  { code: 'XK_XKLB', name: '许可类别', type: 'enum', required: true, maxLength: 16, enumValues: LICENCE_CATEGORIES },
  text('XK_XKZS', '许可证书名称', true, 64),
  text('XK_XKBH', '许可编号', false, 64),
  text('XK_NR', '许可内容', true, 4000),
  { code: 'XK_JDRQ', name: '许可决定日期', type: 'date', required: true, maxLength: 10 },
  { code: 'XK_YXQZ', name: '有效期自', type: 'date', required: true, maxLength: 10 },
  { code: 'XK_YXQZI', name: '有效期至', type: 'date', required: false, maxLength: 10 },
  text('XK_XKJG', '许可机关', true),
  { code: 'XK_XKJGDM', name: '许可机关统一社会信用代码', type: 'uscc', required: true, maxLength: 18 },
  { code: 'XK_ZT', name: '当前状态', type: 'enum', required: false, maxLength: 1, enumValues: LICENCE_STATUSES },
  text('XK_LYDW', '数据来源单位', true),
  { code: 'XK_LYDWDM', name: '数据来源单位统一社会信用代码', type: 'uscc', required: true, maxLength: 18 },
  text('XK_BZ', '备注', false, 512),
];

export const PENALTY_FIELDS: readonly StandardField[] = [
  ...counterpartyFields('CF'),
  text('CF_WSH', '行政处罚决定书文号', true, 64),
  text('CF_WFXW', '违法行为类型', true, 2000),
  text('CF_SY', '违法事实', true, 5000),
  text('CF_YJ', '处罚依据', true, 2000),
  { code: 'CF_CFLB', name: '处罚类别', type: 'enum', required: true, maxLength: 256, enumValues: PENALTY_CATEGORIES },
  text('CF_NR', '处罚内容', true, 4000),
  { code: 'CF_NR_FK', name: '罚款金额（万元）', type: 'decimal', required: false, maxLength: 20 },
  { code: 'CF_NR_WFFF', name: '没收违法所得、没收非法财物的金额（万元）', type: 'decimal', required: false, maxLength: 20 },
  text('CF_NR_ZKDX', '暂扣或吊销证照名称及编号', false, 200),
  { code: 'CF_JDRQ', name: '处罚决定日期', type: 'date', required: true, maxLength: 10 },
  { code: 'CF_YXQ', name: '处罚有效期', type: 'date', required: false, maxLength: 10 },
  { code: 'CF_GSJZQ', name: '公示截止期', type: 'date', required: false, maxLength: 10 },
  text('CF_CFJG', '处罚机关', true),
  { code: 'CF_CFJGDM', name: '处罚机关统一社会信用代码', type: 'uscc', required: true, maxLength: 18 },
  text('CF_SJLY', '数据来源单位', true),
  { code: 'CF_SJLYDM', name: '数据来源单位统一社会信用代码', type: 'uscc', required: true, maxLength: 18 },
  text('CF_BZ', '备注', false, 512),
  { code: 'CF_YZCD', name: '违法行为严重程度', type: 'enum', required: false, maxLength: 4, enumValues: SEVERITIES, extension: true },
  { code: 'CF_JYCX', name: '是否适用简易程序', type: 'enum', required: false, maxLength: 1, enumValues: ['是', '否'], extension: true },
];

export function standardFields(kind: DisclosureKind): readonly StandardField[] {
  return kind === 'licence' ? LICENCE_FIELDS : PENALTY_FIELDS;
}

/**
 * The field a column header names, for either spelling: the field code (`CF_WSH`, any case) or the Chinese header
 * (`行政处罚决定书文号`). Headers are compared after trimming and with full-width brackets folded to one form.
 */
export function fieldForHeader(kind: DisclosureKind, header: string): StandardField | undefined {
  return headerIndex(kind).get(foldHeader(header));
}

const indexes = new Map<DisclosureKind, Map<string, StandardField>>();

function headerIndex(kind: DisclosureKind): Map<string, StandardField> {
  let index = indexes.get(kind);
  if (!index) {
    index = new Map();
    for (const f of standardFields(kind)) {
      index.set(foldHeader(f.code), f);
      index.set(foldHeader(f.name), f);
    }
    indexes.set(kind, index);
  }
  return index;
}

function foldHeader(header: string): string {
  return header.trim().replace(/\(/g, '（').replace(/\)/g, '）').replace(/\s+/g, '').toUpperCase();
}
