import { spawn, type ChildProcess, type StdioOptions } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type * as grpc from '@grpc/grpc-js';
import { RegistryServiceClient } from '@credit/contracts/credit/registry/v1/registry.js';
import { EntityKind, type EntityInput } from '@credit/contracts/credit/registry/v1/registry.js';
import { connectBus, createClient, createLogger, type Bus, type Caller, type CreditEvent } from '@credit/platform';
import { TEST_TOKEN_SECRET, cleanupBus, recordEvents, testDatabase, testNatsUrl, testToken, uniquePrefix } from '@credit/platform/testing';

export { freePort } from '@credit/platform/testing';
import { composeUscc } from '@credit/standards';
import { registrationNumberCheckDigit } from '../src/domain/index.js';
import { loadRegistryConfig, startRegistryService, type RunningRegistry } from '../src/service.js';

export const officer: Caller = { department: 'amr', role: 'department', subject: 'officer-1' };

export interface TestRegistry {
  running: RunningRegistry;
  client: RegistryServiceClient;
  /** A client calling as someone else. */
  clientAs(caller: Partial<Caller> | null): RegistryServiceClient;
  bus: Bus;
  prefix: string;
  databaseUrl: string;
  natsUrl: string;
  env: NodeJS.ProcessEnv;
  /** Events seen on credit.registry.v1.> since the start, in order. */
  events: CreditEvent[];
  stop(): Promise<void>;
}

/** A registry service in this process, on its own database and subject prefix, with an event recorder. */
export async function startTestRegistry(opts: { natsUrl?: string; databaseUrl?: string; prefix?: string } = {}): Promise<TestRegistry> {
  const db = opts.databaseUrl ? undefined : await testDatabase();
  const databaseUrl = opts.databaseUrl ?? db!.url;
  const natsUrl = opts.natsUrl ?? (await testNatsUrl());
  const prefix = opts.prefix ?? uniquePrefix();
  const env = {
    DATABASE_URL: databaseUrl,
    NATS_URL: natsUrl,
    NATS_SUBJECT_PREFIX: prefix,
    REGISTRY_GRPC_PORT: '0',
    REGISTRY_METRICS_PORT: '0',
    AUTH_TOKEN_SECRET: TEST_TOKEN_SECRET,
    LOG_LEVEL: 'warn',
  };
  const running = await startRegistryService(loadRegistryConfig(env), createLogger('registry-test', { level: 'warn' }));
  const address = `127.0.0.1:${running.grpcPort}`;
  const clients: grpc.Client[] = [];
  const clientAs = (caller: Partial<Caller> | null) => {
    const c = createClient(RegistryServiceClient, address, caller ? { token: testToken({ ...officer, ...caller }) } : {});
    clients.push(c);
    return c;
  };
  const bus = await connectBus({ url: natsUrl, name: 'registry-test-observer', prefix });
  const { events, stop: stopRecording } = recordEvents(bus, 'credit.registry.v1.>');
  return {
    running,
    client: clientAs(officer),
    clientAs,
    bus,
    prefix,
    databaseUrl,
    natsUrl,
    env,
    events,
    async stop() {
      stopRecording();
      clients.forEach((c) => c.close());
      await running.stop();
      await cleanupBus(bus);
      await bus.close();
      await db?.drop();
    },
  };
}

/** A valid USCC for test number n (check characters computed, so only what a test changes is wrong). */
export function uscc(n: number, opts: { type?: string; division?: string } = {}): string {
  const body = n < 1_000_000 ? `MA${String(n).padStart(6, '0')}` : String(n).padStart(8, '0');
  return composeUscc(opts.type ?? '91', opts.division ?? '540102', body);
}

export function registrationNumber(n: number, authority = '540102'): string {
  const first14 = `${authority}6${String(n).padStart(7, '0')}`;
  return first14 + registrationNumberCheckDigit(first14);
}

export function company(n: number, name = `拉萨雪域测试商贸有限公司${n}`): EntityInput {
  return {
    uscc: uscc(n),
    name,
    kind: EntityKind.ENTITY_KIND_LEGAL_PERSON,
    registrationNumber: '',
    legalRepresentative: '扎西',
    address: '',
    establishedOn: '2018-03-01',
  };
}

export function individualBusiness(n: number): EntityInput {
  return {
    uscc: '',
    name: `拉萨市城关区测试甜茶馆${n}`,
    kind: EntityKind.ENTITY_KIND_INDIVIDUAL_BUSINESS,
    registrationNumber: registrationNumber(n),
    legalRepresentative: '卓玛',
    address: '',
    establishedOn: '2015-06-01',
  };
}

/** The built service entry point (turbo builds the package before its tests and benches). */
export const REGISTRY_MAIN = fileURLToPath(new URL('../dist/main.js', import.meta.url));

/** Starts the real registry process on the given database, NATS and subject prefix. */
export function spawnRegistry(opts: {
  databaseUrl: string;
  natsUrl: string;
  prefix: string;
  port: number;
  nodeArgs?: string[];
  stdio?: StdioOptions;
  env?: NodeJS.ProcessEnv;
}): ChildProcess {
  return spawn(process.execPath, [...(opts.nodeArgs ?? []), REGISTRY_MAIN], {
    env: {
      ...process.env,
      DATABASE_URL: opts.databaseUrl,
      NATS_URL: opts.natsUrl,
      NATS_SUBJECT_PREFIX: opts.prefix,
      REGISTRY_GRPC_PORT: String(opts.port),
      REGISTRY_METRICS_PORT: '0',
      AUTH_TOKEN_SECRET: TEST_TOKEN_SECRET,
      ...opts.env,
    },
    stdio: opts.stdio ?? ['ignore', 'pipe', 'pipe'],
  });
}
