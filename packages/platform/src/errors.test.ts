import { describe, expect, it } from 'vitest';
import { DomainError, invalidArgument, notFound } from './errors.js';

describe('invalidArgument', () => {
  it('uses the reason of a single violation', () => {
    const err = invalidArgument([{ field: 'uscc', reason: 'USCC_CHECK_DIGIT', message: 'wrong check digit' }]);
    expect(err.code).toBe('INVALID_ARGUMENT');
    expect(err.reason).toBe('USCC_CHECK_DIGIT');
    expect(err.message).toBe('uscc: wrong check digit');
  });

  it('uses the generic reason and joins the messages for several violations', () => {
    const err = invalidArgument([
      { field: 'uscc', reason: 'USCC_CHECK_DIGIT', message: 'wrong check digit' },
      { field: 'name', reason: 'REQUIRED', message: 'is required' },
    ]);
    expect(err.reason).toBe('INVALID_ARGUMENT');
    expect(err.message).toBe('uscc: wrong check digit; name: is required');
    expect(err.violations).toHaveLength(2);
  });
});

describe('DomainError', () => {
  it('is an Error with code, reason and no violations by default', () => {
    const err = notFound('ENTITY_NOT_FOUND', 'no entity with this code');
    expect(err).toBeInstanceOf(Error);
    expect(err).toBeInstanceOf(DomainError);
    expect([err.code, err.reason, err.message, err.violations]).toEqual([
      'NOT_FOUND',
      'ENTITY_NOT_FOUND',
      'no entity with this code',
      [],
    ]);
  });
});
