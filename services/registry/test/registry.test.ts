import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as grpc from '@grpc/grpc-js';
import {
  EntityKind,
  ImportOutcome,
  type GetCodeQualityReportResponse,
  type ImportEntitiesResponse,
  type ImportRow,
  type GetEntityResponse,
  type MapLegacyCodeResponse,
  type RegisterEntityResponse,
  type SearchEntitiesResponse,
  type UpdateEntityResponse,
  type ValidateCodesResponse,
} from '@credit/contracts/credit/registry/v1/registry.js';
import { EntityRegistered, EntityUpdated, LegacyCodeMapped } from '@credit/contracts/credit/registry/v1/events.js';
import { callUnary, violationsOf } from '@credit/platform';
import { rejectionOf, waitFor } from '@credit/platform/testing';
import { company, individualBusiness, startTestRegistry, uscc, type TestRegistry } from './harness.js';

let t: TestRegistry;
beforeAll(async () => {
  t = await startTestRegistry();
});
afterAll(async () => {
  await t?.stop();
});

const call = <Res>(method: string, req: unknown, client: grpc.Client = t.client) => callUnary<unknown, Res>(client, method, req);

const rejected = (promise: Promise<unknown>) => rejectionOf<grpc.ServiceError>(promise);

async function entityCount(): Promise<number> {
  const [row] = (await t.running.ds.query('SELECT count(*)::int AS n FROM entity')) as Array<{ n: number }>;
  return row!.n;
}

const eventsOf = (type: string, entity: string) => t.events.filter((e) => e.type === type && e.entity === entity);

describe('registering an entity', () => {
  it('stores it, finds it by USCC, organisation code and registration number, and publishes EntityRegistered', async () => {
    const input = { ...company(1), registrationNumber: '' };
    const res = await call<RegisterEntityResponse>('registerEntity', { requestId: 'r-1', entity: input });
    expect(res.created).toBe(true);
    expect(res.entity).toMatchObject({ uscc: input.uscc, name: input.name, divisionCode: '540102', reportingDepartment: 'amr', version: 1 });
    expect(res.entity!.organizationCode).toBe(input.uscc.slice(8, 17));

    const byUscc = await call<GetEntityResponse>('getEntity', { key: { $case: 'uscc', value: input.uscc.toLowerCase() } });
    const byOrg = await call<GetEntityResponse>('getEntity', {
      key: { $case: 'organizationCode', value: `${input.uscc.slice(8, 16)}-${input.uscc[16]}` },
    });
    expect(byUscc.entity!.name).toBe(input.name);
    expect(byOrg.entity!.uscc).toBe(input.uscc);

    const [event] = await waitFor(async () => {
      const seen = eventsOf('credit.registry.v1.EntityRegistered', input.uscc);
      return seen.length > 0 && seen;
    });
    expect(event!.subject).toBe('credit.registry.v1.entity_registered.540102');
    expect(event!.source).toBe('credit/registry');
    expect(EntityRegistered.decode(event!.data).entity!.name).toBe(input.name);
  });

  it('returns the first answer when a request id is repeated, without a second event', async () => {
    const input = company(2);
    const first = await call<RegisterEntityResponse>('registerEntity', { requestId: 'r-2', entity: input });
    const again = await call<RegisterEntityResponse>('registerEntity', { requestId: 'r-2', entity: input });
    expect(again).toEqual(first);
    expect(again.created).toBe(true);
    await waitFor(async () => eventsOf('credit.registry.v1.EntityRegistered', input.uscc).length === 1);
    // A later registration's event arriving proves the relay went past; still one event for this code.
    await call('registerEntity', { requestId: 'r-2b', entity: company(3) });
    await waitFor(async () => eventsOf('credit.registry.v1.EntityRegistered', uscc(3)).length === 1);
    expect(eventsOf('credit.registry.v1.EntityRegistered', input.uscc)).toHaveLength(1);
  });

  it('treats the same code with the same details as already registered, and other details as a duplicate', async () => {
    const input = company(4);
    await call('registerEntity', { requestId: 'r-4', entity: input });
    const same = await call<RegisterEntityResponse>('registerEntity', { requestId: 'r-4-again', entity: input });
    expect(same.created).toBe(false);

    const err = await rejected(call('registerEntity', { requestId: 'r-4-other', entity: { ...input, name: '另一家公司' } }));
    expect(err.code).toBe(grpc.status.ALREADY_EXISTS);
    expect(violationsOf(err)).toEqual([expect.objectContaining({ field: 'uscc', reason: 'DUPLICATE_CODE' })]);
  });

  it('refuses a wrong check digit, naming the field, and stores nothing', async () => {
    const before = await entityCount();
    const good = uscc(5);
    const wrong = good.slice(0, 17) + (good[17] === '0' ? '1' : '0');
    const err = await rejected(call('registerEntity', { requestId: 'r-5', entity: { ...company(5), uscc: wrong } }));
    expect(err.code).toBe(grpc.status.INVALID_ARGUMENT);
    expect(violationsOf(err)).toEqual([expect.objectContaining({ field: 'uscc', reason: 'BAD_CHECK_DIGIT' })]);
    expect(await entityCount()).toBe(before);
  });

  it('lists every problem of a bad row at once: bad character, unknown division, oversize name', async () => {
    const before = await entityCount();
    const err = await rejected(
      call('registerEntity', {
        requestId: 'r-6',
        entity: { ...company(6), uscc: '91540102MA0000I01X', name: '名'.repeat(201), establishedOn: '2999-01-01' },
      }),
    );
    expect(err.code).toBe(grpc.status.INVALID_ARGUMENT);
    const fields = violationsOf(err).map((v) => `${v.field}:${v.reason}`);
    expect(fields).toContain('uscc:BAD_CHARACTER');
    expect(fields).toContain('name:FIELD_TOO_LONG');
    expect(fields.some((f) => f.startsWith('established_on:'))).toBe(true);

    const division = await rejected(call('registerEntity', { requestId: 'r-6b', entity: { ...company(6), uscc: uscc(6, { division: '990102' }) } }));
    expect(violationsOf(division)).toEqual([expect.objectContaining({ field: 'uscc', reason: 'UNKNOWN_DIVISION' })]);
    expect(await entityCount()).toBe(before);
  });

  it('keeps an injection-looking name as plain text', async () => {
    const name = "雪域'; DROP TABLE entity; --公司";
    await call('registerEntity', { requestId: 'r-7', entity: company(7, name) });
    const found = await call<SearchEntitiesResponse>('searchEntities', { name: "'; DROP TABLE", page: { pageSize: 5, pageToken: '' } });
    expect(found.entities.map((e) => e.name)).toEqual([name]);
  });
});

