import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LICENCE_FIELDS, PENALTY_FIELDS, USCC_PLACEHOLDER } from '@credit/standards';
import { validateRecord, type ValidationResult } from './validate-record.js';

const TODAY = '2024-10-08';
const AUTHORITY = '11540000MB0123457C';
const COMPANY = '91540100MA6T123477';
const INDIVIDUAL_BUSINESS = '92540102MA6T56788T';
const REGISTRATION_NUMBER = '540100600000011';
const ORGANIZATION_CODE = 'MA6T12347';
const RESIDENT_ID = '540102198001011239';

const penaltyFields = (overrides: Record<string, string | undefined> = {}): Record<string, string> =>
  withOverrides(
    {
      CF_XDR_MC: '拉萨某某商贸有限公司',
      CF_XDR_LB: '法人及非法人组织',
      CF_XDR_SHXYM: COMPANY,
      CF_WSH: '拉市监罚〔2024〕12号',
      CF_WFXW: '销售不合格商品',
      CF_SY: '经查，当事人销售不合格商品。',
      CF_YJ: '《中华人民共和国产品质量法》第四十九条',
      CF_CFLB: '警告;罚款',
      CF_NR: '警告，罚款人民币五千元',
      CF_NR_FK: '0.5',
      CF_JDRQ: '2024-09-30',
      CF_CFJG: '拉萨市市场监督管理局',
      CF_CFJGDM: AUTHORITY,
      CF_SJLY: '拉萨市市场监督管理局',
      CF_SJLYDM: AUTHORITY,
    },
    overrides,
  );

const licenceFields = (overrides: Record<string, string | undefined> = {}): Record<string, string> =>
  withOverrides(
    {
      XK_XDR_MC: '拉萨某某商贸有限公司',
      XK_XDR_LB: '法人及非法人组织',
      XK_XDR_SHXYM: COMPANY,
      XK_XKWS: '食品经营许可决定书',
      XK_WSH: '藏食许〔2024〕88号',
      XK_XKLB: '普通',
      XK_XKZS: '食品经营许可证',
      XK_NR: '预包装食品销售',
      XK_JDRQ: '2024/09/30',
      XK_YXQZ: '20241001',
      XK_YXQZI: '2029-09-30',
      XK_XKJG: '拉萨市市场监督管理局',
      XK_XKJGDM: AUTHORITY,
      XK_LYDW: '拉萨市市场监督管理局',
      XK_LYDWDM: AUTHORITY,
    },
    overrides,
  );

function withOverrides(base: Record<string, string>, overrides: Record<string, string | undefined>): Record<string, string> {
  const fields = { ...base };
  for (const [key, value] of Object.entries(overrides)) {
    if (value === undefined) delete fields[key];
    else fields[key] = value;
  }
  return fields;
}

const penalty = (overrides?: Record<string, string | undefined>) => validateRecord({ kind: 'penalty', fields: penaltyFields(overrides) }, PENALTY_FIELDS, TODAY);
const licence = (overrides?: Record<string, string | undefined>) => validateRecord({ kind: 'licence', fields: licenceFields(overrides) }, LICENCE_FIELDS, TODAY);

function violationsOf(result: ValidationResult) {
  if (result.ok) throw new Error('expected violations, got a valid record');
  return result.violations;
}

function reasonsFor(result: ValidationResult, field: string): string[] {
  return violationsOf(result)
    .filter((v) => v.field === field)
    .map((v) => v.reason);
}

