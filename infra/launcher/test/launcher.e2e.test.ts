import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import type * as grpc from '@grpc/grpc-js';
import pg from 'pg';
import { RegistryServiceClient, type SearchEntitiesResponse } from '@credit/contracts/credit/registry/v1/registry.js';
import { callUnary, connectBus, createClient, verifyToken } from '@credit/platform';
import { cleanupBus, testNatsUrl, uniquePrefix, waitFor } from '@credit/platform/testing';
import { freePort } from '../src/ports.js';
import { SERVICES } from '../src/services.js';

const main = fileURLToPath(new URL('../dist/main.js', import.meta.url));
const serverUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const cleanups: Array<() => Promise<void>> = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c().catch(() => undefined);
});

describe('the launcher', () => {
  it('starts the services on given PostgreSQL and NATS, seeds the demo data once, and stops on SIGTERM', { timeout: 150_000 }, async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'credit-launcher-'));
    const dbPrefix = `t_launch_${process.pid}_`;
    const prefix = uniquePrefix();
    const natsUrl = await testNatsUrl();
    // Every service on a free port of its own, so the test never meets a platform already running here.
    const ports = Object.fromEntries(await Promise.all(SERVICES.map(async (s) => [s.name, await freePort()] as const)));
    const port = ports.registry!;
    cleanups.push(async () => rmSync(dataDir, { recursive: true, force: true }));
    cleanups.push(async () => {
      const admin = new pg.Client({ connectionString: serverUrl });
      await admin.connect();
      for (const s of SERVICES) await admin.query(`DROP DATABASE IF EXISTS "${dbPrefix}${s.name}" WITH (FORCE)`);
      await admin.end();
      const bus = await connectBus({ url: natsUrl, name: 'launcher-test', prefix });
      await cleanupBus(bus);
      await bus.close();
    });

    const run = () => {
      const output: string[] = [];
      const child = spawn(process.execPath, [main], {
        env: {
          ...process.env,
          DATABASE_URL: serverUrl,
          NATS_URL: natsUrl,
          NATS_SUBJECT_PREFIX: prefix,
          CREDIT_DATA_DIR: dataDir,
          CREDIT_DATABASE_PREFIX: dbPrefix,
          ...Object.fromEntries(SERVICES.flatMap((s) => [[s.grpcPortEnv, String(ports[s.name])], [s.metricsPortEnv, '0']])),
          LOG_LEVEL: 'warn',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
        // Its own process group: a failed test kills the launcher and the services it started, leaving no orphans.
        detached: true,
      });
      child.stdout.on('data', (d: Buffer) => output.push(d.toString()));
      child.stderr.on('data', (d: Buffer) => output.push(d.toString()));
      const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
      cleanups.push(async () => {
        if (child.exitCode === null) process.kill(-child.pid!, 'SIGKILL');
      });
      return { child, output, exited };
    };

    const first = run();
    const up = (r: ReturnType<typeof run>) =>
      waitFor(
        async () => {
          if (r.child.exitCode !== null) throw new Error(`launcher exited ${r.child.exitCode}:\n${r.output.join('')}`);
          return r.output.join('').includes('platform is up');
        },
        { timeoutMs: 60_000, message: 'launcher did not come up' },
      );
    await up(first);
    expect(first.output.join('')).toMatch(/新登记 14 个市场主体/);
    expect(first.output.join('')).toMatch(/已发布公共信用信息目录 2018版/);
    expect(first.output.join('')).toMatch(/新报送 5 条双公示记录/);

    expect(JSON.parse(readFileSync(join(dataDir, 'endpoints.json'), 'utf8'))).toEqual({
      ...Object.fromEntries(SERVICES.map((s) => [s.name, `127.0.0.1:${ports[s.name]}`])),
      nats: natsUrl,
    });
    const token = readFileSync(join(dataDir, 'dev-token'), 'utf8');
    const secret = readFileSync(join(dataDir, 'auth-secret'), 'utf8');
    expect(verifyToken(token, secret).department).toBe('amr');
    const client = createClient(RegistryServiceClient, `127.0.0.1:${port}`, { token });
    const found = await callUnary<unknown, SearchEntitiesResponse>(client as unknown as grpc.Client, 'searchEntities', {
      name: '拉萨',
      page: { pageSize: 50, pageToken: '' },
    });
    client.close();
    expect(found.entities.length).toBeGreaterThanOrEqual(4);

    first.child.kill('SIGTERM');
    expect(await first.exited).toBe(0);

    // A second start finds everything in place: nothing is registered twice.
    const second = run();
    await up(second);
    expect(second.output.join('')).toMatch(/新登记 0 个市场主体/);
    expect(second.output.join('')).toMatch(/已发布（第 1 版/);
    expect(second.output.join('')).toMatch(/新报送 0 条双公示记录/);
    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);
  });
});
