import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as grpc from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GetEntityRequest, GetEntityResponse } from '@credit/contracts/credit/registry/v1/registry.js';
import { callUnary, type TlsFiles } from '../src/grpc/index.js';
import { testToken } from '../src/testing/identity.js';
import { echoEntity, startRegistry, type Harness } from './grpc-harness.js';

// A throwaway CA and certificates, made fresh for this run so no key material lives in the repository.
const dir = mkdtempSync(join(tmpdir(), 'grpc-tls-test-'));
const file = (name: string) => join(dir, name);

function openssl(...args: string[]): void {
  execFileSync('openssl', args, { stdio: 'pipe' });
}

function issue(name: string, subject: string, extensions: string[]): void {
  openssl('req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', file(`${name}.key`),
    '-out', file(`${name}.csr`), '-subj', subject, ...extensions.flatMap((e) => ['-addext', e]));
  openssl('x509', '-req', '-in', file(`${name}.csr`), '-CA', file('ca.crt'), '-CAkey', file('ca.key'), '-CAcreateserial',
    '-days', '1', '-copy_extensions', 'copy', '-out', file(`${name}.crt`));
}

function makeCertificates(): void {
  openssl('req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1',
    '-keyout', file('ca.key'), '-out', file('ca.crt'), '-subj', '/O=credit-test/CN=Test CA');
  issue('server', '/O=platform/OU=operator/CN=registry', ['subjectAltName=DNS:localhost,IP:127.0.0.1', 'extendedKeyUsage=serverAuth']);
  issue('client', '/O=court/OU=department/CN=court-fep-01', ['extendedKeyUsage=clientAuth']);
  issue('nameless', '/CN=no-department', ['extendedKeyUsage=clientAuth']);
}

function tlsFiles(name: string): TlsFiles {
  return { rootCert: readFileSync(file('ca.crt')), certChain: readFileSync(file(`${name}.crt`)), privateKey: readFileSync(file(`${name}.key`)) };
}

let harness: Harness;

beforeAll(async () => {
  makeCertificates();
  harness = await startRegistry(
    (kit) => ({
      getEntity: kit.unary<GetEntityRequest, GetEntityResponse>(async (_req, ctx) => ({
        entity: echoEntity({ reportingDepartment: ctx.caller.department, address: ctx.caller.role, name: ctx.caller.subject }),
      })),
    }),
    { tls: tlsFiles('server') },
  );
});

afterAll(async () => {
  await harness?.close();
  rmSync(dir, { recursive: true, force: true });
});

const request: GetEntityRequest = { key: { $case: 'uscc', value: 'x' } };

describe('gRPC over mutual TLS', () => {
  it('takes the caller from the client certificate subject', async () => {
    const client = harness.client({ tls: tlsFiles('client'), serverName: 'localhost' });
    const res = await callUnary<GetEntityRequest, GetEntityResponse>(client, 'getEntity', request);
    expect(res.entity).toMatchObject({ reportingDepartment: 'court', address: 'department', name: 'court-fep-01' });
  });

  it('falls back to the bearer token when the certificate names no department', async () => {
    const client = harness.client({ tls: tlsFiles('nameless'), serverName: 'localhost', token: testToken({ department: 'tax', subject: 'clerk' }) });
    const res = await callUnary<GetEntityRequest, GetEntityResponse>(client, 'getEntity', request);
    expect(res.entity).toMatchObject({ reportingDepartment: 'tax', name: 'clerk' });
  });

  it('refuses a certificate without a department when no token is given', async () => {
    const client = harness.client({ tls: tlsFiles('nameless'), serverName: 'localhost' });
    await expect(callUnary(client, 'getEntity', request)).rejects.toMatchObject({ code: grpc.status.UNAUTHENTICATED });
  });

  it('refuses a client that presents no certificate at all', async () => {
    const creds = grpc.credentials.createSsl(readFileSync(file('ca.crt')));
    const Ctor = grpc.makeGenericClientConstructor({}, 'Raw');
    const client = new Ctor(harness.address, creds, { 'grpc.ssl_target_name_override': 'localhost' });
    try {
      const outcome = await new Promise<grpc.ServiceError | null>((resolve) =>
        client.makeUnaryRequest('/credit.registry.v1.RegistryService/GetEntity', () => Buffer.alloc(0), (b: Buffer) => b, {},
          new grpc.Metadata(), { deadline: Date.now() + 5_000 }, (err) => resolve(err)),
      );
      expect(outcome?.code).toBe(grpc.status.UNAVAILABLE);
    } finally {
      client.close();
    }
  });
});
