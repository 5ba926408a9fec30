import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import * as grpc from '@grpc/grpc-js';
import { RegistryServiceClient, type RegisterEntityResponse } from '@credit/contracts/credit/registry/v1/registry.js';
import { callUnary, connectBus, createClient, tailEvents, type CreditEvent } from '@credit/platform';
import { cleanupBus, testDatabase, testNatsUrl, testToken, uniquePrefix, waitFor } from '@credit/platform/testing';
import { REGISTRY_MAIN, company, freePort, officer, spawnRegistry } from './harness.js';

const cleanups: Array<() => Promise<void>> = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c().catch(() => undefined);
});

describe('the registry process', () => {
  it('starts from its built entry point, serves a registration end to end, and stops cleanly on SIGTERM', async () => {
    expect(existsSync(REGISTRY_MAIN), 'the package is built before its tests (turbo test depends on build)').toBe(true);
    const db = await testDatabase();
    cleanups.push(() => db.drop());
    const natsUrl = await testNatsUrl();
    const prefix = uniquePrefix();
    const port = await freePort();
    const output: string[] = [];
    const child = spawnRegistry({ databaseUrl: db.url, natsUrl, prefix, port });
    child.stdout!.on('data', (d: Buffer) => output.push(d.toString()));
    child.stderr!.on('data', (d: Buffer) => output.push(d.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    cleanups.push(async () => {
      if (child.exitCode === null) child.kill('SIGKILL');
    });

    const bus = await connectBus({ url: natsUrl, name: 'e2e-observer', prefix });
    cleanups.push(async () => {
      await cleanupBus(bus);
      await bus.close();
    });
    const client = createClient(RegistryServiceClient, `127.0.0.1:${port}`, { token: testToken(officer) });
    cleanups.push(async () => client.close());

    const input = company(1);
    const res = await waitFor(
      async () =>
        callUnary<unknown, RegisterEntityResponse>(client as unknown as grpc.Client, 'registerEntity', { requestId: 'e2e-1', entity: input }).catch(
          () => undefined,
        ),
      { timeoutMs: 20_000, message: `registry did not answer; output:\n${output.join('')}` },
    );
    expect(res.entity!.uscc).toBe(input.uscc);

    const events: CreditEvent[] = [];
    const stop = new AbortController();
    void tailEvents(bus, { subject: 'credit.registry.v1.>', fromStart: true, signal: stop.signal }, (e) => {
      events.push(e);
    });
    await waitFor(async () => events.some((e) => e.entity === input.uscc));
    stop.abort();

    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(output.join('')).toContain('"level"');
  });

  it('refuses to start without its configuration, naming every missing setting', async () => {
    const child = spawn(process.execPath, [REGISTRY_MAIN], { env: { PATH: process.env.PATH }, stdio: ['ignore', 'pipe', 'pipe'] });
    const errors: string[] = [];
    child.stderr!.on('data', (d: Buffer) => errors.push(d.toString()));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(code).toBe(2);
    for (const name of ['DATABASE_URL', 'NATS_URL', 'AUTH_TOKEN_SECRET']) expect(errors.join('')).toContain(name);
  });
});
