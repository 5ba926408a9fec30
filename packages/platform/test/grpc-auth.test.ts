import { rejectionOf } from '../src/testing/rejection.js';
import * as grpc from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GetEntityRequest, GetEntityResponse, ValidateCodesRequest, ValidateCodesResponse } from '@credit/contracts/credit/registry/v1/registry.js';
import { signToken } from '../src/identity.js';
import { callUnary, reasonOf } from '../src/grpc/index.js';
import { TEST_TOKEN_SECRET, testToken } from '../src/testing/identity.js';
import { echoEntity, startRegistry, type Harness } from './grpc-harness.js';

let harness: Harness;
const seenRequestIds: string[] = [];

beforeAll(async () => {
  harness = await startRegistry((kit) => ({
    // The entity fields echo the caller the handler was given.
    getEntity: kit.unary<GetEntityRequest, GetEntityResponse>(async (_req, ctx) => {
      seenRequestIds.push(ctx.requestId);
      return {
        entity: echoEntity({ reportingDepartment: ctx.caller.department, name: ctx.caller.subject, address: ctx.caller.role }),
      };
    }),
    validateCodes: kit.unary<ValidateCodesRequest, ValidateCodesResponse>(
      async (_req, ctx) => ({ verdicts: [{ code: ctx.caller.subject, valid: true, type: 0, reason: ctx.caller.role, message: '' }] }),
      { public: true },
    ),
  }));
});

afterAll(async () => {
  await harness.close();
});

const failure = (promise: Promise<unknown>) => rejectionOf<grpc.ServiceError>(promise);

const get = (client: grpc.Client, metadata?: grpc.Metadata) =>
  callUnary<GetEntityRequest, GetEntityResponse>(client, 'getEntity', { key: { $case: 'uscc', value: 'x' } }, metadata);

describe('gRPC caller identity', () => {
  it('gives the handler the caller named in a valid bearer token', async () => {
    const client = harness.client({ token: testToken({ department: 'tax', role: 'department', subject: 'clerk-zhang' }) });
    const res = await get(client);
    expect(res.entity).toMatchObject({ reportingDepartment: 'tax', name: 'clerk-zhang', address: 'department' });
  });

  it('refuses a call without credentials with UNAUTHENTICATED', async () => {
    const err = await failure(get(harness.client()));
    expect(err.code).toBe(grpc.status.UNAUTHENTICATED);
    expect(reasonOf(err)).toBe('CREDENTIALS_MISSING');
  });

  it('refuses a tampered token with UNAUTHENTICATED', async () => {
    const [header, , signature] = testToken({ department: 'tax' }).split('.');
    const payload = Buffer.from(JSON.stringify({ sub: 'x', dept: 'court', role: 'office', exp: 9e9 })).toString('base64url');
    const err = await failure(get(harness.client({ token: `${header}.${payload}.${signature}` })));
    expect(err.code).toBe(grpc.status.UNAUTHENTICATED);
    expect(reasonOf(err)).toBe('TOKEN_SIGNATURE_INVALID');
  });

  it('refuses an expired token with UNAUTHENTICATED', async () => {
    const token = signToken({ department: 'tax', role: 'department', subject: 'x' }, TEST_TOKEN_SECRET, {
      now: new Date(Date.now() - 3_600_000),
      ttlSeconds: 60,
    });
    const err = await failure(get(harness.client({ token })));
    expect(err.code).toBe(grpc.status.UNAUTHENTICATED);
    expect(reasonOf(err)).toBe('TOKEN_EXPIRED');
  });

  it('refuses an authorization header that is not a bearer token', async () => {
    const metadata = new grpc.Metadata();
    metadata.set('authorization', 'Basic dXNlcjpwYXNz');
    const err = await failure(get(harness.client(), metadata));
    expect(err.code).toBe(grpc.status.UNAUTHENTICATED);
  });

  it('lets the anonymous public call a public method without credentials', async () => {
    const res = await callUnary<ValidateCodesRequest, ValidateCodesResponse>(harness.client(), 'ValidateCodes', { codes: [] });
    expect(res.verdicts[0]).toMatchObject({ code: 'anonymous', reason: 'public' });
  });

  it('still refuses bad credentials on a public method', async () => {
    const err = await failure(
      callUnary(harness.client({ token: 'not.a.token' }), 'validateCodes', { codes: [] }),
    );
    expect(err.code).toBe(grpc.status.UNAUTHENTICATED);
  });
});

describe('gRPC request id', () => {
  it('passes the client request id to the handler and echoes it in the response metadata', async () => {
    const client = harness.client({ token: testToken() });
    const metadata = new grpc.Metadata();
    metadata.set('x-request-id', 'req-42');
    const echoed = await new Promise<string | undefined>((resolve, reject) => {
      const call = client.getEntity({ key: { $case: 'uscc', value: 'x' } }, metadata, (err) => err && reject(err));
      call.on('metadata', (md: grpc.Metadata) => resolve(md.get('x-request-id')[0] as string | undefined));
    });
    expect(echoed).toBe('req-42');
    expect(seenRequestIds).toContain('req-42');
  });

  it('gives every call a request id even when the caller sent none', async () => {
    const before = seenRequestIds.length;
    const metadata = new grpc.Metadata();
    await get(harness.client({ token: testToken() }), metadata);
    // The client kit adds one; a bare client without it still gets one from the server.
    expect(seenRequestIds[before]).toMatch(/^[0-9a-f-]{36}$/);
  });
});
