import * as grpc from '@grpc/grpc-js';
import { describe, expect, it } from 'vitest';
import { DomainError } from '../errors.js';
import { signToken } from '../identity.js';
import { resolveCaller } from './caller.js';
import type { SurfaceCall } from './call-scope.js';

const SECRET = 'caller-test-secret-of-enough-length-0123456789';
const court = { subject: { O: 'court', OU: 'department', CN: 'court-fep-01' } };

/** Just what resolveCaller reads of a server call: the peer certificate or the authorization header. */
function callWith(opts: { certificate?: object; token?: string }): SurfaceCall {
  const metadata = new grpc.Metadata();
  if (opts.token) metadata.set('authorization', `Bearer ${opts.token}`);
  return { metadata, getAuthContext: () => ({ sslPeerCertificate: opts.certificate }) } as unknown as SurfaceCall;
}

const refusal = (fn: () => unknown): DomainError => {
  try {
    fn();
  } catch (err) {
    if (err instanceof DomainError) return err;
    throw err;
  }
  throw new Error('expected a refusal');
};

describe('resolveCaller', () => {
  it('takes a certificate caller with the end of the certificate validity as the expiry of its credentials', () => {
    const validTo = new Date(Date.now() + 3_600_000);
    const who = resolveCaller(callWith({ certificate: { ...court, valid_to: validTo.toUTCString() } }), SECRET, false);
    expect(who.caller).toEqual({ department: 'court', role: 'department', subject: 'court-fep-01' });
    expect(who.expires?.reason).toBe('CERTIFICATE_EXPIRED');
    expect(Math.abs(who.expires!.at.getTime() - validTo.getTime())).toBeLessThan(1_000);
  });

  it('refuses a call over a connection whose client certificate has expired since the handshake', () => {
    const err = refusal(() => resolveCaller(callWith({ certificate: { ...court, valid_to: 'Nov 26 08:00:00 2026 GMT' } }), SECRET, false));
    expect([err.code, err.reason]).toEqual(['UNAUTHENTICATED', 'CERTIFICATE_EXPIRED']);
  });

  it('gives a token caller the token expiry', () => {
    const token = signToken({ department: 'tax', role: 'department', subject: 'tax-officer' }, SECRET, { ttlSeconds: 600 });
    const who = resolveCaller(callWith({ token }), SECRET, false);
    expect(who.caller.department).toBe('tax');
    expect(who.expires?.reason).toBe('TOKEN_EXPIRED');
    expect(who.expires!.at.getTime()).toBeGreaterThan(Date.now() + 590_000);
  });
});

describe('answerWhileOpen', () => {
  it('ends a stream when the caller certificate stops being valid, naming the certificate', async () => {
    const { EventEmitter } = await import('node:events');
    const { answerWhileOpen } = await import('./answer-while-open.js');
    const call = Object.assign(new EventEmitter(), { pause() {}, resume() {}, write: () => true }) as unknown as grpc.ServerDuplexStream<string, string>;
    const ctx = {
      stopping: new AbortController().signal,
      signal: new AbortController().signal,
      credentialsExpire: { at: new Date(Date.now() + 50), reason: 'CERTIFICATE_EXPIRED' as const },
    } as unknown as Parameters<typeof answerWhileOpen>[1];
    const started = Date.now();
    const err = await answerWhileOpen(call, ctx, (q: string) => q).then(() => undefined, (e: unknown) => e as DomainError);
    expect([err?.code, err?.reason]).toEqual(['UNAUTHENTICATED', 'CERTIFICATE_EXPIRED']);
    expect(Date.now() - started).toBeGreaterThanOrEqual(40);
  });
});
