// Runs a real nats-server with the users and permissions of k8s/base/nats/configmap.yaml (the authorization part;
// the cluster and store settings of production stay out) and checks, as the sector system's own NATS user, what
// design.md promises: it pulls from and acks its own durables, publishes its own events, and can neither create a
// consumer, nor read another department's durable, nor speak for another department or for the platform.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { AckPolicy, jetstream, jetstreamManager, type JetStreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/nats-core';
import { connect } from '@nats-io/transport-node';
import { defaultListTypes, defaultMeasures, SectorSubscriptions } from '@credit/lists';
import { sectorInboxPrefix } from '@credit/sector-sdk';
import { freePort } from '../src/ports.js';

const configMap = fileURLToPath(new URL('../../../k8s/base/nats/configmap.yaml', import.meta.url));
const TIMEOUT_MS = 5_000;

// The durables the lists service provisions for the default measures, named and filtered by its own code (only the
// bus prefix is read, and production has none).
const provisioned = new SectorSubscriptions(undefined as never, { prefix: '' } as never, undefined as never);
const durablesOf = (department: string) =>
  defaultMeasures()
    .filter((m) => m.implementingDepartment === department)
    .flatMap((m) => provisioned.wanted(m, defaultListTypes()));
const finance = durablesOf('finance');
const transport = durablesOf('transport');
const FIRST = finance[0]!;

/** The `authorization { … }` block of the production nats.conf, verbatim. */
function authorizationPart(): string {
  const conf = (parse(readFileSync(configMap, 'utf8')) as { data: Record<string, string> }).data['nats.conf'] ?? '';
  // The block ends at the first line that closes it at its own indentation.
  const part = /^(\s*)authorization\s*\{[\s\S]*?^\1\}\s*$/m.exec(conf)?.[0];
  if (!part) throw new Error('nats.conf has no authorization block');
  return part;
}

function natsServerBinary(): string {
  const dirs = [...(process.env.PATH ?? '').split(delimiter), '/usr/sbin', '/usr/local/sbin'];
  const found = dirs.map((d) => join(d, 'nats-server')).find((p) => existsSync(p));
  if (!found) throw new Error('nats-server is not on PATH: this test runs the real server with the production users');
  return found;
}

const dir = mkdtempSync(join(tmpdir(), 'nats-permissions-'));
// nats.conf parses a $VARIABLE's value as a value: '0e5…' or '12k' would not be a string. A letter first keeps it one
// (k8s/README.md asks the same of the real Secrets).
const password = () => `pw-${randomBytes(16).toString('hex')}`;
const passwords = { platform: password(), sector_finance: password() };
let server: ChildProcess | undefined;
let url = '';
let platform: NatsConnection;
let platformJsm: JetStreamManager;
const connections: NatsConnection[] = [];

async function sectorFinance(): Promise<NatsConnection> {
  // Replies on finance's own inboxes, as the sector SDK sets them (sectorInboxPrefix).
  const nc = await connect({ servers: url, user: 'sector_finance', pass: passwords.sector_finance, name: 'sector-finance-test', inboxPrefix: sectorInboxPrefix('finance') });
  connections.push(nc);
  return nc;
}

beforeAll(async () => {
  const port = await freePort();
  const conf = join(dir, 'nats.conf');
  writeFileSync(conf, `listen: 127.0.0.1:${port}\njetstream { store_dir: "${join(dir, 'js')}" }\n${authorizationPart()}\n`);
  const proc = spawn(natsServerBinary(), ['-c', conf], {
    env: {
      ...process.env,
      PLATFORM_NATS_PASSWORD: passwords.platform,
      SECTOR_FINANCE_NATS_PASSWORD: passwords.sector_finance,
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  server = proc;
  await new Promise<void>((resolve, reject) => {
    let output = '';
    proc.stderr?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('Server is ready')) resolve();
    });
    proc.once('exit', (code) => reject(new Error(`nats-server exited (${code}):\n${output}`)));
  });
  url = `nats://127.0.0.1:${port}`;

  // The platform services connect without credentials, exactly as they do today.
  platform = await connect({ servers: url, user: 'platform', pass: passwords.platform, name: 'platform-test' });
  connections.push(platform);
  platformJsm = await jetstreamManager(platform);
  await platformJsm.streams.add({ name: 'CREDIT_EVENTS', subjects: ['credit.>'] });
  await platformJsm.streams.add({ name: 'SECTOR_EVENTS', subjects: ['sector.>'] });
  // What the lists service provisions for finance's and another department's measures.
  for (const sub of [...finance, ...transport]) {
    await platformJsm.consumers.add('CREDIT_EVENTS', { durable_name: sub.durable, ack_policy: AckPolicy.Explicit, filter_subject: sub.filterSubject });
  }
  await jetstream(platform).publish(FIRST.filterSubject.replace('*', 'entry_effective'), 'entry 1');
}, 30_000);

afterAll(async () => {
  for (const nc of connections) await nc.close().catch(() => undefined);
  if (server && server.exitCode === null) {
    const exited = new Promise((resolve) => server?.once('exit', resolve));
    server.kill('SIGTERM');
    await exited;
  }
  rmSync(dir, { recursive: true, force: true });
});

/** The server's refusal behind a failed request, or a note that it went through. */
async function refusal(attempt: Promise<unknown>): Promise<string> {
  try {
    await attempt;
    return 'allowed';
  } catch (err) {
    const cause = (err as { cause?: unknown }).cause;
    return String((cause instanceof Error ? cause : (err as Error)).message);
  }
}
const refusedPublishTo = (subject: string) => `Permissions Violation for Publish to "${subject}"`;

