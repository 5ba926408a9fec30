import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import type * as grpc from '@grpc/grpc-js';
import pg from 'pg';
import { EntryState, ListsServiceClient, type ListEntriesResponse, type ListSubscriptionsResponse } from '@credit/contracts/credit/lists/v1/lists.js';
import { RegistryServiceClient, type SearchEntitiesResponse } from '@credit/contracts/credit/registry/v1/registry.js';
import { callUnary, connectBus, createClient, signToken, verifyToken } from '@credit/platform';
import { cleanupBus, testNatsUrl, uniquePrefix, waitFor } from '@credit/platform/testing';
import { demoUscc } from '../src/demo/registry-demo.js';
import { freePort } from '../src/ports.js';
import { SERVICES } from '../src/services.js';

const main = fileURLToPath(new URL('../dist/main.js', import.meta.url));
const serverUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const cleanups: Array<() => Promise<void>> = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c().catch(() => undefined);
});

describe('the launcher', () => {
  it('starts the services and the procurement example on given PostgreSQL and NATS, seeds the demo data once, and stops on SIGTERM', { timeout: 150_000 }, async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'credit-launcher-'));
    const dbPrefix = `t_launch_${process.pid}_`;
    const prefix = uniquePrefix();
    const natsUrl = await testNatsUrl();
    // Every service on a free port of its own, so the test never meets a platform already running here.
    const ports = Object.fromEntries(await Promise.all(SERVICES.map(async (s) => [s.name, await freePort()] as const)));
    const procurementPort = await freePort();
    const port = ports.registry!;
    cleanups.push(async () => rmSync(dataDir, { recursive: true, force: true }));
    cleanups.push(async () => {
      const admin = new pg.Client({ connectionString: serverUrl });
      await admin.connect();
      for (const name of [...SERVICES.map((s) => s.name), 'procurement']) {
        await admin.query(`DROP DATABASE IF EXISTS "${dbPrefix}${name}" WITH (FORCE)`);
      }
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
          PROCUREMENT_HTTP_PORT: String(procurementPort),
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
          // The last line of the start-up summary: the summary is several writes, and its first can arrive alone.
          return r.output.join('').includes('Ctrl+C stops everything');
        },
        { timeoutMs: 60_000, message: 'launcher did not come up' },
      );
    await up(first);
    expect(first.output.join('')).toMatch(/新登记 14 个市场主体/);
    expect(first.output.join('')).toMatch(/已发布公共信用信息目录 2018版/);
    expect(first.output.join('')).toMatch(/新报送 5 条双公示记录/);
    expect(first.output.join('')).toMatch(/名单类型 5 个、联合奖惩措施 6 项为本次新定义；新提出列入 6 条/);

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

    expect(SERVICES.map((s) => s.name)).toContain('lists');
    expect(first.output.join('')).toContain(`信用红黑名单 (lists): gRPC 127.0.0.1:${ports.lists}`);

    // The lists demo went through: the owners' entries in their states, the office's measures provisioned finance.
    const lists = createClient(ListsServiceClient, `127.0.0.1:${ports.lists}`, { token });
    const entries = await callUnary<unknown, ListEntriesResponse>(lists as unknown as grpc.Client, 'listEntries', {
      page: { pageSize: 50, pageToken: '' },
      listType: '',
      state: EntryState.ENTRY_STATE_UNSPECIFIED,
      entityCode: '',
    });
    const states = Object.fromEntries(entries.entries.map((e) => [e.decisionDocument, e.state]));
    expect(states).toEqual({
      // 失信被执行人 has no notice period: the court's decision is in force when the debtor is notified.
      '（2026）藏0302执恢17号': EntryState.ENTRY_STATE_EFFECTIVE,
      '（2026）藏2521执58号': EntryState.ENTRY_STATE_OBJECTED,
      '藏税稽罚〔2026〕12号': EntryState.ENTRY_STATE_NOTIFIED,
      '藏应急罚〔2026〕8号': EntryState.ENTRY_STATE_NOTIFIED,
      '藏环信评〔2026〕3号': EntryState.ENTRY_STATE_REMOVED,
      // A red list without notice period takes effect when the subject is told.
      '藏税信评〔2026〕1号': EntryState.ENTRY_STATE_EFFECTIVE,
    });
    lists.close();
    // Defining the measures provisioned the durables the procurement example binds to.
    const finance = createClient(ListsServiceClient, `127.0.0.1:${ports.lists}`, {
      token: signToken({ department: 'finance', role: 'sector', subject: 'launcher-test' }, secret),
    });
    const subscriptions = await callUnary<unknown, ListSubscriptionsResponse>(finance as unknown as grpc.Client, 'listSubscriptions', {});
    finance.close();
    expect(subscriptions.subscriptions.map((x) => x.durable).sort()).toEqual(
      ['court_judgment_debtor', 'environment_blacklist', 'major_tax_violation', 'work_safety_blacklist'].map((t) => `sector_finance_${t}`),
    );

    // The procurement example answers on its port, runs the credit check, and refuses what it cannot read.
    const procurement = `http://127.0.0.1:${procurementPort}`;
    expect(first.output.join('')).toContain(`政府采购示例系统 (sector)  ${procurement}`);
    expect(first.output.join('')).toMatch(new RegExp(`curl -s -X POST ${procurement}/bids .*"entityCode":"91540302MA6T0005`));
    const bid = (body: unknown) =>
      fetch(`${procurement}/bids`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const clean = await bid({ entityCode: demoUscc('91', '540102', 1), tender: 'XZCG-2026-001' });
    expect(clean.status).toBe(201);
    expect(await clean.json()).toMatchObject({ accepted: true });
    // The court's debtor is refused, naming the list; the refusal is kept with its reason.
    const debtor = await bid({ entityCode: demoUscc('91', '540302', 5), tender: 'XZCG-2026-002' });
    expect(debtor.status).toBe(403);
    expect(JSON.stringify(await debtor.json())).toContain('失信被执行人');
    const bad = await bid({ entityCode: 'not a code', tender: '' });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { violations: Array<{ field: string }> }).violations.map((v) => v.field)).toEqual(['entityCode', 'tender']);
    expect((await fetch(`${procurement}/debarments`)).status).toBe(200);
    const procurementDb = new pg.Client({ connectionString: `${serverUrl.replace(/\/[^/]*$/, '')}/${dbPrefix}procurement` });
    await procurementDb.connect();
    const { rows } = await procurementDb.query<{ accepted: boolean; reason: string }>('SELECT accepted, reason FROM bids ORDER BY id');
    await procurementDb.end();
    expect(rows.map((r) => r.accepted)).toEqual([true, false]);
    expect(rows[1]?.reason).toContain('失信被执行人');

    first.child.kill('SIGTERM');
    expect(await first.exited).toBe(0);

    // A second start finds everything in place: nothing is registered twice.
    const second = run();
    await up(second);
    expect(second.output.join('')).toMatch(/新登记 0 个市场主体/);
    expect(second.output.join('')).toMatch(/已发布（第 1 版/);
    expect(second.output.join('')).toMatch(/新报送 0 条双公示记录/);
    expect(second.output.join('')).toMatch(/名单类型 0 个、联合奖惩措施 0 项为本次新定义；新提出列入 0 条/);
    expect(second.output.join('')).toContain(`政府采购示例系统 (sector)  http://127.0.0.1:${procurementPort}`);
    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);
  });
});
