import pg from 'pg';
import type { Log } from './log.js';

// The procurement system's own tables, created on start. processed_events is the SDK's de-duplication table: an
// event id recorded in the same transaction as the debarment it caused.
const SCHEMA = `
CREATE TABLE IF NOT EXISTS processed_events (
  event_id     text PRIMARY KEY,
  processed_at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE IF NOT EXISTS debarments (
  id                bigserial PRIMARY KEY,
  entity_code       text NOT NULL,
  entity_name       text NOT NULL,
  entry_id          text NOT NULL,
  list_type         text NOT NULL,
  measure           text NOT NULL,
  legal_basis       text NOT NULL,
  decision_document text NOT NULL,
  since             timestamptz NOT NULL,
  -- false: the removal arrived first (a redelivery after a crash can overtake), so nothing was ever imposed.
  imposed           boolean NOT NULL,
  lifted_at         timestamptz,
  lift_reason       text,
  UNIQUE (entry_id, measure)
);
CREATE INDEX IF NOT EXISTS debarments_in_force ON debarments (entity_code) WHERE lifted_at IS NULL;
CREATE TABLE IF NOT EXISTS bids (
  id          bigserial PRIMARY KEY,
  entity_code text NOT NULL,
  tender      text NOT NULL,
  accepted    boolean NOT NULL,
  reason      text NOT NULL DEFAULT '',
  check_id    text NOT NULL DEFAULT '',
  created_at  timestamptz NOT NULL DEFAULT now()
);
`;

export async function openDatabase(url: string, log?: Log): Promise<pg.Pool> {
  const pool = new pg.Pool({ connectionString: url, max: 5 });
  // An idle connection the server ended (restart, failover) must not crash the process; the pool replaces it.
  pool.on('error', (err) => log?.('warn', 'idle database connection lost', { err }));
  // Two instances starting together both run the DDL; the advisory lock makes the second wait instead of colliding.
  const client = await pool.connect();
  try {
    await client.query('SELECT pg_advisory_lock(8090)');
    await client.query(SCHEMA);
    await client.query('SELECT pg_advisory_unlock(8090)');
  } finally {
    client.release();
  }
  return pool;
}