describe('a valid penalty', () => {
  it('is normalised: categories as a list, fine as a decimal string, date as YYYY-MM-DD, severity 一般 by default', () => {
    const result = penalty({ CF_NR_FK: '00.50', CF_JDRQ: '2024/9/30', CF_XDR_SHXYM: ` ${COMPANY.toLowerCase()} ` });
    expect(result.ok).toBe(true);
    if (!result.ok || result.record.kind !== 'penalty') return;
    expect(result.record).toMatchObject({
      kind: 'penalty',
      categories: ['警告', '罚款'],
      fine: '0.5',
      confiscated: null,
      decisionDate: '2024-09-30',
      severity: '一般',
      simplifiedProcedure: false,
      counterparty: { category: '法人及非法人组织', name: '拉萨某某商贸有限公司', code: { type: 'uscc', value: COMPANY } },
    });
    expect(result.record.fields['CF_XDR_SHXYM']).toBe(COMPANY);
    expect(result.record.fields['CF_CFLB']).toBe('警告;罚款');
  });

  it('carries its identity: document number and authority USCC', () => {
    const result = penalty({ CF_WSH: '拉市监罚（２０２４） 12号' });
    expect(result.ok && result.record.identity).toEqual({
      kind: 'penalty',
      documentNumber: '拉市监罚(2024)12号',
      authorityCode: AUTHORITY,
      key: `penalty|${AUTHORITY}|拉市监罚(2024)12号`,
    });
  });

  it('accepts field codes in any case', () => {
    const fields = Object.fromEntries(Object.entries(penaltyFields()).map(([k, v]) => [k.toLowerCase(), v]));
    expect(validateRecord({ kind: 'penalty', fields }, PENALTY_FIELDS, TODAY).ok).toBe(true);
  });
});

describe('a valid licence', () => {
  it('reads its validity period from any accepted date form', () => {
    const result = licence();
    expect(result.ok).toBe(true);
    expect(result.ok && result.record).toMatchObject({ kind: 'licence', decisionDate: '2024-09-30', validFrom: '2024-10-01', validTo: '2029-09-30' });
  });
});

describe('field rules', () => {
  it('reports every missing required field by its code with the Chinese header in the message', () => {
    const violations = violationsOf(penalty({ CF_WSH: undefined, CF_SY: '  ' }));
    expect(violations).toEqual(
      expect.arrayContaining([
        { field: 'CF_WSH', reason: 'REQUIRED', message: '请填写“行政处罚决定书文号”' },
        { field: 'CF_SY', reason: 'REQUIRED', message: '请填写“违法事实”' },
      ]),
    );
  });

  it('rejects a field the catalog item does not have', () => {
    expect(reasonsFor(penalty({ XK_WSH: 'x' }), 'XK_WSH')).toEqual(['UNKNOWN_FIELD']);
  });

  it('rejects a field given twice under different spellings', () => {
    expect(reasonsFor(penalty({ cf_wsh: '另一个文号' }), 'CF_WSH')).toEqual(['DUPLICATE_FIELD']);
  });

  it('rejects text longer than the field allows', () => {
    expect(reasonsFor(penalty({ CF_WSH: '号'.repeat(65) }), 'CF_WSH')).toEqual(['FIELD_TOO_LONG']);
  });

  it('rejects a value outside an enum', () => {
    expect(reasonsFor(licence({ XK_XKLB: '特殊' }), 'XK_XKLB')).toEqual(['NOT_IN_ENUM']);
  });

  it('rejects an unknown penalty category and names it', () => {
    const violations = violationsOf(penalty({ CF_CFLB: '罚款；拘役' }));
    expect(violations).toEqual([expect.objectContaining({ field: 'CF_CFLB', reason: 'UNKNOWN_PENALTY_CATEGORY' })]);
    expect(violations[0]?.message).toContain('拘役');
  });

  it('rejects a formula in any text cell', () => {
    expect(reasonsFor(penalty({ CF_NR: '=HYPERLINK("http://x","点击")' }), 'CF_NR')).toEqual(['FORMULA_INJECTION']);
  });

  it('rejects control characters', () => {
    expect(reasonsFor(penalty({ CF_SY: '经查\u0000当事人' }), 'CF_SY')).toEqual(['CONTROL_CHARACTER']);
  });
});

