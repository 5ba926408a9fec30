import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import type * as grpc from '@grpc/grpc-js';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DisclosureServiceClient,
  RecordOutcome,
  type IngestRecordsRequest,
  type IngestRecordsResponse,
} from '@credit/contracts/credit/disclosures/v1/disclosures.js';
import { PenaltyPublished } from '@credit/contracts/credit/disclosures/v1/events.js';
import { loadCatalogConfig, publishDefaultCatalog, startCatalogService, type RunningCatalog } from '@credit/catalog';
import { callUnary, connectBus, createClient, createLogger, type Bus } from '@credit/platform';
import { TEST_TOKEN_SECRET, cleanupBus, freePort, readEvents, testDatabase, testNatsUrl, testToken, uniquePrefix, waitFor } from '@credit/platform/testing';
import { AMR_PENALTY_ITEM, amrOfficer, office, penaltyFields } from '../harness.js';

const MAIN = fileURLToPath(new URL('../../dist/main.js', import.meta.url));
const CHUNKS = 16;
const ROWS = 250;

/**
 * The real service process is killed (SIGKILL) in the middle of a stream and started again; the client sends its
 * chunks again under the same request ids. Every record ends up stored once and announced once — including those
 * whose events were handed to the relay of the killed process and never published by it.
 */
