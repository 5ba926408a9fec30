import { describe, expect, it } from 'vitest';
import { LICENCE_FIELDS, PENALTY_FIELDS, fieldForHeader } from './fields.js';

describe('double publicity fields', () => {
  it('gives every field a unique code and a unique Chinese header within its kind', () => {
    for (const fields of [LICENCE_FIELDS, PENALTY_FIELDS]) {
      expect(new Set(fields.map((f) => f.code)).size).toBe(fields.length);
      expect(new Set(fields.map((f) => f.name)).size).toBe(fields.length);
    }
  });

  it('finds a field by its code in any case or by its Chinese header with half-width brackets', () => {
    expect(fieldForHeader('penalty', 'cf_wsh')?.code).toBe('CF_WSH');
    expect(fieldForHeader('penalty', ' 罚款金额(万元) ')?.code).toBe('CF_NR_FK');
    expect(fieldForHeader('licence', '行政许可决定文书号')?.code).toBe('XK_WSH');
  });

  it('does not map a licence header onto a penalty record', () => {
    expect(fieldForHeader('penalty', 'XK_WSH')).toBeUndefined();
    expect(fieldForHeader('penalty', '许可类别')).toBeUndefined();
  });
});