describe('date rules', () => {
  it('rejects a decision date in the future', () => {
    const violations = violationsOf(penalty({ CF_JDRQ: '2024-10-09' }));
    expect(violations).toEqual([expect.objectContaining({ field: 'CF_JDRQ', reason: 'FUTURE_DATE' })]);
    expect(violations[0]?.message).toContain('处罚决定日期');
  });

  it('accepts a decision made today', () => {
    expect(penalty({ CF_JDRQ: TODAY }).ok).toBe(true);
  });

  it('rejects a date that does not exist', () => {
    expect(reasonsFor(penalty({ CF_JDRQ: '2023-02-29' }), 'CF_JDRQ')).toEqual(['INVALID_DATE']);
  });

  it('rejects a licence valid to a day before it is valid from', () => {
    expect(reasonsFor(licence({ XK_YXQZ: '2024-10-01', XK_YXQZI: '2024-09-30' }), 'XK_YXQZI')).toEqual(['VALIDITY_REVERSED']);
  });

  it('accepts a licence valid for one day', () => {
    expect(licence({ XK_YXQZ: '2024-10-01', XK_YXQZI: '2024-10-01' }).ok).toBe(true);
  });

  it('rejects a publicity end date before the decision', () => {
    expect(reasonsFor(penalty({ CF_GSJZQ: '2024-09-29' }), 'CF_GSJZQ')).toEqual(['BEFORE_DECISION_DATE']);
  });
});

describe('amount rules', () => {
  it('requires a fine above zero when the penalty includes 罚款', () => {
    expect(reasonsFor(penalty({ CF_NR_FK: undefined }), 'CF_NR_FK')).toEqual(['FINE_AMOUNT_REQUIRED']);
    expect(reasonsFor(penalty({ CF_NR_FK: '0.000' }), 'CF_NR_FK')).toEqual(['FINE_AMOUNT_REQUIRED']);
  });

  it('does not require a fine for a warning alone', () => {
    expect(penalty({ CF_CFLB: '警告', CF_NR_FK: undefined }).ok).toBe(true);
  });

  it('reports a malformed fine once, not also as missing', () => {
    expect(reasonsFor(penalty({ CF_NR_FK: '5e3' }), 'CF_NR_FK')).toEqual(['INVALID_AMOUNT']);
  });

  it('rejects more than 6 decimal places and negative amounts', () => {
    expect(reasonsFor(penalty({ CF_NR_FK: '0.1234567' }), 'CF_NR_FK')).toEqual(['TOO_MANY_DECIMALS']);
    expect(reasonsFor(penalty({ CF_NR_WFFF: '-2' }), 'CF_NR_WFFF')).toEqual(['NEGATIVE_AMOUNT']);
  });
});

describe('code rules', () => {
  it('names the code whose check digit is wrong', () => {
    const wrong = AUTHORITY.slice(0, 17) + (AUTHORITY.endsWith('C') ? 'D' : 'C');
    const violations = violationsOf(penalty({ CF_CFJGDM: wrong }));
    expect(violations).toEqual([expect.objectContaining({ field: 'CF_CFJGDM', reason: 'BAD_CHECK_DIGIT' })]);
    expect(violations[0]?.message).toContain('处罚机关统一社会信用代码');
  });

  it('does not accept the placeholder as an authority code', () => {
    expect(reasonsFor(penalty({ CF_CFJGDM: USCC_PLACEHOLDER }), 'CF_CFJGDM')).toEqual(['PLACEHOLDER']);
  });

  it('gives a natural person’s ID number in a company code field its own reason', () => {
    expect(reasonsFor(penalty({ CF_XDR_SHXYM: RESIDENT_ID }), 'CF_XDR_SHXYM')).toEqual(['NATURAL_PERSON_ID_IN_COMPANY_FIELD']);
    expect(reasonsFor(penalty({ CF_XDR_ZZJG: RESIDENT_ID }), 'CF_XDR_ZZJG')).toEqual(['NATURAL_PERSON_ID_IN_COMPANY_FIELD']);
  });

  it('checks a registration number and an organisation code by their standards', () => {
    expect(reasonsFor(penalty({ CF_XDR_GSZC: '540100600000012' }), 'CF_XDR_GSZC')).toEqual(['BAD_CHECK_DIGIT']);
    expect(reasonsFor(penalty({ CF_XDR_ZZJG: 'MA6T12348' }), 'CF_XDR_ZZJG')).toEqual(['BAD_CHECK_DIGIT']);
  });
});

