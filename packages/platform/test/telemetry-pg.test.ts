import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { SpanKind } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { platformTracer } from '../src/telemetry/index.js';
import { installTestTracing } from '../src/testing/tracing.js';

// Telemetry must be running before anything loads `pg`, exactly as in a service's main.ts; typeorm and pg are
// therefore imported dynamically below, after this line.
const exporter = installTestTracing();

const adminUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const database = `platform_telemetry_pg_${process.pid}`;
const databaseUrl = (() => {
  const url = new URL(adminUrl);
  url.pathname = `/${database}`;
  return url.toString();
})();

type DataSource = import('typeorm').DataSource;
let dataSource: DataSource;

async function admin(sql: string): Promise<void> {
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

beforeAll(async () => {
  await admin(`DROP DATABASE IF EXISTS ${database}`);
  await admin(`CREATE DATABASE ${database}`);
  const { DataSource } = await import('typeorm');
  dataSource = new DataSource({ type: 'postgres', url: databaseUrl });
  await dataSource.initialize();
  await dataSource.query('CREATE TABLE entity (uscc text PRIMARY KEY, name text NOT NULL)');
});

afterAll(async () => {
  await dataSource?.destroy();
  await admin(`DROP DATABASE IF EXISTS ${database}`);
});

beforeEach(() => {
  exporter.reset();
});

const pgSpans = (spans: ReadableSpan[]) => spans.filter((s) => s.instrumentationScope.name === '@opentelemetry/instrumentation-pg');

describe('PostgreSQL instrumentation through typeorm', () => {
  it('makes each query a CLIENT child span of the operation that ran it', async () => {
    const parent = await platformTracer.startActiveSpan('register entity', async (span) => {
      await dataSource.transaction(async (manager) => {
        await manager.query('INSERT INTO entity (uscc, name) VALUES ($1, $2)', ['91540000MA6T000001', '拉萨市某公司']);
      });
      await dataSource.query('SELECT name FROM entity WHERE uscc = $1', ['91540000MA6T000001']);
      span.end();
      return span.spanContext();
    });

    const queries = pgSpans(exporter.getFinishedSpans()).filter((s) => s.name.startsWith('pg.query'));
    expect(queries.map((s) => s.name)).toEqual(
      expect.arrayContaining([expect.stringContaining('INSERT'), expect.stringContaining('SELECT')]),
    );
    for (const query of queries) {
      expect(query.kind).toBe(SpanKind.CLIENT);
      expect(query.spanContext().traceId).toBe(parent.traceId);
      expect(query.parentSpanContext?.spanId).toBe(parent.spanId);
    }
  });

  it('never records parameter values, which carry personal information', async () => {
    await platformTracer.startActiveSpan('lookup', async (span) => {
      await dataSource.query('SELECT name FROM entity WHERE uscc = $1', ['91540000MA6T000002']);
      span.end();
    });
    const recorded = JSON.stringify(pgSpans(exporter.getFinishedSpans()).map((s) => s.attributes));
    expect(recorded).toContain('SELECT name FROM entity');
    expect(recorded).not.toContain('91540000MA6T000002');
  });

  it('makes no spans for queries outside any traced operation (background polling)', async () => {
    await dataSource.query('SELECT 1');
    expect(pgSpans(exporter.getFinishedSpans())).toEqual([]);
  });
});

describe('PostgreSQL instrumentation in a plain ESM process', () => {
  it('traces queries that typeorm makes after it loads pg with require', async () => {
    // Vitest has its own module loader; a real `node` process shows what a service's main.ts gets.
    const script = `
      import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
      import { startTelemetry, platformTracer } from '@credit/platform/telemetry';
      const exporter = new InMemorySpanExporter();
      const telemetry = startTelemetry({ serviceName: 'esm-probe', spanProcessors: [new SimpleSpanProcessor(exporter)] });
      const { DataSource } = await import('typeorm');
      const ds = new DataSource({ type: 'postgres', url: process.env.PROBE_DATABASE_URL });
      await ds.initialize();
      await platformTracer.startActiveSpan('probe', async (span) => { await ds.query('SELECT count(*) FROM entity'); span.end(); });
      await ds.destroy();
      const spans = exporter.getFinishedSpans();
      const probe = spans.find((s) => s.name === 'probe');
      console.log(JSON.stringify(spans.filter((s) => s.name.startsWith('pg.query')).map((s) => ({
        name: s.name, child: s.parentSpanContext?.spanId === probe.spanContext().spanId }))));
      await telemetry.shutdown();
    `;
    const packageDir = fileURLToPath(new URL('..', import.meta.url));
    const child = spawn(process.execPath, ['--import', 'tsx', '--conditions=@credit/source', '--input-type=module', '-e', script], {
      cwd: packageDir,
      env: { ...process.env, PROBE_DATABASE_URL: databaseUrl },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(code, stderr).toBe(0);
    expect(JSON.parse(stdout.trim().split('\n').pop()!)).toEqual([{ name: expect.stringContaining('SELECT'), child: true }]);
  });
});
