import { describe, expect, it } from 'vitest';
import { LIMITS, sameDetails, validateEntity, type EntityInput, type ValidEntity } from './entity.js';
import { registrationNumberCheckDigit, usccCheckCharacter, USCC_PLACEHOLDER } from '@credit/standards';

const TODAY = new Date(2025, 5, 15);
const LHASA_REGISTRATION_NUMBER = '54010260000001' + registrationNumberCheckDigit('54010260000001');
const LHASA_FIRM = '91540100600037341' + usccCheckCharacter('91540100600037341');

function accepted(input: EntityInput): ValidEntity {
  const result = validateEntity(input, TODAY);
  if (!result.ok) throw new Error(`expected the entity to be valid: ${JSON.stringify(result.violations)}`);
  return result.entity;
}

function reasons(input: EntityInput): string[] {
  const result = validateEntity(input, TODAY);
  return result.ok ? [] : result.violations.map((v) => `${v.field}:${v.reason}`);
}

describe('validateEntity', () => {
  it('accepts a company and derives its organisation code and division from the USCC', () => {
    expect(
      accepted({
        uscc: ' 91110000600037341l ',
        name: '  中国石油化工股份有限公司 ',
        kind: 'legal_person',
        legalRepresentative: '马永生',
        address: '北京市朝阳区朝阳门北大街22号',
        establishedOn: '2000-02-25',
      }),
    ).toEqual({
      uscc: '91110000600037341L',
      name: '中国石油化工股份有限公司',
      kind: 'legal_person',
      registrationNumber: null,
      organizationCode: '600037341',
      divisionCode: '110000',
      legalRepresentative: '马永生',
      address: '北京市朝阳区朝阳门北大街22号',
      establishedOn: '2000-02-25',
    });
  });

  it('accepts an individual business with the placeholder and a registration number, dividing it by the number', () => {
    const entity = accepted({ uscc: USCC_PLACEHOLDER, name: '拉萨市城关区扎西甜茶馆', kind: 'individual_business', registrationNumber: LHASA_REGISTRATION_NUMBER });
    expect(entity).toMatchObject({ uscc: null, registrationNumber: LHASA_REGISTRATION_NUMBER, organizationCode: null, divisionCode: '540102' });
  });

  it('accepts an individual business with no USCC at all and a registration number', () => {
    expect(accepted({ name: '扎西甜茶馆', kind: 'individual_business', registrationNumber: LHASA_REGISTRATION_NUMBER }).uscc).toBeNull();
  });

  it('requires a registration number from an individual business without a USCC', () => {
    expect(reasons({ uscc: USCC_PLACEHOLDER, name: '扎西甜茶馆', kind: 'individual_business' })).toEqual(['registration_number:REQUIRED']);
  });

  it('rejects the placeholder for a legal person even with a registration number', () => {
    expect(reasons({ uscc: USCC_PLACEHOLDER, name: '某公司', kind: 'legal_person', registrationNumber: LHASA_REGISTRATION_NUMBER })).toEqual(['uscc:PLACEHOLDER']);
  });

  it('requires a USCC from organisations', () => {
    expect(reasons({ name: '某协会', kind: 'other_organization' })).toEqual(['uscc:REQUIRED']);
  });

  it('passes the code reason through when the USCC is invalid', () => {
    expect(reasons({ uscc: '91110000600037341M', name: '某公司', kind: 'legal_person' })).toEqual(['uscc:BAD_CHECK_DIGIT']);
  });

  it('rejects an invalid registration number even next to a valid USCC', () => {
    expect(reasons({ uscc: LHASA_FIRM, name: '某公司', kind: 'legal_person', registrationNumber: '540102600000010' })).toEqual([
      'registration_number:BAD_CHECK_DIGIT',
    ]);
  });

  it('keeps a valid registration number given together with a USCC', () => {
    expect(accepted({ uscc: LHASA_FIRM, name: '某公司', kind: 'legal_person', registrationNumber: LHASA_REGISTRATION_NUMBER })).toMatchObject({
      uscc: LHASA_FIRM,
      registrationNumber: LHASA_REGISTRATION_NUMBER,
      divisionCode: '540100',
    });
  });

  it('rejects a kind that contradicts the entity type in the USCC', () => {
    expect(reasons({ uscc: '92340602MA2PBMEM24', name: '某个体户', kind: 'legal_person' })).toEqual(['kind:KIND_MISMATCH']);
    expect(reasons({ uscc: '91110000600037341L', name: '某公司', kind: 'individual_business' })).toEqual(['kind:KIND_MISMATCH']);
    expect(reasons({ uscc: '121200004013590816', name: '某事业单位', kind: 'individual_business' })).toEqual(['kind:KIND_MISMATCH']);
  });

  it('accepts a 91 code for an unincorporated enterprise such as a partnership or a branch', () => {
    expect(accepted({ uscc: '91110000600037341L', name: '某合伙企业', kind: 'other_organization' }).kind).toBe('other_organization');
  });

  it('accepts a 93 code only for a legal person', () => {
    const coop = '93540100600037341' + usccCheckCharacter('93540100600037341');
    expect(accepted({ uscc: coop, name: '某农民专业合作社', kind: 'legal_person' }).uscc).toBe(coop);
    expect(reasons({ uscc: coop, name: '某农民专业合作社', kind: 'other_organization' })).toEqual(['kind:KIND_MISMATCH']);
  });

  it('collects every violation at once, with proto field names', () => {
    expect(
      reasons({
        uscc: '123',
        name: ' ',
        kind: undefined,
        registrationNumber: 'abc',
        legalRepresentative: '张'.repeat(LIMITS.legalRepresentative + 1),
        address: '地址\u0000',
        establishedOn: '2023-02-29',
      }),
    ).toEqual([
      'name:REQUIRED',
      'kind:REQUIRED',
      'registration_number:WRONG_LENGTH',
      'uscc:WRONG_LENGTH',
      'legal_representative:FIELD_TOO_LONG',
      'address:CONTROL_CHARACTER',
      'established_on:INVALID_DATE',
    ]);
  });

  it('rejects a kind outside the enumeration arriving at run time', () => {
    expect(reasons({ uscc: LHASA_FIRM, name: '某公司', kind: 'partnership' as never })).toEqual(['kind:UNKNOWN_KIND']);
  });

  it('gives every violation a message in Chinese', () => {
    const result = validateEntity({ name: '', kind: undefined, establishedOn: '2099-01-01' }, TODAY);
    expect(result.ok).toBe(false);
    for (const v of result.ok ? [] : result.violations) expect(v.message).toMatch(/\p{Script=Han}/u);
  });

  it('limits lengths in characters, counting a supplementary-plane character once', () => {
    const rare = '𠀀'; // one character, two UTF-16 units
    expect(accepted({ uscc: LHASA_FIRM, name: rare.repeat(LIMITS.name), kind: 'legal_person' }).name).toHaveLength(2 * LIMITS.name);
    expect(reasons({ uscc: LHASA_FIRM, name: rare.repeat(LIMITS.name + 1), kind: 'legal_person' })).toEqual(['name:FIELD_TOO_LONG']);
    expect(reasons({ uscc: LHASA_FIRM, name: '某公司', kind: 'legal_person', address: '路'.repeat(LIMITS.address + 1) })).toEqual(['address:FIELD_TOO_LONG']);
  });

  it('rejects control characters such as a newline or a tab in a name', () => {
    expect(reasons({ uscc: LHASA_FIRM, name: '某\n公司', kind: 'legal_person' })).toEqual(['name:CONTROL_CHARACTER']);
    expect(reasons({ uscc: LHASA_FIRM, name: '某公司', kind: 'legal_person', legalRepresentative: '张\t三' })).toEqual([
      'legal_representative:CONTROL_CHARACTER',
    ]);
  });

  it('keeps injection-looking text as ordinary text, normalised like any other name', () => {
    const name = "Robert'); DROP TABLE entities;-- <script>alert(1)</script>";
    expect(accepted({ uscc: LHASA_FIRM, name, kind: 'legal_person' }).name).toBe("Robert'）; DROP TABLE entities;-- <script>alert（1）</script>");
  });

  it('accepts an establishment date of today and rejects tomorrow and impossible dates', () => {
    expect(accepted({ uscc: LHASA_FIRM, name: '某公司', kind: 'legal_person', establishedOn: '2025-06-15' }).establishedOn).toBe('2025-06-15');
    expect(reasons({ uscc: LHASA_FIRM, name: '某公司', kind: 'legal_person', establishedOn: '2025-06-16' })).toEqual(['established_on:FUTURE_DATE']);
    expect(reasons({ uscc: LHASA_FIRM, name: '某公司', kind: 'legal_person', establishedOn: '2025-13-01' })).toEqual(['established_on:INVALID_DATE']);
    expect(reasons({ uscc: LHASA_FIRM, name: '某公司', kind: 'legal_person', establishedOn: '2025/06/01' })).toEqual(['established_on:INVALID_DATE']);
  });

  it('turns empty optional fields into null', () => {
    expect(accepted({ uscc: LHASA_FIRM, name: '某公司', kind: 'legal_person', legalRepresentative: ' ', address: '', establishedOn: '' })).toMatchObject({
      legalRepresentative: null,
      address: null,
      establishedOn: null,
      registrationNumber: null,
    });
  });
});

describe('sameDetails', () => {
  const base = accepted({ uscc: LHASA_FIRM, name: '西藏某某有限公司（拉萨）', kind: 'legal_person', address: '拉萨市城关区' });

  it('treats a re-registration that differs only in spelling as the same details', () => {
    const again = accepted({ uscc: LHASA_FIRM.toLowerCase(), name: ' 西藏某某有限公司 (拉萨) ', kind: 'legal_person', address: '拉萨市城关区 ' });
    expect(sameDetails(base, again)).toBe(true);
  });

  it('tells apart entities that differ in any field', () => {
    expect(sameDetails(base, { ...base, address: '拉萨市堆龙德庆区' })).toBe(false);
    expect(sameDetails(base, { ...base, kind: 'other_organization' })).toBe(false);
    expect(sameDetails(base, { ...base, establishedOn: '2020-01-01' })).toBe(false);
    expect(sameDetails(base, { ...base, legalRepresentative: '张三' })).toBe(false);
  });
});
