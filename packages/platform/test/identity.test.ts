import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DomainError } from '../src/errors.js';
import { callerFromCertificate, requireRole, signToken, verifyToken, type Caller } from '../src/identity.js';

const SECRET = 'identity-test-secret';
const court: Caller = { department: 'court', role: 'department', subject: 'judge-li' };

function refusal(fn: () => unknown): DomainError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(DomainError);
    return err as DomainError;
  }
  throw new Error('expected a DomainError');
}

describe('signToken and verifyToken', () => {
  it('round-trips the caller through a signed token', () => {
    expect(verifyToken(signToken(court, SECRET), SECRET)).toEqual(court);
  });

  it('round-trips any caller', () => {
    const role = fc.constantFrom('department', 'office', 'sector', 'operator', 'public' as const);
    fc.assert(
      fc.property(fc.string(), role, fc.string({ minLength: 1 }), (department, r, subject) => {
        const caller: Caller = { department, role: r, subject };
        expect(verifyToken(signToken(caller, SECRET), SECRET)).toEqual(caller);
      }),
    );
  });

  it('produces a JWT-compatible HS256 token with an expiry', () => {
    const now = new Date('2025-06-01T00:00:00Z');
    const [header, payload, signature] = signToken(court, SECRET, { ttlSeconds: 60, now }).split('.');
    expect(JSON.parse(Buffer.from(header!, 'base64url').toString())).toEqual({ alg: 'HS256', typ: 'JWT' });
    expect(JSON.parse(Buffer.from(payload!, 'base64url').toString())).toMatchObject({
      sub: 'judge-li',
      dept: 'court',
      role: 'department',
      exp: now.getTime() / 1000 + 60,
    });
    expect(Buffer.from(signature!, 'base64url')).toHaveLength(32);
  });

  it('refuses a token signed with another secret', () => {
    const err = refusal(() => verifyToken(signToken(court, 'other-secret'), SECRET));
    expect(err.code).toBe('UNAUTHENTICATED');
    expect(err.reason).toBe('TOKEN_SIGNATURE_INVALID');
  });

  it('refuses a token whose payload was changed to another department', () => {
    const [header, , signature] = signToken(court, SECRET).split('.');
    const forged = Buffer.from(JSON.stringify({ sub: 'x', dept: 'tax', role: 'office', exp: 9e9 })).toString('base64url');
    const err = refusal(() => verifyToken(`${header}.${forged}.${signature}`, SECRET));
    expect(err.reason).toBe('TOKEN_SIGNATURE_INVALID');
  });

  it('refuses an expired token', () => {
    const issued = new Date('2025-01-01T00:00:00Z');
    const token = signToken(court, SECRET, { ttlSeconds: 60, now: issued });
    expect(verifyToken(token, SECRET, new Date(issued.getTime() + 59_000))).toEqual(court);
    const err = refusal(() => verifyToken(token, SECRET, new Date(issued.getTime() + 60_000)));
    expect(err.code).toBe('UNAUTHENTICATED');
    expect(err.reason).toBe('TOKEN_EXPIRED');
  });

  it('refuses an unsigned "alg: none" token', () => {
    const header = Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url');
    const payload = Buffer.from(JSON.stringify({ sub: 'x', dept: 'tax', role: 'office', exp: 9e9 })).toString('base64url');
    const err = refusal(() => verifyToken(`${header}.${payload}.`, SECRET));
    expect(err.reason).toBe('TOKEN_MALFORMED');
  });

  it('refuses a validly signed token with an unknown role', () => {
    const header = Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'JWT' })).toString('base64url');
    const payload = Buffer.from(JSON.stringify({ sub: 'x', dept: 'tax', role: 'root', exp: 9e9 })).toString('base64url');
    const signature = createHmac('sha256', SECRET).update(`${header}.${payload}`).digest('base64url');
    const err = refusal(() => verifyToken(`${header}.${payload}.${signature}`, SECRET));
    expect(err.reason).toBe('TOKEN_MALFORMED');
  });

  it('refuses arbitrary garbage as malformed without throwing anything else', () => {
    fc.assert(
      fc.property(fc.string(), (garbage) => {
        expect(refusal(() => verifyToken(garbage, SECRET)).code).toBe('UNAUTHENTICATED');
      }),
    );
  });
});

describe('callerFromCertificate', () => {
  it('reads department from O, role from OU and subject from CN', () => {
    expect(callerFromCertificate({ subject: { O: 'tax', OU: 'department', CN: 'tax-fep-01' } })).toEqual({
      department: 'tax',
      role: 'department',
      subject: 'tax-fep-01',
    });
  });

  it('picks the known role when the certificate has several OUs', () => {
    const caller = callerFromCertificate({ subject: { O: 'pboc', OU: ['Front-end', 'sector'], CN: 'pboc-1' } });
    expect(caller?.role).toBe('sector');
  });

  it('returns undefined for a certificate without a department or a known role', () => {
    expect(callerFromCertificate({ subject: { OU: 'department', CN: 'x' } })).toBeUndefined();
    expect(callerFromCertificate({ subject: { O: 'tax', OU: 'admin', CN: 'x' } })).toBeUndefined();
    expect(callerFromCertificate({})).toBeUndefined();
  });
});

describe('requireRole', () => {
  it('lets an allowed role through', () => {
    expect(() => requireRole(court, 'office', 'department')).not.toThrow();
  });

  it('refuses any other role with PERMISSION_DENIED', () => {
    const err = refusal(() => requireRole({ ...court, role: 'sector' }, 'office'));
    expect(err.code).toBe('PERMISSION_DENIED');
    expect(err.reason).toBe('ROLE_NOT_ALLOWED');
  });
});
