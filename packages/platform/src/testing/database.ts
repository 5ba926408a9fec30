import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { quoteIdent } from '../db/ensure-database.js';
import { dockerReachable, withTimeout } from './docker.js';

const DEFAULT_SERVER = 'postgres://postgres@127.0.0.1:5432/postgres';
let server: Promise<string> | undefined;

/**
 * A fresh, empty database for one test file. DATABASE_URL names the server when set; otherwise a PostgreSQL container
 * when a container engine is reachable, else the local server. drop() ends its connections and removes it.
 */
export async function testDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const adminUrl = await (server ??= pickServer());
  const name = `t_${randomBytes(6).toString('hex')}`;
  await onAdmin(adminUrl, (c) => c.query(`CREATE DATABASE ${quoteIdent(name)}`));
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: () => onAdmin(adminUrl, (c) => c.query(`DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`)),
  };
}

async function pickServer(): Promise<string> {
  if (process.env.DATABASE_URL) return adminOf(process.env.DATABASE_URL);
  if (await dockerReachable()) {
    try {
      const { PostgreSqlContainer } = await import('@testcontainers/postgresql');
      // Reaped with the test process by testcontainers' own sidecar; generous time for the first image pull.
      const container = await withTimeout(new PostgreSqlContainer('postgres:16-alpine').start(), 180_000, 'PostgreSQL container');
      return adminOf(container.getConnectionUri());
    } catch (err) {
      process.emitWarning(`PostgreSQL container failed (${String(err)}); using ${DEFAULT_SERVER}`);
    }
  }
  return DEFAULT_SERVER;
}

/** The same server's maintenance database, from which databases are created and dropped. */
function adminOf(url: string): string {
  const u = new URL(url);
  u.pathname = '/postgres';
  return u.toString();
}

async function onAdmin(adminUrl: string, fn: (c: pg.Client) => Promise<unknown>): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await fn(client);
  } finally {
    await client.end();
  }
}
