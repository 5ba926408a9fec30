#!/usr/bin/env node
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureDatabase, signToken } from '@credit/platform';
import { seedCatalog } from './demo/catalog-demo.js';
import { seedDisclosures } from './demo/disclosures-demo.js';
import { seedLists, type ListsDemoResult } from './demo/lists-demo.js';
import { seedRegistry } from './demo/registry-demo.js';
import { NatsServerMissing, startNats } from './nats.js';
import { startPostgres } from './postgres.js';
import { startProcurement, type RunningProcurement } from './sector-example.js';
import { SERVICES, startService, type RunningService } from './services.js';

const log = (line: string) => console.log(`[launcher] ${line}`);
const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const dataDir = process.env.CREDIT_DATA_DIR ?? join(root, '.data');
mkdirSync(dataDir, { recursive: true });

// One secret for the local platform's tokens, made once and kept with the data.
function tokenSecret(): string {
  if (process.env.AUTH_TOKEN_SECRET) return process.env.AUTH_TOKEN_SECRET;
  const file = join(dataDir, 'auth-secret');
  if (!existsSync(file)) writeFileSync(file, randomBytes(32).toString('hex'), { mode: 0o600 });
  return readFileSync(file, 'utf8').trim();
}

const stops: Array<() => Promise<void>> = [];
let stopping = false;
async function stopAll(code: number): Promise<never> {
  if (!stopping) {
    stopping = true;
    log('正在停止 (stopping) …');
    for (const stop of stops.reverse()) await stop().catch((e: unknown) => log(String(e)));
  }
  process.exit(code);
}
process.on('SIGINT', () => void stopAll(0));
process.on('SIGTERM', () => void stopAll(0));

try {
  const secret = tokenSecret();
  const pg = await startPostgres(dataDir, log);
  stops.push(pg.stop);
  const nats = await startNats(dataDir, log);
  stops.push(nats.stop);

  const running: RunningService[] = [];
  for (const spec of SERVICES) {
    const databaseUrl = `${pg.serverUrl}/${process.env.CREDIT_DATABASE_PREFIX ?? 'credit_'}${spec.name}`;
    await ensureDatabase(databaseUrl);
    // Services started earlier are reachable as <NAME>_ADDRESS (e.g. CATALOG_ADDRESS for disclosures).
    const addresses = Object.fromEntries(running.map((s) => [`${s.spec.name.toUpperCase()}_ADDRESS`, s.address]));
    const env = { ...process.env, ...addresses, DATABASE_URL: databaseUrl, NATS_URL: nats.url, AUTH_TOKEN_SECRET: secret };
    const service = await startService(spec, env, log);
    running.push(service);
    stops.push(service.stop);
  }

  // A department token and the endpoints for the demo and the CLI (`credit` reads them from .data/).
  const devToken = signToken({ department: 'amr', role: 'department', subject: 'demo-officer' }, secret, { ttlSeconds: 30 * 24 * 3600 });
  writeFileSync(join(dataDir, 'dev-token'), devToken, { mode: 0o600 });
  const endpoints = Object.fromEntries([...running.map((s) => [s.spec.name, s.address]), ['nats', nats.url]]);
  writeFileSync(join(dataDir, 'endpoints.json'), JSON.stringify(endpoints, null, 2));
  const catalog = running.find((s) => s.spec.name === 'catalog');
  if (catalog) log(await seedCatalog(catalog.address, secret));
  const registry = running.find((s) => s.spec.name === 'registry');
  if (registry) log(`演示数据: 新登记 ${await seedRegistry(registry.address, devToken)} 个市场主体`);
  const disclosures = running.find((s) => s.spec.name === 'disclosures');
  if (disclosures) log(`演示数据: 新报送 ${await seedDisclosures(disclosures.address, devToken)} 条双公示记录`);
  const lists = running.find((s) => s.spec.name === 'lists');
  let procurement: RunningProcurement | undefined;
  let listsDemo: ListsDemoResult | undefined;
  if (lists) {
    listsDemo = await seedLists(lists.address, secret);
    for (const line of listsDemo.lines) log(line);
    // The example sector system after the platform, as a department's own system: its own database (not a platform
    // one, hence no credit_ prefix unless a prefix is asked for) and a token of department finance, role sector.
    const databaseUrl = `${pg.serverUrl}/${process.env.CREDIT_DATABASE_PREFIX ?? ''}procurement`;
    await ensureDatabase(databaseUrl);
    const token = signToken({ department: 'finance', role: 'sector', subject: 'procurement-system' }, secret, { ttlSeconds: 30 * 24 * 3600 });
    procurement = await startProcurement(
      { NATS_URL: nats.url, LISTS_ADDRESS: lists.address, PROCUREMENT_TOKEN: token, PROCUREMENT_DATABASE_URL: databaseUrl },
      log,
    );
    stops.push(procurement.stop);
  }

  log('信用信息共享与交换平台已启动 (platform is up):');
  for (const s of running) log(`  ${s.spec.title.padEnd(24)} ${s.address}`);
  log(`  NATS                     ${nats.url}`);
  if (procurement) log(`  政府采购示例系统 (sector)  ${procurement.url}   (POST /bids, GET /debarments)`);
  log('试一试 (try): npx credit entities search 拉萨   ·   npx credit codes check 91110000600037341L');
  log('            npx credit disclosures import infra/samples/penalties-sample.csv --item AMR-CF-001');
  if (procurement && listsDemo) {
    const bidder = listsDemo.blacklisted;
    const until = bidder.noticeEndsAt?.toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai' });
    log(
      bidder.effective
        ? `投标被拒 (a refused bid): ${bidder.name}已列入失信被执行人名单，投标将被拒绝：`
        : `投标被拒 (a refused bid): ${bidder.name}已被告知拟列入失信被执行人名单，告知期至 ${until ?? '届满'}，生效后投标将被拒绝：`,
    );
    log(
      `            curl -s -X POST ${procurement.url}/bids -H 'content-type: application/json' ` +
        `-d '{"entityCode":"${bidder.code}","tender":"XZCG-2026-018 拉萨市政府采购办公设备"}'`,
    );
    log('            → 403 {"accepted":false,"reason":"不予受理投标：该主体被列入「失信被执行人」…限制参与政府采购活动"}');
  }
  log('按 Ctrl+C 停止 (Ctrl+C stops everything)');
  const watched = [...running.map((s) => ({ title: s.spec.title, process: s.process }))];
  if (procurement) watched.push({ title: '政府采购示例系统', process: procurement.process });
  for (const s of watched) {
    s.process.once('exit', (code) => {
      if (!stopping) {
        log(`${s.title} 意外退出 (exited with ${code})`);
        void stopAll(1);
      }
    });
  }
} catch (err) {
  console.error(err instanceof NatsServerMissing ? err.message : err);
  await stopAll(1);
}
