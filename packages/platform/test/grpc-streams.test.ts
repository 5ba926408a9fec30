import * as grpc from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CodeVerdict,
  ImportEntitiesResponse,
  ImportOutcome,
  RegistryServiceClient,
  RegistryServiceService,
  ValidateCodesRequest,
  ValidateCodesResponse,
  type ImportEntitiesRequest,
} from '@credit/contracts/credit/registry/v1/registry.js';
import { invalidArgument } from '../src/errors.js';
import { createClient, createGrpcServer, reasonOf, violationsOf, type GrpcServer } from '../src/grpc/index.js';
import { TEST_TOKEN_SECRET, testToken } from '../src/testing/identity.js';
import { captureLogs } from './grpc-harness.js';

// A test-only service with the two stream shapes the registry contract does not use.
const StreamsService = {
  explain: {
    path: '/test.v1.Streams/Explain',
    requestStream: false,
    responseStream: true,
    requestSerialize: (v: ValidateCodesRequest) => Buffer.from(ValidateCodesRequest.encode(v).finish()),
    requestDeserialize: (b: Buffer) => ValidateCodesRequest.decode(b),
    responseSerialize: (v: CodeVerdict) => Buffer.from(CodeVerdict.encode(v).finish()),
    responseDeserialize: (b: Buffer) => CodeVerdict.decode(b),
  },
  collect: {
    path: '/test.v1.Streams/Collect',
    requestStream: true,
    responseStream: false,
    requestSerialize: (v: CodeVerdict) => Buffer.from(CodeVerdict.encode(v).finish()),
    requestDeserialize: (b: Buffer) => CodeVerdict.decode(b),
    responseSerialize: (v: ValidateCodesResponse) => Buffer.from(ValidateCodesResponse.encode(v).finish()),
    responseDeserialize: (b: Buffer) => ValidateCodesResponse.decode(b),
  },
} satisfies grpc.ServiceDefinition;

type StreamsClient = grpc.Client & {
  explain(req: ValidateCodesRequest): grpc.ClientReadableStream<CodeVerdict>;
  collect(cb: (err: grpc.ServiceError | null, res: ValidateCodesResponse) => void): grpc.ClientWritableStream<CodeVerdict>;
};
const StreamsClient = grpc.makeGenericClientConstructor(StreamsService, 'test.v1.Streams') as unknown as new (
  address: string,
  credentials: grpc.ChannelCredentials,
  options?: Partial<grpc.ClientOptions>,
) => StreamsClient;

let server: GrpcServer;
let address: string;
const clients: grpc.Client[] = [];

beforeAll(async () => {
  server = createGrpcServer({ serviceName: 'streams-test', host: '127.0.0.1', port: 0, logger: captureLogs().logger, tokenSecret: TEST_TOKEN_SECRET });
  const { kit } = server;
  server.addService('credit.registry.v1.RegistryService', RegistryServiceService, {
    importEntities: kit.bidi<ImportEntitiesRequest, ImportEntitiesResponse>(async (call, ctx) => {
      for await (const message of call as AsyncIterable<ImportEntitiesRequest>) {
        const row = message.rows[0]!;
        if (row.entity?.uscc === 'poison') {
          throw invalidArgument([{ field: `rows[${row.row}].uscc`, reason: 'USCC_FORMAT', message: 'not a code' }]);
        }
        call.write(ImportEntitiesResponse.fromPartial({ results: [{ row: row.row, outcome: ImportOutcome.IMPORT_OUTCOME_CREATED, uscc: ctx.caller.department }] }));
      }
    }),
  });
  server.addService('test.v1.Streams', StreamsService, {
    explain: kit.serverStream<ValidateCodesRequest, CodeVerdict>(async (req, call, ctx) => {
      for (const code of req.codes) call.write(CodeVerdict.fromPartial({ code, message: ctx.caller.subject }));
    }),
    collect: kit.clientStream<CodeVerdict, ValidateCodesResponse>(async (call, ctx) => {
      const verdicts: CodeVerdict[] = [];
      for await (const verdict of call as AsyncIterable<CodeVerdict>) verdicts.push({ ...verdict, reason: ctx.caller.department });
      return { verdicts };
    }),
  });
  address = `127.0.0.1:${await server.start()}`;
});