describe('who may call', () => {
  it('refuses a call without credentials and a sector system that tries to register', async () => {
    const anonymous = await rejected(call('registerEntity', { requestId: 'r-8', entity: company(8) }, t.clientAs(null)));
    expect(anonymous.code).toBe(grpc.status.UNAUTHENTICATED);
    const sector = await rejected(call('registerEntity', { requestId: 'r-8', entity: company(8) }, t.clientAs({ role: 'sector', department: 'bank' })));
    expect(sector.code).toBe(grpc.status.PERMISSION_DENIED);
  });

  it('ends a bulk import from a sector system with PERMISSION_DENIED and stores nothing', async () => {
    const before = await entityCount();
    const stream = t.clientAs({ role: 'sector', department: 'bank' }).importEntities();
    const failed = new Promise<grpc.ServiceError>((resolve) => {
      stream.on('error', resolve);
      stream.on('data', () => undefined);
    });
    stream.write({ rows: [{ row: 1, entity: company(9001) }] });
    stream.end();
    expect((await failed).code).toBe(grpc.status.PERMISSION_DENIED);
    expect(await entityCount()).toBe(before);
  });
});

describe('searching by partial name', () => {
  it('pages through every match once, in name order, with keyset tokens', async () => {
    for (let i = 0; i < 25; i++) {
      await call('registerEntity', { requestId: `s-${i}`, entity: company(100 + i, `日喀则珠峰青稞食品${String(i).padStart(2, '0')}号店` ) });
    }
    const names: string[] = [];
    let token = '';
    do {
      const page = await call<SearchEntitiesResponse>('searchEntities', { name: '珠峰青稞', page: { pageSize: 10, pageToken: token } });
      expect(page.entities.length).toBeLessThanOrEqual(10);
      names.push(...page.entities.map((e) => e.name));
      token = page.page!.nextPageToken;
    } while (token);
    expect(names).toHaveLength(25);
    expect(new Set(names).size).toBe(25);
    expect([...names].sort()).toEqual(names);

    const twoChars = await call<SearchEntitiesResponse>('searchEntities', { name: '青稞', page: { pageSize: 100, pageToken: '' } });
    expect(twoChars.entities).toHaveLength(25);
    const none = await call<SearchEntitiesResponse>('searchEntities', { name: '珠峰啤酒', page: { pageSize: 10, pageToken: '' } });
    expect(none.entities).toHaveLength(0);
  });

  it('refuses an empty name, a one-character name and a forged page token', async () => {
    expect((await rejected(call('searchEntities', { name: '  ', page: { pageSize: 10, pageToken: '' } }))).code).toBe(grpc.status.INVALID_ARGUMENT);
    const oneChar = await rejected(call('searchEntities', { name: '峰', page: { pageSize: 10, pageToken: '' } }));
    expect(violationsOf(oneChar)).toEqual([expect.objectContaining({ field: 'name', reason: 'QUERY_TOO_SHORT' })]);
    const forged = await rejected(call('searchEntities', { name: '珠峰', page: { pageSize: 10, pageToken: 'not-a-token' } }));
    expect(violationsOf(forged)).toEqual([expect.objectContaining({ field: 'page.page_token' })]);
  });
});