describe("the sector system's NATS user (sector_finance)", () => {
  it('is refused with a wrong password', async () => {
    await expect(connect({ servers: url, user: 'sector_finance', pass: 'wrong', reconnect: false })).rejects.toThrow(/Authorization/i);
    // No anonymous user: a client without credentials gets nothing, not the platform's rights.
    await expect(connect({ servers: url, reconnect: false })).rejects.toThrow(/Authorization/i);
  });

  it('looks up each durable provisioned for finance, pulls from it and acks, and the platform sees the ack', async () => {
    expect(finance.map((d) => d.durable)).toContain('sector_finance_court_judgment_debtor');
    const js = jetstream(await sectorFinance(), { timeout: TIMEOUT_MS });
    for (const { durable } of finance) {
      expect((await (await js.consumers.get('CREDIT_EVENTS', durable)).info(true)).name).toBe(durable);
    }
    const consumer = await js.consumers.get('CREDIT_EVENTS', FIRST.durable);
    const msg = await consumer.next({ expires: TIMEOUT_MS });
    expect(msg?.string()).toBe('entry 1');
    expect(await msg?.ackAck()).toBe(true);
    const info = await platformJsm.consumers.info('CREDIT_EVENTS', FIRST.durable);
    expect([info.num_ack_pending, info.ack_floor.stream_seq]).toEqual([0, 1]);
  });

  it("cannot look up, pull from or ack on another department's durable", async () => {
    const nc = await sectorFinance();
    const other = transport.find((d) => d.listType === FIRST.listType)!.durable;
    for (const subject of [
      `$JS.API.CONSUMER.INFO.CREDIT_EVENTS.${other}`,
      `$JS.API.CONSUMER.MSG.NEXT.CREDIT_EVENTS.${other}`,
      `$JS.ACK.CREDIT_EVENTS.${other}.1.1.1.1.0`,
    ]) {
      expect(await refusal(nc.request(subject, JSON.stringify({ batch: 1 }), { timeout: TIMEOUT_MS }))).toBe(refusedPublishTo(subject));
    }
    const info = await platformJsm.consumers.info('CREDIT_EVENTS', other);
    expect(info.delivered.stream_seq).toBe(0);
  });

  it('cannot create or delete consumers, nor touch streams', async () => {
    const jsm = await jetstreamManager(await sectorFinance(), { checkAPI: false, timeout: TIMEOUT_MS });
    expect(await refusal(jsm.consumers.add('CREDIT_EVENTS', { durable_name: 'sector_finance_mine', ack_policy: AckPolicy.Explicit }))).toBe(
      refusedPublishTo('$JS.API.CONSUMER.CREATE.CREDIT_EVENTS.sector_finance_mine'),
    );
    expect(await refusal(jsm.consumers.add('CREDIT_EVENTS', { ack_policy: AckPolicy.Explicit }))).toMatch(
      /^Permissions Violation for Publish to "\$JS\.API\.CONSUMER\.CREATE\.CREDIT_EVENTS/,
    );
    expect(await refusal(jsm.consumers.delete('CREDIT_EVENTS', FIRST.durable))).toBe(
      refusedPublishTo(`$JS.API.CONSUMER.DELETE.CREDIT_EVENTS.${FIRST.durable}`),
    );
    expect(await refusal(jsm.streams.purge('CREDIT_EVENTS'))).toBe(refusedPublishTo('$JS.API.STREAM.PURGE.CREDIT_EVENTS'));
    const names = (await platformJsm.consumers.list('CREDIT_EVENTS').next()).map((c) => c.name).sort();
    expect(names).toEqual([...finance, ...transport].map((d) => d.durable).sort());
    expect((await platformJsm.streams.info('CREDIT_EVENTS')).state.messages).toBe(1);
  });

  it('publishes its own events into SECTOR_EVENTS', async () => {
    const js = jetstream(await sectorFinance(), { timeout: TIMEOUT_MS });
    const ack = await js.publish('sector.finance.v1.list_decision', 'decision');
    expect(ack.stream).toBe('SECTOR_EVENTS');
  });

  it('cannot publish for another department, as the platform, or a receipt to itself', async () => {
    const nc = await sectorFinance();
    const before = (await platformJsm.streams.info('SECTOR_EVENTS')).state.messages;
    for (const subject of ['sector.transport.v1.list_decision', FIRST.filterSubject.replace('*', 'entry_effective'), 'sector.finance.v1.receipts']) {
      expect(await refusal(nc.request(subject, 'forged', { timeout: TIMEOUT_MS }))).toBe(refusedPublishTo(subject));
    }
    expect((await platformJsm.streams.info('SECTOR_EVENTS')).state.messages).toBe(before);
    expect((await platformJsm.streams.info('CREDIT_EVENTS')).state.messages).toBe(1);
  });

  it("receives its own receipts, and may not listen to another department's, to platform events, or to others' replies", async () => {
    const nc = await sectorFinance();
    const receipts = nc.subscribe('sector.finance.v1.receipts', { max: 1 });
    await nc.flush();
    platform.publish('sector.finance.v1.receipts', 'receipt');
    for await (const m of receipts) expect(m.string()).toBe('receipt');
    for (const subject of ['sector.transport.v1.receipts', 'credit.>', '_INBOX.>', `${sectorInboxPrefix('transport')}.>`, '>']) {
      const closedWith = await nc.subscribe(subject).closed;
      expect(String(closedWith)).toContain(`Permissions Violation for Subscription to "${subject}"`);
    }
  });
});