describe('counterparty rules', () => {
  it('requires a USCC of a legal person', () => {
    expect(reasonsFor(penalty({ CF_XDR_SHXYM: undefined }), 'CF_XDR_SHXYM')).toEqual(['REQUIRED']);
  });

  it('accepts a legal person without a code by the placeholder and a registration number or organisation code', () => {
    const byNumber = penalty({ CF_XDR_SHXYM: USCC_PLACEHOLDER, CF_XDR_GSZC: REGISTRATION_NUMBER });
    expect(byNumber.ok && byNumber.record.counterparty.code).toEqual({ type: 'registration_number', value: REGISTRATION_NUMBER });
    const byOrganization = penalty({ CF_XDR_SHXYM: USCC_PLACEHOLDER, CF_XDR_ZZJG: 'ma6t1234-7' });
    expect(byOrganization.ok && byOrganization.record.counterparty.code).toEqual({ type: 'organization_code', value: ORGANIZATION_CODE });
  });

  it('rejects the placeholder alone for a legal person', () => {
    expect(reasonsFor(penalty({ CF_XDR_SHXYM: USCC_PLACEHOLDER }), 'CF_XDR_SHXYM')).toEqual(['PLACEHOLDER_WITHOUT_LEGACY_CODE']);
  });

  it('accepts an individual business by USCC or by registration number alone', () => {
    const byUscc = penalty({ CF_XDR_LB: '个体工商户', CF_XDR_SHXYM: INDIVIDUAL_BUSINESS });
    expect(byUscc.ok && byUscc.record.counterparty.code).toEqual({ type: 'uscc', value: INDIVIDUAL_BUSINESS });
    const byNumber = penalty({ CF_XDR_LB: '个体工商户', CF_XDR_SHXYM: undefined, CF_XDR_GSZC: REGISTRATION_NUMBER });
    expect(byNumber.ok && byNumber.record.counterparty.code).toEqual({ type: 'registration_number', value: REGISTRATION_NUMBER });
  });

  it('rejects an individual business with neither code', () => {
    expect(reasonsFor(penalty({ CF_XDR_LB: '个体工商户', CF_XDR_SHXYM: USCC_PLACEHOLDER }), 'CF_XDR_SHXYM')).toEqual(['REQUIRED']);
  });

  it('identifies a natural person by ID type and a checked resident ID number', () => {
    const result = penalty({ CF_XDR_LB: '自然人', CF_XDR_MC: '张某', CF_XDR_SHXYM: undefined, CF_XDR_ZJLX: '身份证', CF_XDR_ZJHM: RESIDENT_ID });
    expect(result.ok && result.record.counterparty).toEqual({
      category: '自然人',
      name: '张某',
      code: { type: 'id_number', idType: '身份证', value: RESIDENT_ID },
    });
  });

  it('requires ID type and number of a natural person', () => {
    const result = penalty({ CF_XDR_LB: '自然人', CF_XDR_SHXYM: undefined });
    expect(reasonsFor(result, 'CF_XDR_ZJLX')).toEqual(['REQUIRED']);
    expect(reasonsFor(result, 'CF_XDR_ZJHM')).toEqual(['REQUIRED']);
  });

  it('checks a resident ID number of a natural person by GB 11643', () => {
    const wrong = RESIDENT_ID.slice(0, 17) + (RESIDENT_ID.endsWith('9') ? '8' : '9');
    const result = penalty({ CF_XDR_LB: '自然人', CF_XDR_SHXYM: undefined, CF_XDR_ZJLX: '身份证', CF_XDR_ZJHM: wrong });
    expect(reasonsFor(result, 'CF_XDR_ZJHM')).toEqual(['BAD_CHECK_DIGIT']);
  });

  it('accepts a passport number of a natural person without the resident ID check', () => {
    const result = penalty({ CF_XDR_LB: '自然人', CF_XDR_SHXYM: undefined, CF_XDR_ZJLX: '护照', CF_XDR_ZJHM: 'e12345678' });
    expect(result.ok && result.record.counterparty.code).toEqual({ type: 'id_number', idType: '护照', value: 'E12345678' });
  });

  it('rejects a USCC on a natural person', () => {
    const result = penalty({ CF_XDR_LB: '自然人', CF_XDR_ZJLX: '身份证', CF_XDR_ZJHM: RESIDENT_ID });
    expect(reasonsFor(result, 'CF_XDR_SHXYM')).toEqual(['USCC_FOR_NATURAL_PERSON']);
  });

  it('requires the legal representative’s ID type when his ID number is given', () => {
    expect(reasonsFor(penalty({ CF_FR_ZJHM: RESIDENT_ID }), 'CF_FR_ZJLX')).toEqual(['REQUIRED']);
  });
});

