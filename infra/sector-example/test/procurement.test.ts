import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { waitFor } from '@credit/platform/testing';
import { startProcurement, type Procurement } from '../src/app.js';
import { procurementHttp } from '../src/http.js';
import type { Log } from '../src/log.js';
import { FeedbackOutcome, FeedbackPhase, LEGAL_BASIS, LIST_TYPE_NAME, type Platform, startPlatform, uscc } from './harness.js';

let platform: Platform;
let app: Procurement;
let databaseUrl: string;
const logs: { level: string; msg: string; fields?: Record<string, unknown> }[] = [];
const log: Log = (level, msg, fields) => void logs.push({ level, msg, ...(fields ? { fields } : {}) });

beforeAll(async () => {
  platform = await startPlatform();
  await platform.seed();
  databaseUrl = await platform.procurementDatabase();
  app = await startProcurement(platform.procurementConfig(databaseUrl), log);
});

afterAll(async () => {
  await app?.stop();
  await platform?.stop();
});

/** One statement on the procurement database, connection closed whatever happens. */
async function sql<R extends pg.QueryResultRow = pg.QueryResultRow>(text: string, values: unknown[] = []): Promise<R[]> {
  const db = new pg.Client({ connectionString: databaseUrl });
  await db.connect();
  try {
    return (await db.query<R>(text, values)).rows;
  } finally {
    await db.end();
  }
}

const url = (path: string) => `http://127.0.0.1:${app.port}${path}`;

interface DebarmentJson {
  id: string;
  entityCode: string;
  entryId: string;
  liftedAt: string | null;
}

async function debarments(): Promise<DebarmentJson[]> {
  const res = await fetch(url('/debarments'));
  expect(res.status).toBe(200);
  return ((await res.json()) as { debarments: DebarmentJson[] }).debarments;
}

function bid(entityCode: string, tender = 'ZFCG-2026-0815') {
  return fetch(url('/bids'), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ entityCode, tender }) });
}

describe('the procurement system', () => {
  it('debars an entity when its black-list entry takes effect, and the platform records the feedback as applied', async () => {
    const entry = await platform.blacklist(1);
    const debarment = await waitFor(async () => (await debarments()).find((d) => d.entryId === entry.id));
    expect(debarment).toMatchObject({ entityCode: uscc(1), liftedAt: null });

    const response = await waitFor(async () =>
      (await platform.getEntry(entry.id)).responses.find(
        (r) => r.measureCode === 'restrict_government_procurement' && r.phase === FeedbackPhase.FEEDBACK_PHASE_IMPOSE && r.outcome === FeedbackOutcome.FEEDBACK_OUTCOME_APPLIED,
      ),
    );
    expect(response).toMatchObject({ implementingDepartment: 'finance', reference: `DEB-${debarment.id}`, overdue: false });
  });

  it('refuses a bid from a black-listed entity, naming the list and the legal basis, and accepts a clean one', async () => {
    const entry = await platform.blacklist(2);
    await waitFor(async () => (await debarments()).some((d) => d.entryId === entry.id));

    const refused = await bid(uscc(2));
    expect(refused.status).toBe(403);
    const body = (await refused.json()) as { accepted: boolean; reason: string };
    expect(body.accepted).toBe(false);
    expect(body.reason).toContain(LIST_TYPE_NAME);
    expect(body.reason).toContain(LEGAL_BASIS);
    expect(body.reason).toContain('限制参与政府采购');

    const accepted = await bid(uscc(999));
    expect(accepted.status).toBe(201);
    expect(await accepted.json()).toMatchObject({ accepted: true, bidId: expect.any(String), checkId: expect.any(String) });
  });

  it('refuses a bid its own debarments forbid even when the platform has nothing against the entity', async () => {
    await sql(
      `INSERT INTO debarments (entity_code, entity_name, entry_id, list_type, measure, legal_basis, decision_document, since, imposed)
       VALUES ($1, '某公司', 'manual-1', 'court_judgment_debtor', 'restrict_government_procurement', '人工登记', '(2025)藏01执1号', now(), true)`,
      [uscc(77)],
    );
    const refused = await bid(uscc(77));
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as { reason: string }).reason).toContain('本系统记录');
  });

  it('lifts the debarment when the entry is removed and reports the lift', async () => {
    const entry = await platform.blacklist(3);
    await waitFor(async () => (await debarments()).some((d) => d.entryId === entry.id));
    await platform.remove(entry.id);
    const lifted = await waitFor(async () => (await debarments()).find((d) => d.entryId === entry.id && d.liftedAt !== null));
    const response = await waitFor(async () =>
      (await platform.getEntry(entry.id)).responses.find((r) => r.phase === FeedbackPhase.FEEDBACK_PHASE_LIFT && r.outcome === FeedbackOutcome.FEEDBACK_OUTCOME_APPLIED),
    );
    expect(response.reference).toBe(`DEB-${lifted.id}`);
    expect((await bid(uscc(3))).status).toBe(201);
  });

  it('refuses a malformed bid, naming each field, and stores nothing', async () => {
    const res = await bid('91540100', '');
    expect(res.status).toBe(400);
    const body = (await res.json()) as { violations: { field: string }[] };
    expect(body.violations.map((v) => v.field)).toEqual(['entityCode', 'tender']);
    const notJson = await fetch(url('/bids'), { method: 'POST', body: '{' });
    expect(notJson.status).toBe(400);
    const rows = await sql<{ n: number }>(`SELECT count(*)::int AS n FROM bids WHERE entity_code = '91540100' OR tender = ''`);
    expect(rows[0]!.n).toBe(0);
  });

  it('answers /healthz with its database and NATS state, and 503 when its database does not answer', async () => {
    const healthy = await fetch(url('/healthz'));
    expect(healthy.status).toBe(200);
    expect(await healthy.json()).toEqual({ database: 'ok', nats: 'connected' });

    // The same endpoint over a database nobody listens on, with the sector's NATS down.
    const unreachable = new pg.Pool({ connectionString: 'postgres://postgres@127.0.0.1:1/procurement', connectionTimeoutMillis: 2_000 });
    const server = procurementHttp({ db: unreachable, sector: { natsConnected: false, checkCredit: () => Promise.reject(new Error('unused')) }, log });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const port = (server.address() as { port: number }).port;
      const down = await fetch(`http://127.0.0.1:${port}/healthz`);
      expect(down.status).toBe(503);
      expect(await down.json()).toEqual({ database: 'unavailable', nats: 'disconnected' });
      expect((await fetch(`http://127.0.0.1:${port}/healthz`, { method: 'POST' })).status).toBe(405);
    } finally {
      await new Promise<void>((r) => server.close(() => r()));
      await unreachable.end();
    }
  });
});