describe('a disclosures process killed mid-stream', () => {
  let catalog: RunningCatalog;
  let bus: Bus;
  let env: NodeJS.ProcessEnv;
  let port: number;
  const drops: (() => Promise<void>)[] = [];
  let child: ChildProcess | undefined;

  const start = async () => {
    child = spawn(process.execPath, [MAIN], { env, stdio: ['ignore', 'ignore', 'inherit'] });
    const probe = createClient(DisclosureServiceClient, `127.0.0.1:${port}`, { token: testToken(office), deadlineMs: 2_000 });
    try {
      await waitFor(() => callUnary(probe as unknown as grpc.Client, 'getAssessmentReport', { from: '', to: '', divisionCode: '' }).then(() => true), {
        timeoutMs: 30_000,
        message: 'disclosures did not become ready',
      });
    } finally {
      probe.close();
    }
  };

  const chunks: IngestRecordsRequest[] = Array.from({ length: CHUNKS }, (_, c) => {
    const columns = Object.keys(penaltyFields(1, '2026-01-05'));
    return {
      requestId: `crash-${c}`,
      itemCode: AMR_PENALTY_ITEM,
      columns,
      rows: Array.from({ length: ROWS }, (_, r) => {
        const f = penaltyFields(3_000_000 + c * ROWS + r, '2026-01-05');
        return { line: r + 2, values: columns.map((k) => f[k]!) };
      }),
    };
  });

  /** Streams the chunks, four in flight; `onAnswer` sees each answer. Resolves with the answers, or with what came before an error. */
  async function send(onAnswer: (answers: IngestRecordsResponse[]) => void): Promise<IngestRecordsResponse[]> {
    const client = createClient(DisclosureServiceClient, `127.0.0.1:${port}`, { token: testToken(amrOfficer), deadlineMs: 60_000 });
    const stream = client.ingestRecords();
    const answers: IngestRecordsResponse[] = [];
    let wake = () => {};
    let closed = false;
    const done = new Promise<void>((resolve) => {
      stream.on('data', (a: IngestRecordsResponse) => {
        answers.push(a);
        onAnswer(answers);
        wake();
      });
      stream.on('error', () => {
        closed = true;
        wake();
        resolve();
      });
      stream.on('end', resolve);
    });
    for (const [i, chunk] of chunks.entries()) {
      while (i - answers.length >= 4 && !closed) await new Promise<void>((r) => (wake = r));
      if (closed) break;
      stream.write(chunk);
    }
    if (!closed) stream.end();
    await done;
    client.close();
    return answers;
  }

  const outboxPending = async () => {
    const direct = new pg.Client({ connectionString: env.DATABASE_URL });
    await direct.connect();
    const { rows } = await direct.query<{ n: number }>('SELECT count(*)::int AS n FROM outbox WHERE published_at IS NULL');
    await direct.end();
    return rows[0]!.n;
  };

  beforeAll(async () => {
    const natsUrl = await testNatsUrl();
    const prefix = uniquePrefix();
    const catalogDb = await testDatabase();
    const db = await testDatabase();
    drops.push(() => db.drop(), () => catalogDb.drop());
    const base = { NATS_URL: natsUrl, NATS_SUBJECT_PREFIX: prefix, AUTH_TOKEN_SECRET: TEST_TOKEN_SECRET };
    catalog = await startCatalogService(
      loadCatalogConfig({ ...base, DATABASE_URL: catalogDb.url, CATALOG_GRPC_PORT: '0', CATALOG_METRICS_PORT: '0' }),
      createLogger('crash-test', { level: 'warn' }),
    );
    await publishDefaultCatalog(`127.0.0.1:${catalog.grpcPort}`, {
      departmentToken: (department) => testToken({ department, role: 'department', subject: `${department}-officer` }),
      officeToken: testToken(office),
    });
    port = await freePort();
    env = {
      ...process.env,
      ...base,
      DATABASE_URL: db.url,
      CATALOG_ADDRESS: `127.0.0.1:${catalog.grpcPort}`,
      DISCLOSURES_GRPC_PORT: String(port),
      DISCLOSURES_METRICS_PORT: '0',
      LOG_LEVEL: 'error',
    };
    bus = await connectBus({ url: natsUrl, name: 'crash-test', prefix });
  }, 60_000);

  afterAll(async () => {
    if (child && child.exitCode === null) {
      child.kill('SIGKILL');
      await once(child, 'exit');
    }
    await catalog?.stop();
    await cleanupBus(bus);
    await bus?.close();
    for (const drop of drops) await drop();
  });

  it('loses no record and announces each exactly once after a restart and a resend', { timeout: 90_000 }, async () => {
    await start();
    // Killed right after the third answer: later chunks are in flight, some committed with their events not yet sent.
    const before = await send((answers) => {
      if (answers.length === 3) child!.kill('SIGKILL');
    });
    await once(child!, 'exit');
    expect(before.length).toBeGreaterThanOrEqual(3);
    expect(before.length).toBeLessThan(CHUNKS);

    await start();
    const after = await send(() => {});
    expect(after.map((a) => a.requestId)).toEqual(chunks.map((c) => c.requestId));
    // A chunk answered before the crash is answered the same way after it.
    for (const first of before) expect(after.find((a) => a.requestId === first.requestId)).toEqual(first);
    const accepted = after.flatMap((a) => a.results).filter((r) => r.outcome !== RecordOutcome.RECORD_OUTCOME_REJECTED);
    expect(accepted).toHaveLength(CHUNKS * ROWS);

    // Every stored record's PenaltyPublished is in the stream once: those of the killed process's hand-off included,
    // published by the new process once their lease ran out.
    const direct = new pg.Client({ connectionString: env.DATABASE_URL });
    await direct.connect();
    const ids = (await direct.query<{ id: string }>('SELECT id::text AS id FROM disclosure_record')).rows.map((r) => r.id).sort();
    await direct.end();
    expect(ids).toHaveLength(CHUNKS * ROWS);
    const announced = await waitFor(
      async () => {
        const events = await readEvents(bus, 'credit.disclosures.v1.penalty_published.>');
        return events.length >= ids.length && events;
      },
      { timeoutMs: 30_000, message: 'not every record was announced' },
    );
    const recordIds = announced.map((e) => PenaltyPublished.decode(e.data).record!.id);
    expect(recordIds.sort()).toEqual(ids);

    // The rows the killed process had leased are claimed by the new one when the lease ends; publishing them again
    // adds nothing to the stream (the event id is the message id).
    await waitFor(async () => (await outboxPending()) === 0, { timeoutMs: 30_000, message: 'orphaned outbox rows were never published' });
    expect(await readEvents(bus, 'credit.disclosures.v1.penalty_published.>')).toHaveLength(ids.length);
  });
});
