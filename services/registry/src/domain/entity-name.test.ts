import { describe, expect, it } from 'vitest';
import { nameSearchTokens, normalizeName, normalizedNameTokens } from './entity-name.js';

describe('normalizeName', () => {
  it('trims and collapses runs of spaces, including full-width ones', () => {
    expect(normalizeName('  西藏\u3000\u3000高原   天然水 有限公司 ')).toBe('西藏 高原 天然水 有限公司');
  });

  it('writes brackets in the full-width form without surrounding spaces, whichever form was typed', () => {
    expect(normalizeName('西藏某某有限公司 (拉萨)')).toBe('西藏某某有限公司（拉萨）');
    expect(normalizeName('西藏某某有限公司（拉萨）')).toBe('西藏某某有限公司（拉萨）');
    expect(normalizeName('西藏某某有限公司 （ 拉萨 ） ')).toBe('西藏某某有限公司（拉萨）');
  });

  it('folds full-width Latin letters and digits to their ordinary form', () => {
    expect(normalizeName('ＡＢＣ１２３商贸')).toBe('ABC123商贸');
  });
});

describe('nameSearchTokens', () => {
  it('returns the distinct pairs of adjacent characters of the name', () => {
    expect(nameSearchTokens('拉萨拉萨')).toEqual(['拉萨', '萨拉']);
  });

  it('does not join characters across spaces and brackets, so a character standing alone gives no token', () => {
    const tokens = nameSearchTokens('甜茶 馆（拉萨）');
    expect(tokens).toEqual(['甜茶', '拉萨']);
  });

  it('lower-cases Latin letters so that searches ignore case', () => {
    expect(nameSearchTokens('ABC')).toEqual(['ab', 'bc']);
  });

  it('counts characters outside the Basic Multilingual Plane as one character each', () => {
    expect(nameSearchTokens('𠀀𠀁商')).toEqual(['𠀀𠀁', '𠀁商']);
  });

  it('gives a query tokens contained in the tokens of every name that contains it', () => {
    const name = nameSearchTokens('西藏高原天然水有限公司（拉萨）');
    for (const query of ['高原天然水', '拉萨', '有限公司', '西藏']) {
      expect(nameSearchTokens(query).every((t) => name.includes(t)), query).toBe(true);
    }
    expect(nameSearchTokens('天然气').every((t) => name.includes(t))).toBe(false);
  });

  it('gives the same tokens for a name normalised beforehand (normalizedNameTokens)', () => {
    for (const name of ['西藏 高原（拉萨）ＡＢＣ', '  甜茶\u3000馆 (拉萨) ', 'ab-cd']) {
      expect(normalizedNameTokens(normalizeName(name))).toEqual(nameSearchTokens(name));
    }
  });

  it('returns nothing for a name of only spaces and punctuation, or of one character', () => {
    expect(nameSearchTokens(' （）, ')).toEqual([]);
    expect(nameSearchTokens('峰')).toEqual([]);
  });
});