describe('mapping a legacy registration number to a USCC (先赋码后换证)', () => {
  it('gives an individual business its code once, publishes LegacyCodeMapped, and refuses a code already in use', async () => {
    const business = individualBusiness(1);
    const registered = await call<RegisterEntityResponse>('registerEntity', { requestId: 'm-1', entity: business });
    expect(registered.entity!.uscc).toBe('');
    const code = uscc(200, { type: '92' });
    const mapped = await call<MapLegacyCodeResponse>('mapLegacyCode', { requestId: 'm-2', registrationNumber: business.registrationNumber, uscc: code });
    expect(mapped.entity).toMatchObject({ uscc: code, registrationNumber: business.registrationNumber, version: 2 });
    const byNumber = await call<GetEntityResponse>('getEntity', { key: { $case: 'registrationNumber', value: business.registrationNumber } });
    expect(byNumber.entity!.uscc).toBe(code);
    const [event] = await waitFor(async () => {
      const seen = eventsOf('credit.registry.v1.LegacyCodeMapped', code);
      return seen.length > 0 && seen;
    });
    expect(LegacyCodeMapped.decode(event!.data)).toMatchObject({ registrationNumber: business.registrationNumber, uscc: code });

    const other = individualBusiness(2);
    await call('registerEntity', { requestId: 'm-3', entity: other });
    const taken = await rejected(call('mapLegacyCode', { requestId: 'm-4', registrationNumber: other.registrationNumber, uscc: code }));
    expect(taken.code).toBe(grpc.status.ALREADY_EXISTS);
    const wrongKind = await rejected(call('mapLegacyCode', { requestId: 'm-5', registrationNumber: other.registrationNumber, uscc: uscc(201, { type: '91' }) }));
    expect(wrongKind.code).toBe(grpc.status.INVALID_ARGUMENT);
  });
});

describe('updating an entity', () => {
  it('changes details with optimistic concurrency, only for the reporting department, and publishes EntityUpdated', async () => {
    const input = company(300);
    await call('registerEntity', { requestId: 'u-1', entity: input });
    const stale = await rejected(call('updateEntity', { requestId: 'u-2', uscc: input.uscc, expectedVersion: 7, name: '新名称有限公司', legalRepresentative: '', address: '' }));
    expect(stale.code).toBe(grpc.status.ABORTED);
    const foreign = await rejected(
      call('updateEntity', { requestId: 'u-3', uscc: input.uscc, expectedVersion: 1, name: '新名称有限公司', legalRepresentative: '', address: '' }, t.clientAs({ department: 'tax' })),
    );
    expect(foreign.code).toBe(grpc.status.PERMISSION_DENIED);
    const updated = await call<UpdateEntityResponse>('updateEntity', { requestId: 'u-4', uscc: input.uscc, expectedVersion: 1, name: '新名称有限公司', legalRepresentative: '次仁', address: '' });
    expect(updated.entity).toMatchObject({ name: '新名称有限公司', version: 2, legalRepresentative: '次仁' });
    const [event] = await waitFor(async () => {
      const seen = eventsOf('credit.registry.v1.EntityUpdated', input.uscc);
      return seen.length > 0 && seen;
    });
    const payload = EntityUpdated.decode(event!.data);
    expect(payload.previous!.name).toBe(input.name);
    expect(payload.entity!.name).toBe('新名称有限公司');
  });
});

