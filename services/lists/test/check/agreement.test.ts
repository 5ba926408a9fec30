// The index agrees with the database: a burst of lifecycle calls through the lists service's gRPC API, then, once
// the index has applied every event of the stream, each entity's check answer equals a SQL query over list_entry
// and measure.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type * as grpc from '@grpc/grpc-js';
import {
  ListColour,
  ListsServiceClient,
  MeasureKind,
  ObjectionOutcome,
  RemovalReason,
  type CheckCreditResponse,
  type ProposeEntryResponse,
} from '@credit/contracts/credit/lists/v1/lists.js';
import { callUnary, createClient, createLogger, streamName, type Caller } from '@credit/platform';
import { TEST_TOKEN_SECRET, testDatabase, testNatsUrl, testToken, uniquePrefix, waitFor } from '@credit/platform/testing';
import { loadListsConfig, startListsService, type RunningLists } from '../../src/service.js';
import { listType, measure } from './events.js';
import { office, startPieces, uscc, type Pieces } from './pieces.js';

const court: Caller = { department: 'court', role: 'department', subject: 'court-officer' };
const tax: Caller = { department: 'tax', role: 'department', subject: 'tax-officer' };
const ENTITIES = 40;

let db: { url: string; drop(): Promise<void> };
let lists: RunningLists;
let pieces: Pieces;
const clients: grpc.Client[] = [];
function as(caller: Caller): grpc.Client {
  const c = createClient(ListsServiceClient, `127.0.0.1:${lists.grpcPort}`, { token: testToken(caller) }) as unknown as grpc.Client;
  clients.push(c);
  return c;
}

beforeAll(async () => {
  db = await testDatabase();
  const natsUrl = await testNatsUrl();
  const prefix = uniquePrefix();
  lists = await startListsService(
    loadListsConfig({
      DATABASE_URL: db.url,
      NATS_URL: natsUrl,
      NATS_SUBJECT_PREFIX: prefix,
      LISTS_GRPC_PORT: '0',
      LISTS_METRICS_PORT: '0',
      AUTH_TOKEN_SECRET: TEST_TOKEN_SECRET,
    }),
    createLogger('lists-agreement', { level: 'warn' }),
  );
  // The credit check pieces on the same bus prefix (their own database holds only the check log).
  pieces = await startPieces({ prefix, natsUrl });
});

afterAll(async () => {
  clients.forEach((c) => c.close());
  // The lists service first: stopping the pieces deletes the test streams.
  await lists?.stop();
  await pieces?.stop();
  await db?.drop();
});

describe('credit check index agrees with the database', () => {
  it('answers, for every entity and implementing department, what SQL over list_entry and measure says', async () => {
    const asOffice = as(office);
    const owners: Record<string, grpc.Client> = { court: as(court), tax: as(tax) };
    const types = [
      listType('debtor', { ownerDepartment: 'court' }),
      listType('tax_violator', { ownerDepartment: 'tax' }),
      listType('taxpayer_a', { ownerDepartment: 'tax', colour: ListColour.LIST_COLOUR_RED }),
    ];
    for (const t of types) await callUnary(asOffice, 'defineListType', { requestId: `lt-${t.code}`, listType: t });
    const measures = [
      measure('restrict_procurement', { listTypes: ['debtor', 'tax_violator'] }),
      measure('procurement_bonus', { kind: MeasureKind.MEASURE_KIND_REWARD, listTypes: ['taxpayer_a'] }),
      measure('housing_limit', { implementingDepartment: 'housing', listTypes: ['debtor'] }),
    ];
    for (const m of measures) await callUnary(asOffice, 'defineMeasure', { requestId: `m-${m.code}`, measure: m });

    const today = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
    const lifecycle = async (i: number, t: (typeof types)[number], path: number) => {
      const owner = owners[t.ownerDepartment]!;
      const { entry } = await callUnary<unknown, ProposeEntryResponse>(owner, 'proposeEntry', {
        requestId: `p-${i}-${t.code}`,
        listType: t.code,
        entityCode: uscc(100 + i),
        entityName: `单位${i}`,
        facts: '事实',
        decisionDocument: `文书-${i}-${t.code}`,
        legalBasis: '',
        decidedOn: today,
      });
      const id = entry!.id;
      if (path === 0) return; // stays proposed
      await callUnary(owner, 'notifySubject', { requestId: `n-${id}`, entryId: id, reason: '告知' });
      if (path === 1) return; // in force
      if (path === 4) {
        await callUnary(owner, 'removeEntry', { requestId: `r-${id}`, entryId: id, reason: RemovalReason.REMOVAL_REASON_REVOKED, explanation: '撤销' });
        return;
      }
      await callUnary(owner, 'fileObjection', { requestId: `o-${id}`, entryId: id, applicant: '当事人', grounds: '理由' });
      if (path === 2) return; // objected after taking effect: still in force
      await callUnary(owner, 'decideObjection', {
        requestId: `d-${id}`,
        entryId: id,
        outcome: ObjectionOutcome.OBJECTION_OUTCOME_CORRECTED,
        reason: '更正有效期',
        correctedFacts: '',
        correctedValidUntil: new Date(Date.now() + 30 * 86_400_000),
      });
    };
    // Entities in parallel, each entity's own steps in order.
    await Promise.all(
      Array.from({ length: ENTITIES }, async (_, i) => {
        await lifecycle(i, types[i % 3]!, i % 5);
        if (i % 4 === 0) await lifecycle(i, types[(i + 1) % 3]!, (i + 1) % 5);
      }),
    );

    // Every event published, then every one applied.
    await waitFor(async () => {
      const [row] = (await lists.ds.query(`SELECT count(*)::int AS n FROM outbox WHERE published_at IS NULL`)) as { n: number }[];
      return row!.n === 0;
    });
    const { last_seq: lastSeq } = (await pieces.bus.jsm.streams.info(streamName(pieces.bus, 'CREDIT_EVENTS'))).state;
    await waitFor(async () => pieces.check.index.position === lastSeq, { timeoutMs: 20_000 });

    let nonEmpty = 0;
    for (const department of ['finance', 'housing']) {
      const checker = pieces.checkAs({ department, role: 'department', subject: `${department}-officer` });
      for (let i = 0; i < ENTITIES; i++) {
        const entityCode = uscc(100 + i);
        const answer = await pieces.call<CheckCreditResponse>(checker, 'checkCredit', { entityCode, activity: '' });
        const fromIndex = answer.measures.map((m) => ({
          code: m.measure!.code,
          entries: m.causes.map((c) => (c.cause?.$case === 'entry' ? c.cause.value.id : '')).sort(),
        }));
        const rows = (await lists.ds.query(
          `SELECT m.code, array_agg(e.id::text ORDER BY e.id::text) AS entries
             FROM measure m JOIN list_entry e ON e.list_type = ANY (m.list_types)
            WHERE m.implementing_department = $1 AND e.entity_code = $2
              AND (e.state = 'effective' OR (e.state = 'objected' AND e.effective_at IS NOT NULL))
              AND (e.valid_until IS NULL OR e.valid_until > now())
            GROUP BY m.code ORDER BY m.code`,
          [department, entityCode],
        )) as { code: string; entries: string[] }[];
        expect(fromIndex, `${department} ${entityCode}`).toEqual(rows.map((r) => ({ code: r.code, entries: r.entries })));
        if (rows.length > 0) nonEmpty++;
      }
    }
    // The burst left entities in force, out of force and never in force: the comparison covered all three.
    expect(nonEmpty).toBeGreaterThan(10);
    expect(nonEmpty).toBeLessThan(2 * ENTITIES);
  });
});
