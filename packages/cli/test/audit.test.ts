import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendAudit, inTransaction, openDatabase } from '@credit/platform';
import { testDatabase, waitFor } from '@credit/platform/testing';
import { DataSource } from 'typeorm';
import { startTestRegistry, uscc, type TestRegistry } from '../../../services/registry/test/harness.js';
import { connectionFlags, runCapture } from './cli-run.js';

let registry: TestRegistry;

/** SQL on the registry's own database, as someone with direct access to it would run it. */
const sql = <T>(query: string): Promise<T[]> => registry.running.ds.query(query);

const verify = (databaseUrl: string) => runCapture(['audit', 'verify', '--database-url', databaseUrl]);

beforeAll(async () => {
  registry = await startTestRegistry();
  // Each registration through the CLI appends to the registry database's audit chain.
  for (const n of [1, 2, 3]) {
    const result = await runCapture(['entities', 'register', '--name', `拉萨雪域测试商贸有限公司${n}`, '--uscc', uscc(n), ...connectionFlags(registry)]);
    expect(result.exitCode).toBe(0);
  }
});

afterAll(async () => {
  await registry?.stop();
});

// In file order: the chain is verified intact before a test tampers with it.
describe('credit audit verify', () => {
  it('reports an untouched chain as intact with the number of entries and exits 0', async () => {
    // The service chains each entry moments after its commit.
    await waitFor(async () => (await sql<{ n: number }>('SELECT count(*)::int AS n FROM audit_log WHERE seq IS NULL'))[0]!.n === 0);
    const [row] = await sql<{ n: number }>('SELECT count(*)::int AS n FROM audit_log');
    const entries = row!.n;
    expect(entries).toBeGreaterThanOrEqual(3);
    expect(await verify(registry.databaseUrl)).toEqual({ exitCode: 0, lines: [`审计链完整 (audit chain intact): ${entries} entries`] });
  });

  it('names the first edited entry and exits 1 once a row has been changed', async () => {
    await sql(`UPDATE audit_log SET target = 'x' WHERE seq = 2`);
    expect(await verify(registry.databaseUrl)).toEqual({
      exitCode: 1,
      lines: ['审计链在第 2 条处被篡改 (audit chain broken at seq 2)'],
    });
  });

  it('counts entries no service has chained yet without chaining them (it writes nothing)', async () => {
    const db = await testDatabase();
    const ds = await openDatabase({ url: db.url });
    try {
      await inTransaction(ds, (em) => appendAudit(em, [{ actor: { department: 'court', role: 'department', subject: 'clerk' }, requestId: 'r-1', command: 'Test', target: 't-1' }]));
      expect(await verify(db.url)).toEqual({ exitCode: 0, lines: ['审计链完整 (audit chain intact): 0 entries; 1 条尚未入链、未核验 (not chained yet, not checked)'] });
      expect(await ds.query('SELECT count(*)::int AS n FROM audit_log WHERE seq IS NULL')).toEqual([{ n: 1 }]);
    } finally {
      await ds.destroy();
      await db.drop();
    }
  });

  it('runs no migrations: a database without an audit log is reported as an error and left as it was', async () => {
    const empty = await testDatabase();
    const inspect = new DataSource({ type: 'postgres', url: empty.url });
    try {
      const result = await verify(empty.url);
      expect(result.exitCode).toBe(1);
      expect(result.lines).toEqual([expect.stringMatching(/^错误: 无法读取审计日志 \(cannot read audit_log\): .*audit_log/)]);
      await inspect.initialize();
      expect(await inspect.query(`SELECT count(*)::int AS n FROM pg_tables WHERE schemaname = 'public'`)).toEqual([{ n: 0 }]);
    } finally {
      if (inspect.isInitialized) await inspect.destroy();
      await empty.drop();
    }
  });

  it('prints its usage and exits 2 without a database URL', async () => {
    const saved = process.env.DATABASE_URL;
    delete process.env.DATABASE_URL;
    try {
      const result = await runCapture(['audit', 'verify']);
      expect(result.exitCode).toBe(2);
      expect(result.lines).toEqual([expect.stringMatching(/^usage: credit audit verify --database-url /)]);
    } finally {
      if (saved !== undefined) process.env.DATABASE_URL = saved;
    }
  });

  it('prints the connection error and exits 1 when the database does not exist', async () => {
    const url = new URL(registry.databaseUrl);
    url.pathname = '/no_such_database_for_cli_audit_test';
    const result = await verify(url.toString());
    expect(result.exitCode).toBe(1);
    expect(result.lines[0]).toMatch(/^错误: 无法连接数据库 \(cannot open database\): .*no_such_database_for_cli_audit_test/);
  });
});