describe('bulk import over the stream', () => {
  it('refuses a message with more than 1,000 rows', async () => {
    const stream = t.client.importEntities();
    const failed = new Promise<grpc.ServiceError>((resolve) => {
      stream.on('error', resolve);
      stream.on('data', () => undefined);
    });
    stream.write({ rows: Array.from({ length: 1001 }, (_, i) => ({ row: i + 1, entity: company(5000 + i) })) });
    stream.end();
    const err = await failed;
    expect(err.code).toBe(grpc.status.INVALID_ARGUMENT);
    expect(violationsOf(err)).toEqual([expect.objectContaining({ field: 'rows', reason: 'TOO_MANY_ROWS' })]);
  });

  it('answers every row in order, stores the good rows, and refuses bad and duplicate ones', async () => {
    const stream = t.client.importEntities();
    const answers: Array<{ row: number; outcome: ImportOutcome; violations: Array<{ field: string; reason: string }> }> = [];
    const done = new Promise<void>((resolve, reject) => {
      stream.on('data', (a: ImportEntitiesResponse) => answers.push(...a.results));
      stream.on('end', resolve);
      stream.on('error', reject);
    });
    const rows = 1200;
    const expected = new Map<number, ImportOutcome>();
    let chunk: ImportRow[] = [];
    for (let row = 1; row <= rows; row++) {
      let entity = company(1000 + row);
      let outcome = ImportOutcome.IMPORT_OUTCOME_CREATED;
      if (row === 1150) {
        entity = { ...company(1000 + row - 1), name: '同一批次内冒用代码的公司' }; // the row before's code, other details
        outcome = ImportOutcome.IMPORT_OUTCOME_REJECTED;
      } else if (row % 100 === 0) {
        entity = { ...entity, uscc: entity.uscc.slice(0, 17) + (entity.uscc[17] === '0' ? '1' : '0') };
        outcome = ImportOutcome.IMPORT_OUTCOME_REJECTED;
      } else if (row % 250 === 3) {
        entity = company(1000 + row - 1); // the row before, again: unchanged
        outcome = ImportOutcome.IMPORT_OUTCOME_UNCHANGED;
      } else if (row % 300 === 7) {
        entity = { ...company(1), name: '冒用他人代码的公司' }; // code of an entity registered earlier
        outcome = ImportOutcome.IMPORT_OUTCOME_REJECTED;
      }
      expected.set(row, outcome);
      chunk.push({ row, entity });
      if (chunk.length === 70 || row === rows) {
        stream.write({ rows: chunk });
        chunk = [];
      }
    }
    stream.end();
    await done;
    expect(answers.map((a) => a.row)).toEqual([...expected.keys()]);
    for (const a of answers) expect(a.outcome, `row ${a.row}`).toBe(expected.get(a.row));
    const refusedDuplicate = answers.find((a) => a.row === 7)!;
    expect(refusedDuplicate.violations).toEqual([expect.objectContaining({ field: 'uscc', reason: 'DUPLICATE_CODE' })]);
    expect(answers.find((a) => a.row === 1150)!.violations).toEqual([expect.objectContaining({ field: 'uscc', reason: 'DUPLICATE_CODE' })]);
    const createdCodes = [...expected].filter(([, o]) => o === ImportOutcome.IMPORT_OUTCOME_CREATED).map(([row]) => uscc(1000 + row));
    const [stored] = (await t.running.ds.query(`SELECT count(*)::int AS n FROM entity WHERE uscc = ANY($1)`, [createdCodes])) as Array<{ n: number }>;
    expect(stored!.n).toBe(createdCodes.length);
    const refusedCodes = [...expected].filter(([row]) => row % 100 === 0).map(([row]) => uscc(1000 + row));
    const [none] = (await t.running.ds.query(`SELECT count(*)::int AS n FROM entity WHERE uscc = ANY($1)`, [refusedCodes])) as Array<{ n: number }>;
    expect(none!.n).toBe(0);
    await waitFor(async () => (await t.running.relay.backlog()) === 0, { timeoutMs: 20_000 });
  });
});

describe('code quality', () => {
  it('reports erroneous and duplicate codes per reporting department in per mille', async () => {
    const report = await call<GetCodeQualityReportResponse>('getCodeQualityReport', { from: '', to: '' });
    const amr = report.departments.find((d) => d.department === 'amr')!;
    expect(amr.submitted).toBeGreaterThan(1200);
    expect(amr.erroneous).toBeGreaterThanOrEqual(13); // 12 in the import, 1+ single registrations
    expect(amr.duplicate).toBeGreaterThanOrEqual(6);
    expect(amr.erroneousPerMille).toBeCloseTo((amr.erroneous / amr.submitted) * 1000, 1);
    const bad = await rejected(call('getCodeQualityReport', { from: '2026/01/01', to: '' }));
    expect(violationsOf(bad)).toEqual([expect.objectContaining({ field: 'from' })]);
  });

  it('checks codes without storing anything', async () => {
    const res = await call<ValidateCodesResponse>('validateCodes', { codes: ['91110000600037341L', '11010519491231002X', '91110000600037341X'] });
    expect(res.verdicts.map((v) => v.valid)).toEqual([true, true, false]);
    expect(res.verdicts[2]!.reason).toBe('BAD_CHECK_DIGIT');
  });
});

describe('kinds', () => {
  it('refuses an individual-business USCC reported as a legal person', async () => {
    const err = await rejected(call('registerEntity', { requestId: 'k-1', entity: { ...company(400), uscc: uscc(400, { type: '92' }), kind: EntityKind.ENTITY_KIND_LEGAL_PERSON } }));
    expect(violationsOf(err)).toEqual(expect.arrayContaining([expect.objectContaining({ reason: 'KIND_MISMATCH' })]));
  });
});
