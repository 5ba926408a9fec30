// The caller of an incoming call: from the verified client certificate when the server runs mutual TLS, else from
// a bearer token signed with the platform secret. Never from the request body.
import { unauthenticated } from '../errors.js';
import { callerFromCertificate, verifiedToken, type Caller } from '../identity.js';
import type { SurfaceCall } from './call-scope.js';

export const ANONYMOUS: Readonly<Caller> = Object.freeze({ department: '', role: 'public', subject: 'anonymous' });

const BEARER = /^Bearer\s+(\S+)$/i;

/** When the caller's credentials stop holding, and what to say then. */
export interface CredentialsExpiry {
  at: Date;
  reason: 'TOKEN_EXPIRED' | 'CERTIFICATE_EXPIRED';
}

const EXPIRED_MESSAGE: Record<CredentialsExpiry['reason'], string> = {
  TOKEN_EXPIRED: 'the token has expired',
  CERTIFICATE_EXPIRED: 'the client certificate has expired',
};

/** The refusal of a call, or the end of a stream, once the caller's credentials have expired. */
export function credentialsExpired(expiry: Pick<CredentialsExpiry, 'reason'>) {
  return unauthenticated(expiry.reason, EXPIRED_MESSAGE[expiry.reason]);
}

export interface ResolvedCaller {
  caller: Caller;
  /** Undefined for the public (and for a certificate whose end of validity cannot be read). */
  expires: CredentialsExpiry | undefined;
}

export function resolveCaller(
  call: SurfaceCall,
  tokenSecret: string,
  allowAnonymous: boolean,
): ResolvedCaller {
  const certificate = call.getAuthContext?.()?.sslPeerCertificate;
  const fromCertificate = certificate ? callerFromCertificate(certificate) : undefined;
  if (fromCertificate) {
    // TLS checked the certificate's dates when the connection was made, but an HTTP/2 connection (and a stream on it)
    // can outlive them by days: every call looks again.
    const endsAtMs = Date.parse(certificate!.valid_to ?? '');
    if (endsAtMs <= Date.now()) throw credentialsExpired({ reason: 'CERTIFICATE_EXPIRED' });
    return { caller: fromCertificate, expires: Number.isNaN(endsAtMs) ? undefined : { at: new Date(endsAtMs), reason: 'CERTIFICATE_EXPIRED' } };
  }

  const header = call.metadata.get('authorization')[0];
  if (header === undefined) {
    if (allowAnonymous) return { caller: { ...ANONYMOUS }, expires: undefined };
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
  if (hit && hit.secret === secret && hit.expiresAtMs > Date.now()) return { caller: { ...hit.caller }, expires: tokenExpiry(hit.expiresAtMs) };
  const { caller, expiresAtMs } = verifiedToken(token, secret);
  if (verified.size >= VERIFIED_MAX) verified.clear();
  verified.set(token, { secret, caller, expiresAtMs });
  return { caller: { ...caller }, expires: tokenExpiry(expiresAtMs) };
}

const tokenExpiry = (ms: number): CredentialsExpiry => ({ at: new Date(ms), reason: 'TOKEN_EXPIRED' });
