import { rejectionOf } from '../src/testing/rejection.js';
import * as grpc from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  UpdateEntityRequest,
  type GetEntityRequest,
  type GetEntityResponse,
  type RegisterEntityRequest,
  type RegisterEntityResponse,
  type UpdateEntityResponse,
} from '@credit/contracts/credit/registry/v1/registry.js';
import { invalidArgument, notFound } from '../src/errors.js';
import { callUnary, reasonOf, violationsOf } from '../src/grpc/index.js';
import { testToken } from '../src/testing/identity.js';
import { startRegistry, type Harness } from './grpc-harness.js';

let harness: Harness;
let client: grpc.Client;

const violations = [
  { field: 'entity.uscc', reason: 'USCC_CHECK_DIGIT', message: 'the check digit should be 8' },
  { field: 'entity.name', reason: 'REQUIRED', message: 'a name is required' },
];

beforeAll(async () => {
  harness = await startRegistry((kit) => ({
    registerEntity: kit.unary<RegisterEntityRequest, RegisterEntityResponse>(async () => {
      throw invalidArgument(violations);
    }),
    getEntity: kit.unary<GetEntityRequest, GetEntityResponse>(async () => {
      throw notFound('ENTITY_NOT_FOUND', 'no entity has this code');
    }),
    updateEntity: kit.unary<UpdateEntityRequest, UpdateEntityResponse>(async () => {
      throw new Error('connection to 10.0.0.7:5432 refused: password authentication failed for user credit');
    }),
  }));
  client = harness.client({ token: testToken() });
});

afterAll(async () => {
  await harness.close();
});

const failure = (promise: Promise<unknown>) => rejectionOf<grpc.ServiceError>(promise);

describe('gRPC error mapping', () => {
  it('sends an INVALID_ARGUMENT DomainError as code 3 with its violations', async () => {
    const err = await failure(callUnary(client, 'registerEntity', { requestId: 'r1' }));
    expect(err.code).toBe(3);
    expect(err.details).toBe('entity.uscc: the check digit should be 8; entity.name: a name is required');
    expect(reasonOf(err)).toBe('INVALID_ARGUMENT');
    expect(violationsOf(err)).toEqual(violations);
  });

  it('sends a NOT_FOUND DomainError as code 5 with its reason and message', async () => {
    const err = await failure(callUnary(client, 'getEntity', { key: { $case: 'uscc', value: 'x' } }));
    expect(err.code).toBe(grpc.status.NOT_FOUND);
    expect(err.details).toBe('no entity has this code');
    expect(reasonOf(err)).toBe('ENTITY_NOT_FOUND');
    expect(violationsOf(err)).toEqual([]);
  });

  it('sends an unexpected error as INTERNAL without leaking its message, and logs it', async () => {
    const err = await failure(callUnary(client, 'updateEntity', UpdateEntityRequest.fromPartial({ requestId: 'r2', uscc: 'x' })));
    expect(err.code).toBe(grpc.status.INTERNAL);
    expect(err.details).toBe('internal error');
    expect(JSON.stringify(err)).not.toContain('password');
    expect(err.metadata.get('x-request-id')).toHaveLength(1);
    const logged = harness.logs.find((l) => l.msg === 'call failed');
    expect(logged).toMatchObject({ method: 'credit.registry.v1.RegistryService/UpdateEntity' });
    expect(JSON.stringify(logged)).toContain('password authentication failed');
  });

  it('answers UNIMPLEMENTED for a method the service did not provide', async () => {
    const err = await failure(callUnary(client, 'validateCodes', { codes: [] }));
    expect(err.code).toBe(grpc.status.UNIMPLEMENTED);
  });
});

describe('violationsOf', () => {
  it('returns nothing for errors that carry no violations', () => {
    expect(violationsOf(new Error('x'))).toEqual([]);
    expect(violationsOf(undefined)).toEqual([]);
    const metadata = new grpc.Metadata();
    metadata.set('violations-bin', Buffer.from('not json'));
    expect(violationsOf({ metadata })).toEqual([]);
  });
});
