import { describe, expect, it } from 'vitest';
import { checkAnyCode } from './any-code.js';
import { registrationNumberCheckDigit } from './registration-number.js';

describe('checkAnyCode', () => {
  it('recognises a USCC', () => {
    expect(checkAnyCode('91110000600037341L')).toMatchObject({ valid: true, type: 'uscc' });
  });

  it('recognises an all-digit USCC that is not a resident ID', () => {
    expect(checkAnyCode('121200004013590816')).toMatchObject({ valid: true, type: 'uscc' });
  });

  it('recognises resident IDs', () => {
    expect(checkAnyCode('11010519491231002X')).toMatchObject({ valid: true, type: 'resident_id' });
    expect(checkAnyCode('360426199101010071')).toMatchObject({ valid: true, type: 'resident_id' });
  });

  it('reports resident ID reasons for a broken code shaped like a resident ID', () => {
    expect(checkAnyCode('360426199101010072')).toMatchObject({ valid: false, type: 'resident_id', reason: 'BAD_CHECK_DIGIT' });
  });

  it('reports USCC reasons for a broken 18-character code with letters', () => {
    expect(checkAnyCode('91110000600037341M')).toMatchObject({ valid: false, type: 'uscc', reason: 'BAD_CHECK_DIGIT' });
  });

  it('recognises a 15-digit registration number', () => {
    const number = '54010060000001';
    expect(checkAnyCode(number + registrationNumberCheckDigit(number))).toMatchObject({ valid: true, type: 'registration_number' });
  });

  it('recognises organisation codes with and without the dash', () => {
    expect(checkAnyCode('60003734-1')).toMatchObject({ valid: true, type: 'organization_code', code: '600037341' });
    expect(checkAnyCode('71526726X')).toMatchObject({ valid: true, type: 'organization_code' });
  });

  it('rejects other shapes without guessing a type', () => {
    const verdict = checkAnyCode('12345');
    expect(verdict).toMatchObject({ valid: false, reason: 'UNKNOWN_FORMAT' });
    expect(verdict.valid ? 'valid' : verdict.type).toBeUndefined();
    expect(checkAnyCode('')).toMatchObject({ valid: false, reason: 'UNKNOWN_FORMAT' });
  });
});
