// The caller of an incoming call: from the verified client certificate when the server runs mutual TLS, else from
// a bearer token signed with the platform secret. Never from the request body.
import { unauthenticated } from '../errors.js';
import { callerFromCertificate, verifiedToken, type Caller } from '../identity.js';
import type { SurfaceCall } from './call-scope.js';

export const ANONYMOUS: Readonly<Caller> = Object.freeze({ department: '', role: 'public', subject: 'anonymous' });

const BEARER = /^Bearer\s+(\S+)$/i;

export interface ResolvedCaller {
  caller: Caller;
  /** When a bearer token stops holding; undefined for a certificate (checked by TLS at connect) or the public. */
  expiresAt: Date | undefined;
}

export function resolveCaller(
  call: SurfaceCall,
  tokenSecret: string,
  allowAnonymous: boolean,
): ResolvedCaller {
  const certificate = call.getAuthContext?.()?.sslPeerCertificate;
  const fromCertificate = certificate ? callerFromCertificate(certificate) : undefined;
  if (fromCertificate) return { caller: fromCertificate, expiresAt: undefined };

  const header = call.metadata.get('authorization')[0];
  if (header === undefined) {
    if (allowAnonymous) return { caller: { ...ANONYMOUS }, expiresAt: undefined };
    throw unauthenticated('CREDENTIALS_MISSING', 'this call needs a client certificate or a bearer token');
  }
  // Bad credentials are refused even on public methods: a client that sent them expects to be someone.
  const match = typeof header === 'string' ? BEARER.exec(header) : null;
  if (!match?.[1]) throw unauthenticated('TOKEN_MALFORMED', 'the authorization header is not "Bearer <token>"');
  return cachedVerification(match[1], tokenSecret);
}

// A system calls with the same token thousands of times; its signature is checked once. Entries are keyed by token
// and secret and still honour the token's expiry; the map is bounded (cleared when full: a refill costs one HMAC).
const VERIFIED_MAX = 10_000;
const verified = new Map<string, { secret: string; caller: Caller; expiresAtMs: number }>();

function cachedVerification(token: string, secret: string): ResolvedCaller {
  const hit = verified.get(token);
  if (hit && hit.secret === secret && hit.expiresAtMs > Date.now()) return { caller: { ...hit.caller }, expiresAt: new Date(hit.expiresAtMs) };
  const { caller, expiresAtMs } = verifiedToken(token, secret);
  if (verified.size >= VERIFIED_MAX) verified.clear();
  verified.set(token, { secret, caller, expiresAtMs });
  return { caller: { ...caller }, expiresAt: new Date(expiresAtMs) };
}
