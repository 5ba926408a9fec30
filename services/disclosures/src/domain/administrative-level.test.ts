import { describe, expect, it } from 'vitest';
import { administrativeLevel, rollUpKey } from './administrative-level.js';

describe('administrativeLevel', () => {
  it('knows the region, prefectures and counties of Tibet', () => {
    expect(administrativeLevel('540000')).toBe('region');
    expect(administrativeLevel('540100')).toBe('prefecture');
    expect(administrativeLevel('542500')).toBe('prefecture');
    expect(administrativeLevel('540102')).toBe('county');
    expect(administrativeLevel('542521')).toBe('county');
  });

  it('has no level for codes outside the region or malformed codes', () => {
    expect(administrativeLevel('110000')).toBeUndefined();
    expect(administrativeLevel('5401')).toBeUndefined();
    expect(administrativeLevel('54010A')).toBeUndefined();
  });
});

describe('rollUpKey', () => {
  it('rolls a county up to its prefecture and the region', () => {
    expect(rollUpKey('540102')).toEqual({ level: 'county', region: '540000', prefecture: '540100', county: '540102' });
    expect(rollUpKey('542521')).toEqual({ level: 'county', region: '540000', prefecture: '542500', county: '542521' });
  });

  it('rolls a prefecture up to the region and the region to itself', () => {
    expect(rollUpKey('540200')).toEqual({ level: 'prefecture', region: '540000', prefecture: '540200', county: null });
    expect(rollUpKey('540000')).toEqual({ level: 'region', region: '540000', prefecture: null, county: null });
  });

  it('has no key outside the region', () => {
    expect(rollUpKey('440300')).toBeUndefined();
  });
});