afterAll(async () => {
  for (const client of clients) client.close();
  await server.shutdown(1_000);
});

function registry(token?: string): RegistryServiceClient {
  const client = createClient(RegistryServiceClient, address, token ? { token } : {});
  clients.push(client);
  return client;
}

function streams(token?: string): StreamsClient {
  const client = createClient(StreamsClient, address, token ? { token } : {});
  clients.push(client);
  return client;
}

/** Writes the rows, ends the stream and collects the answers, or the error status. */
function runImport(client: RegistryServiceClient, rows: ImportEntitiesRequest[]) {
  return new Promise<{ answers: ImportEntitiesResponse[]; error?: grpc.ServiceError }>((resolve) => {
    const answers: ImportEntitiesResponse[] = [];
    const call = client.importEntities();
    call.on('data', (answer: ImportEntitiesResponse) => answers.push(answer));
    call.on('error', (error: grpc.ServiceError) => resolve({ answers, error }));
    call.on('end', () => resolve({ answers }));
    for (const row of rows) call.write(row);
    call.end();
  });
}

const row = (n: number, uscc = 'ok'): ImportEntitiesRequest => ({
  rows: [{ row: n, entity: { uscc, name: 'n', kind: 1, registrationNumber: '', legalRepresentative: '', address: '', establishedOn: '' } }],
});

describe('gRPC bidirectional streams', () => {
  it('answers each row with the caller from the token', async () => {
    const { answers, error } = await runImport(registry(testToken({ department: 'amr' })), [row(1), row(2), row(3)]);
    expect(error).toBeUndefined();
    expect(answers.map((a) => [a.results[0]!.row, a.results[0]!.uscc])).toEqual([[1, 'amr'], [2, 'amr'], [3, 'amr']]);
  });

  it('ends the stream with the DomainError status and its violations', async () => {
    const { answers, error } = await runImport(registry(testToken()), [row(1), row(2, 'poison'), row(3)]);
    expect(answers.map((a) => a.results[0]!.row)).toEqual([1]);
    expect(error?.code).toBe(grpc.status.INVALID_ARGUMENT);
    expect(reasonOf(error)).toBe('USCC_FORMAT');
    expect(violationsOf(error)).toEqual([{ field: 'rows[2].uscc', reason: 'USCC_FORMAT', message: 'not a code' }]);
  });

  it('refuses a stream without credentials with UNAUTHENTICATED', async () => {
    const { answers, error } = await runImport(registry(), [row(1)]);
    expect(answers).toEqual([]);
    expect(error?.code).toBe(grpc.status.UNAUTHENTICATED);
  });
});

describe('gRPC server streams', () => {
  it('streams every message and then ends', async () => {
    const call = streams(testToken({ subject: 'clerk' })).explain({ codes: ['a', 'b'] });
    const received: CodeVerdict[] = [];
    for await (const verdict of call as AsyncIterable<CodeVerdict>) received.push(verdict);
    expect(received.map((v) => [v.code, v.message])).toEqual([['a', 'clerk'], ['b', 'clerk']]);
  });

  it('ends with UNAUTHENTICATED when the caller has no credentials', async () => {
    const call = streams().explain({ codes: ['a'] });
    const error = await new Promise<grpc.ServiceError>((resolve) => {
      call.on('error', resolve);
      call.on('data', () => {});
    });
    expect(error.code).toBe(grpc.status.UNAUTHENTICATED);
  });
});

describe('gRPC client streams', () => {
  it('reads every message and answers once with the caller from the token', async () => {
    const res = await new Promise<ValidateCodesResponse>((resolve, reject) => {
      const call = streams(testToken({ department: 'tax' })).collect((err, r) => (err ? reject(err) : resolve(r)));
      call.write(CodeVerdict.fromPartial({ code: 'a' }));
      call.write(CodeVerdict.fromPartial({ code: 'b' }));
      call.end();
    });
    expect(res.verdicts.map((v) => [v.code, v.reason])).toEqual([['a', 'tax'], ['b', 'tax']]);
  });
});
