import { describe, expect, it } from 'vitest';
import { validateBid } from './bids.js';

describe('validateBid', () => {
  it('accepts a well-formed bid and trims the tender', () => {
    expect(validateBid({ entityCode: '91540100MA6T1234XA', tender: ' ZFCG-1 ' })).toEqual({ entityCode: '91540100MA6T1234XA', tender: 'ZFCG-1' });
  });

  it.each([
    [null, ['entityCode', 'tender']],
    [{ entityCode: '91540100ma6t1234xa', tender: 'x' }, ['entityCode']],
    [{ entityCode: '91540100MA6T1234XO', tender: 'x' }, ['entityCode']],
    [{ entityCode: 915401, tender: 'x' }, ['entityCode']],
    [{ entityCode: '91540100MA6T1234XA', tender: 'x'.repeat(201) }, ['tender']],
    [{ entityCode: '91540100MA6T1234XA', tender: '   ' }, ['tender']],
  ])('refuses %j naming %j', (input, fields) => {
    const result = validateBid(input);
    expect(Array.isArray(result) && result.map((v) => v.field)).toEqual(fields);
  });
});
