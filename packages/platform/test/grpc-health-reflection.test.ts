import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import * as grpc from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import { service as healthService } from 'grpc-health-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REGISTRY, startRegistry, type Harness } from './grpc-harness.js';

const require = createRequire(import.meta.url);
const descriptorSet = readFileSync(require.resolve('@credit/contracts/descriptors'));

let harness: Harness;

beforeAll(async () => {
  harness = await startRegistry(() => ({}), { descriptorSet });
});

afterAll(async () => {
  await harness.close();
});

type HealthClient = grpc.Client & {
  check(req: { service: string }, cb: (err: grpc.ServiceError | null, res: { status: string }) => void): void;
};

function healthClient(): HealthClient {
  const Ctor = grpc.makeGenericClientConstructor(healthService as grpc.ServiceDefinition, 'Health');
  return new Ctor(harness.address, grpc.credentials.createInsecure()) as unknown as HealthClient;
}

function check(client: HealthClient, service: string): Promise<string> {
  return new Promise((resolve, reject) =>
    client.check({ service }, (err, res) => (err ? reject(err) : resolve(res.status))),
  );
}

describe('gRPC health', () => {
  it('says SERVING for the server and each service, then NOT_SERVING after setServing(false)', async () => {
    const client = healthClient();
    try {
      expect(await check(client, '')).toBe('SERVING');
      expect(await check(client, REGISTRY)).toBe('SERVING');
      harness.server.setServing(false);
      expect(await check(client, '')).toBe('NOT_SERVING');
      expect(await check(client, REGISTRY)).toBe('NOT_SERVING');
      harness.server.setServing(true);
      expect(await check(client, '')).toBe('SERVING');
    } finally {
      client.close();
    }
  });

  it('answers NOT_FOUND for a service the server does not have', async () => {
    const client = healthClient();
    try {
      await expect(check(client, 'credit.nothing.v1.NothingService')).rejects.toMatchObject({
        code: grpc.status.NOT_FOUND,
      });
    } finally {
      client.close();
    }
  });
});

describe('gRPC reflection', () => {
  it('lists the registry service to a reflection client', async () => {
    const protoPath = require.resolve('@grpc/reflection/build/proto/grpc/reflection/v1/reflection.proto');
    const loaded = grpc.loadPackageDefinition(loadSync(protoPath, { keepCase: true }));
    const reflection = (loaded.grpc as grpc.GrpcObject).reflection as grpc.GrpcObject;
    const Ctor = (reflection.v1 as grpc.GrpcObject).ServerReflection as grpc.ServiceClientConstructor;
    const client = new Ctor(harness.address, grpc.credentials.createInsecure());
    try {
      const names = await new Promise<string[]>((resolve, reject) => {
        const call = (client as unknown as { ServerReflectionInfo(): grpc.ClientDuplexStream<unknown, unknown> })
          .ServerReflectionInfo();
        call.on('data', (res: { list_services_response?: { service: Array<{ name: string }> } }) => {
          resolve(res.list_services_response?.service.map((s) => s.name) ?? []);
          call.end();
        });
        call.on('error', reject);
        call.write({ list_services: '*' });
      });
      expect(names).toContain(REGISTRY);
    } finally {
      client.close();
    }
  });
});
