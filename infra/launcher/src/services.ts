import { spawn, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import * as grpc from '@grpc/grpc-js';
import { service as healthService } from 'grpc-health-check';

export interface ServiceSpec {
  /** Short name, also the database name suffix (credit_<name>). */
  name: string;
  title: string;
  /** Package whose bin starts the service. */
  pkg: string;
  bin: string;
  grpcPortEnv: string;
  grpcPort: number;
  metricsPortEnv: string;
  metricsPort: number;
  /** Node.js flags the service runs with here and in its Kubernetes ConfigMap (NODE_OPTIONS). */
  nodeFlags?: string[];
}

// Default ports from the README: catalog 50051, registry 50052, disclosures 50053, lists 50054, commitments 50055,
// publication 50056. Services join this list as they are built.
export const SERVICES: ServiceSpec[] = [
  {
    name: 'catalog',
    title: '公共信用信息目录 (catalog)',
    pkg: '@credit/catalog',
    bin: 'dist/main.js',
    grpcPortEnv: 'CATALOG_GRPC_PORT',
    grpcPort: 50051,
    metricsPortEnv: 'CATALOG_METRICS_PORT',
    metricsPort: 9461,
  },
  {
    name: 'registry',
    title: '统一社会信用代码 (registry)',
    pkg: '@credit/registry',
    bin: 'dist/main.js',
    grpcPortEnv: 'REGISTRY_GRPC_PORT',
    grpcPort: 50052,
    metricsPortEnv: 'REGISTRY_METRICS_PORT',
    metricsPort: 9462,
  },
  {
    name: 'disclosures',
    title: '双公示 (disclosures)',
    pkg: '@credit/disclosures',
    bin: 'dist/main.js',
    grpcPortEnv: 'DISCLOSURES_GRPC_PORT',
    grpcPort: 50053,
    metricsPortEnv: 'DISCLOSURES_METRICS_PORT',
    metricsPort: 9463,
  },
  {
    name: 'lists',
    title: '信用红黑名单 (lists)',
    pkg: '@credit/lists',
    bin: 'dist/main.js',
    grpcPortEnv: 'LISTS_GRPC_PORT',
    grpcPort: 50054,
    metricsPortEnv: 'LISTS_METRICS_PORT',
    metricsPort: 9464,
    // Check-log rows wait for their batch; a larger young generation lets them die young (BENCHMARKS.md).
    nodeFlags: ['--max-semi-space-size=32'],
  },
];

export interface RunningService {
  spec: ServiceSpec;
  address: string;
  process: ChildProcess;
  stop(): Promise<void>;
}

const require = createRequire(import.meta.url);

function entryOf(spec: ServiceSpec): string {
  return require.resolve(`${spec.pkg}/package.json`).replace(/package\.json$/, spec.bin);
}

export async function startService(spec: ServiceSpec, env: NodeJS.ProcessEnv, log: (line: string) => void): Promise<RunningService> {
  const grpcPort = Number(env[spec.grpcPortEnv] ?? spec.grpcPort);
  const child = spawn(process.execPath, ['--enable-source-maps', ...(spec.nodeFlags ?? []), entryOf(spec)], {
    env: { ...env, [spec.grpcPortEnv]: String(grpcPort) },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const address = `127.0.0.1:${grpcPort}`;
  const ready = waitServing(address, 30_000);
  const outcome = await Promise.race([ready.then(() => 'ready' as const), exited.then((code) => code)]);
  if (outcome !== 'ready') throw new Error(`${spec.title} 启动失败 (exit code ${outcome})`);
  log(`${spec.title}: gRPC ${address}`);
  return {
    spec,
    address,
    process: child,
    async stop() {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      await exited;
    },
  };
}

const HealthClient = grpc.makeGenericClientConstructor(healthService, 'Health') as unknown as new (
  address: string,
  credentials: grpc.ChannelCredentials,
) => grpc.Client & {
  check(req: { service: string }, options: grpc.CallOptions, cb: (err: unknown, res: { status?: string } | undefined) => void): void;
};

/** Polls grpc.health.v1 until the server says SERVING. */
export async function waitServing(address: string, timeoutMs: number): Promise<void> {
  const client = new HealthClient(address, grpc.credentials.createInsecure());
  const until = Date.now() + timeoutMs;
  try {
    for (;;) {
      const status = await new Promise<string | undefined>((resolve) =>
        client.check({ service: '' }, { deadline: Date.now() + 1_000 }, (err: unknown, res: { status?: string } | undefined) =>
          resolve(err ? undefined : res?.status),
        ),
      );
      if (status === 'SERVING') return;
      if (Date.now() > until) throw new Error(`${address} not serving after ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 100));
    }
  } finally {
    client.close();
  }
}