describe('regional extension fields', () => {
  it('reads severity and the simplified procedure flag', () => {
    const result = penalty({ CF_YZCD: '严重', CF_JYCX: '是' });
    expect(result.ok && result.record.kind === 'penalty' && [result.record.severity, result.record.simplifiedProcedure]).toEqual(['严重', true]);
  });
});

describe('schema', () => {
  it('validates against the catalog item’s schema, not the full standard', () => {
    const schema = PENALTY_FIELDS.filter((f) => f.code !== 'CF_BZ');
    expect(reasonsFor(validateRecord({ kind: 'penalty', fields: penaltyFields({ CF_BZ: '备注' }) }, schema, TODAY), 'CF_BZ')).toEqual(['UNKNOWN_FIELD']);
  });

  it('applies a catalog item’s stricter requirement', () => {
    const schema = PENALTY_FIELDS.map((f) => (f.code === 'CF_BZ' ? { ...f, required: true } : f));
    expect(reasonsFor(validateRecord({ kind: 'penalty', fields: penaltyFields() }, schema, TODAY), 'CF_BZ')).toEqual(['REQUIRED']);
  });

  it('still requires the identity fields when a schema marks them optional', () => {
    const schema = PENALTY_FIELDS.map((f) => ({ ...f, required: false }));
    expect(reasonsFor(validateRecord({ kind: 'penalty', fields: penaltyFields({ CF_WSH: undefined }) }, schema, TODAY), 'CF_WSH')).toEqual(['REQUIRED']);
  });
});

describe('any input', () => {
  it('yields a record or violations naming schema fields or given keys, and never throws', () => {
    const codes = PENALTY_FIELDS.map((f) => f.code);
    const cell = fc.oneof(fc.string({ maxLength: 40 }), fc.constantFrom('', '=1', '\t', COMPANY, USCC_PLACEHOLDER, RESIDENT_ID, '2024-02-30', '1e3', '罚款'));
    fc.assert(
      fc.property(fc.dictionary(fc.oneof(fc.constantFrom(...codes), fc.string({ maxLength: 8 })), cell), (overrides) => {
        const fields = { ...penaltyFields(), ...overrides };
        const result = validateRecord({ kind: 'penalty', fields }, PENALTY_FIELDS, TODAY);
        if (result.ok) return;
        expect(result.violations.length).toBeGreaterThan(0);
        for (const v of result.violations) {
          expect(v.reason).toMatch(/^[A-Z][A-Z_]*$/);
          expect(codes.includes(v.field) || v.field in fields).toBe(true);
        }
      }),
      { numRuns: 300 },
    );
  });
});
