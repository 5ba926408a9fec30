// Who is calling. Identity comes from the transport (client certificate) or a signed token, NEVER from a request
// body field: a department must not be able to write records as another department by editing a payload.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { permissionDenied, unauthenticated } from './errors.js';

/** office = the leading group office (领导小组办公室); sector = a sector system that applies measures. */
export type Role = 'department' | 'office' | 'sector' | 'operator' | 'public';

export const ROLES: readonly Role[] = ['department', 'office', 'sector', 'operator', 'public'];

export interface Caller {
  /** Department code, e.g. 'court', 'tax', 'amr'; empty for the anonymous public. */
  department: string;
  role: Role;
  subject: string;
}

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

const HEADER = base64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));
const DEFAULT_TTL_SECONDS = 3600;

function base64url(data: string | Buffer): string {
  return Buffer.from(data).toString('base64url');
}

function sign(input: string, secret: string): Buffer {
  return createHmac('sha256', secret).update(input).digest();
}

/** A compact HS256 token (JWT-compatible) with claims sub, dept, role, iat, exp. */
export function signToken(caller: Caller, secret: string, opts: { ttlSeconds?: number; now?: Date } = {}): string {
  const iat = Math.floor((opts.now ?? new Date()).getTime() / 1000);
  const exp = iat + (opts.ttlSeconds ?? DEFAULT_TTL_SECONDS);
  const payload = base64url(JSON.stringify({ sub: caller.subject, dept: caller.department, role: caller.role, iat, exp }));
  const input = `${HEADER}.${payload}`;
  return `${input}.${sign(input, secret).toString('base64url')}`;
}

function decodeJson(part: string): unknown {
  try {
    return JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
}

/** Throws DomainError UNAUTHENTICATED on a malformed, forged or expired token. */
export function verifyToken(token: string, secret: string, now: Date = new Date()): Caller {
  return verifiedToken(token, secret, now).caller;
}

/** verifyToken, also telling until when the token holds (for a cache of verified tokens). */
export function verifiedToken(token: string, secret: string, now: Date = new Date()): { caller: Caller; expiresAtMs: number } {
  const parts = token.split('.');
  if (parts.length !== 3) throw unauthenticated('TOKEN_MALFORMED', 'the token is malformed');
  const [header, payload, signature] = parts as [string, string, string];

  // Only HS256 is accepted, so "alg: none" and algorithm confusion are refused before anything else is trusted.
  const head = decodeJson(header) as { alg?: unknown } | undefined;
  if (!head || head.alg !== 'HS256') throw unauthenticated('TOKEN_MALFORMED', 'the token algorithm is not HS256');

  const expected = sign(`${header}.${payload}`, secret);
  const given = Buffer.from(signature, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    throw unauthenticated('TOKEN_SIGNATURE_INVALID', 'the token signature is invalid');
  }

  const claims = decodeJson(payload) as Record<string, unknown> | undefined;
  if (!claims || typeof claims !== 'object') throw unauthenticated('TOKEN_MALFORMED', 'the token payload is malformed');
  const { sub, dept, role, exp } = claims;
  if (typeof sub !== 'string' || sub === '' || typeof dept !== 'string' || !isRole(role) || typeof exp !== 'number') {
    throw unauthenticated('TOKEN_MALFORMED', 'the token claims are incomplete');
  }
  if (exp * 1000 <= now.getTime()) throw unauthenticated('TOKEN_EXPIRED', 'the token has expired');
  return { caller: { department: dept, role, subject: sub }, expiresAtMs: exp * 1000 };
}

function first(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/**
 * Reads the caller from a client certificate subject: O = department code, OU = role, CN = subject.
 * Returns undefined when the certificate does not name a department and a known role.
 */
export function callerFromCertificate(cert: { subject?: Record<string, string | string[] | undefined> }): Caller | undefined {
  const subject = cert.subject;
  if (!subject) return undefined;
  const department = first(subject.O);
  const units = subject.OU === undefined ? [] : Array.isArray(subject.OU) ? subject.OU : [subject.OU];
  const role = units.find(isRole);
  const name = first(subject.CN);
  if (!department || !role || !name) return undefined;
  return { department, role, subject: name };
}

/** Throws DomainError PERMISSION_DENIED unless the caller has one of the roles. */
export function requireRole(caller: Caller, ...roles: Role[]): void {
  if (roles.includes(caller.role)) return;
  throw permissionDenied(
    'ROLE_NOT_ALLOWED',
    `role "${caller.role}" may not do this; allowed: ${roles.join(', ') || 'none'}`,
  );
}
