import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type * as grpc from '@grpc/grpc-js';
import { status } from '@grpc/grpc-js';
import { CaseKind, type GetCaseReportResponse, type GetRatingsResponse, type ReportCaseResponse, type SetRatingResponse } from '@credit/contracts/credit/lists/v1/lists.js';
import { RatingChanged } from '@credit/contracts/credit/lists/v1/events.js';
import { recordEvents, rejectionOf, waitFor } from '@credit/platform/testing';
import { customsOfficer, financeOfficer, office, publicCaller, startPieces, taxOfficer, uscc, type Pieces } from '../check/pieces.js';

let p: Pieces;
let recording: ReturnType<typeof recordEvents>;
beforeAll(async () => {
  p = await startPieces();
  recording = recordEvents(p.bus, 'credit.lists.v1.rating_changed.>');
});
afterAll(async () => {
  recording.stop();
  await p.stop();
});

const ratingEvents = () => recording.events.map((e) => ({ subject: e.subject, ...RatingChanged.decode(e.data) }));

describe('SetRating / GetRatings', () => {
  it('sets a grade, publishes RatingChanged once, and a repeat (same request or same grade) publishes nothing', async () => {
    const tax = p.listsAs(taxOfficer);
    const entity = uscc(1);
    const first = await p.call<SetRatingResponse>(tax, 'setRating', { requestId: 'r1', entityCode: entity, sector: 'tax', grade: 'A' });
    expect(first.rating).toMatchObject({ entityCode: entity, sector: 'tax', grade: 'A' });
    const again = await p.call<SetRatingResponse>(tax, 'setRating', { requestId: 'r1', entityCode: entity, sector: 'tax', grade: 'A' });
    expect(again.rating?.ratedAt).toEqual(first.rating?.ratedAt);
    await p.call(tax, 'setRating', { requestId: 'r2', entityCode: entity, sector: 'tax', grade: 'A' });
    await p.call(tax, 'setRating', { requestId: 'r3', entityCode: entity, sector: 'tax', grade: 'C' });
    await waitFor(async () => ratingEvents().length >= 2);
    expect(ratingEvents()).toEqual([
      expect.objectContaining({ subject: 'credit.lists.v1.rating_changed.rating.tax', previousGrade: '', rating: expect.objectContaining({ grade: 'A' }) }),
      expect.objectContaining({ previousGrade: 'A', rating: expect.objectContaining({ grade: 'C' }) }),
    ]);
    const read = await p.call<GetRatingsResponse>(p.listsAs(financeOfficer), 'getRatings', { entityCode: entity });
    expect(read.ratings.map((r) => [r.sector, r.grade])).toEqual([['tax', 'C']]);
    const history: { n: number }[] = await p.host.ds.query(`SELECT count(*)::int AS n FROM rating_history WHERE entity_code = $1`, [entity]);
    expect(history[0]!.n).toBe(2);
  });

  it('refuses another department, a non-department role and the public', async () => {
    const req = { requestId: 'p1', entityCode: uscc(2), sector: 'tax', grade: 'A' };
    const asCustoms = await rejectionOf<grpc.ServiceError>(p.call(p.listsAs(customsOfficer), 'setRating', req));
    expect(asCustoms.code).toBe(status.PERMISSION_DENIED);
    const asOffice = await rejectionOf<grpc.ServiceError>(p.call(p.listsAs(office), 'setRating', req));
    expect(asOffice.code).toBe(status.PERMISSION_DENIED);
    const anonymous = await rejectionOf<grpc.ServiceError>(p.call(p.listsAs(null), 'setRating', req));
    expect(anonymous.code).toBe(status.UNAUTHENTICATED);
    const asPublic = await rejectionOf<grpc.ServiceError>(p.call(p.listsAs(publicCaller), 'getRatings', { entityCode: uscc(2) }));
    expect(asPublic.code).toBe(status.PERMISSION_DENIED);
    const rows: unknown[] = await p.host.ds.query(`SELECT 1 FROM rating WHERE entity_code = $1`, [uscc(2)]);
    expect(rows).toEqual([]);
  });

  it('names every bad field: check digit, unknown grade of the sector scale, validity in the past', async () => {
    const bad = uscc(3).slice(0, 17) + (uscc(3).endsWith('0') ? '1' : '0');
    const err = await rejectionOf<grpc.ServiceError>(
      p.call(p.listsAs(customsOfficer), 'setRating', {
        requestId: 'v1',
        entityCode: bad,
        sector: 'customs',
        grade: 'A',
        validUntil: new Date(Date.now() - 1000),
      }),
    );
    expect(err.code).toBe(status.INVALID_ARGUMENT);
    expect(err.details).toContain('entity_code');
    expect(err.details).toContain('grade');
    expect(err.details).toContain('AEO-ADV（高级认证企业（AEO高级认证））');
    expect(err.details).toContain('valid_until');
    const unknownSector = await rejectionOf<grpc.ServiceError>(
      p.call(p.listsAs(customsOfficer), 'setRating', { requestId: 'v2', entityCode: uscc(3), sector: 'customs ', grade: 'NOPE' }),
    );
    expect(unknownSector.details).toContain('grade');
    const accepted = await p.call<SetRatingResponse>(p.listsAs(customsOfficer), 'setRating', {
      requestId: 'v3',
      entityCode: uscc(3).toLowerCase(),
      sector: 'customs',
      grade: 'AEO-ADV',
      validUntil: new Date(Date.now() + 86_400_000),
    });
    expect(accepted.rating?.entityCode).toBe(uscc(3));
  });
});

describe('ReportCase / GetCaseReport', () => {
  const today = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
  const year = Number(today.slice(0, 4));
  const quarter = Math.floor((Number(today.slice(5, 7)) - 1) / 3) + 1;

  it('reports a case idempotently and counts it in its quarter; expected departments include list owners, implementers and prefectures', async () => {
    // The rows the core lists use cases would have written (this host runs only ratings, cases and the check).
    await p.host.ds.query(`INSERT INTO list_type (code, name, colour, owner_department, updated_at) VALUES ('debtor', '失信被执行人', 'black', 'court', now())`);
    await p.host.ds.query(
      `INSERT INTO measure (code, name, kind, implementing_department, list_types, updated_at) VALUES ('restrict_procurement', '限制参与政府采购', 'punishment', 'finance', '{debtor}', now())`,
    );
    const entryId = '0193a3c1-0000-7000-8000-000000000001';
    await p.host.ds.query(
      `INSERT INTO list_entry (id, list_type, colour, owner_department, entity_code, entity_name, state, facts, decision_document, legal_basis, decided_at, version, created_at, updated_at)
       VALUES ($1, 'debtor', 'black', 'court', $2, '某公司', 'effective', '拒不履行', '（2026）藏01执1号', '', now(), 1, now(), now())`,
      [entryId, uscc(5)],
    );
    const finance = p.listsAs(financeOfficer);
    const req = {
      requestId: 'c1',
      kind: CaseKind.CASE_KIND_PUNISHMENT,
      title: '限制失信被执行人参与政府采购',
      summary: '某公司因失信被执行，被拒绝参加政府采购活动。',
      entityCode: uscc(5),
      entryId,
      occurredOn: today,
    };
    const first = await p.call<ReportCaseResponse>(finance, 'reportCase', req);
    const again = await p.call<ReportCaseResponse>(finance, 'reportCase', req);
    expect(again.case?.id).toBe(first.case?.id);
    expect(first.case).toMatchObject({ department: 'finance', entryId, occurredOn: today });

    const report = await p.call<GetCaseReportResponse>(p.listsAs(office), 'getCaseReport', { year, quarter });
    const byDept = new Map(report.departments.map((d) => [d.department, d]));
    expect(byDept.get('finance')).toEqual({ department: 'finance', rewardCases: 0, punishmentCases: 1, met: true });
    expect(byDept.get('court')).toEqual({ department: 'court', rewardCases: 0, punishmentCases: 0, met: false });
    expect(byDept.get('gov_542500')?.met).toBe(false);
    expect(report.departmentsExpected).toBe(9);
    expect(report.departmentsMet).toBe(1);

    const other = await p.call<GetCaseReportResponse>(p.listsAs(financeOfficer), 'getCaseReport', { year: year - 1, quarter });
    expect(other.departmentsMet).toBe(0);
  });

  it('refuses bad input naming each field, and stores nothing', async () => {
    const err = await rejectionOf<grpc.ServiceError>(
      p.call(p.listsAs(financeOfficer), 'reportCase', {
        requestId: 'c2',
        kind: CaseKind.CASE_KIND_UNSPECIFIED,
        title: ' ',
        summary: '长'.repeat(4001),
        entityCode: '123',
        entryId: 'nope',
        occurredOn: '2025-02-30',
      }),
    );
    expect(err.code).toBe(status.INVALID_ARGUMENT);
    for (const field of ['kind', 'title', 'summary', 'entity_code', 'entry_id', 'occurred_on']) expect(err.details).toContain(field);
    const future = await rejectionOf<grpc.ServiceError>(
      p.call(p.listsAs(financeOfficer), 'reportCase', { requestId: 'c3', kind: CaseKind.CASE_KIND_REWARD, title: 't', summary: 's', entityCode: '', entryId: '', occurredOn: '2999-01-01' }),
    );
    expect(future.details).toContain('occurred_on');
    const missingEntry = await rejectionOf<grpc.ServiceError>(
      p.call(p.listsAs(financeOfficer), 'reportCase', {
        requestId: 'c4', kind: CaseKind.CASE_KIND_REWARD, title: 't', summary: 's', entityCode: '', entryId: '0193a3c1-0000-7000-8000-0000000000ff', occurredOn: today,
      }),
    );
    expect(missingEntry.code).toBe(status.INVALID_ARGUMENT);
    expect(missingEntry.details).toContain('entry_id');
    const asOffice = await rejectionOf<grpc.ServiceError>(
      p.call(p.listsAs(office), 'reportCase', { requestId: 'c5', kind: CaseKind.CASE_KIND_REWARD, title: 't', summary: 's', entityCode: '', entryId: '', occurredOn: today }),
    );
    expect(asOffice.code).toBe(status.PERMISSION_DENIED);
    const rows: { n: number }[] = await p.host.ds.query(`SELECT count(*)::int AS n FROM credit_case`);
    expect(rows[0]!.n).toBe(1);
    const badQuarter = await rejectionOf<grpc.ServiceError>(p.call(p.listsAs(office), 'getCaseReport', { year, quarter: 5 }));
    expect(badQuarter.details).toContain('quarter');
    const asPublic = await rejectionOf<grpc.ServiceError>(p.call(p.listsAs(publicCaller), 'getCaseReport', { year, quarter }));
    expect(asPublic.code).toBe(status.PERMISSION_DENIED);
  });

  it('counts a reward case of a prefecture, which then meets', async () => {
    const lhasa = p.listsAs({ department: 'gov_540100', role: 'department', subject: 'lhasa' });
    await p.call(lhasa, 'reportCase', { requestId: 'g1', kind: CaseKind.CASE_KIND_REWARD, title: '守信激励', summary: '绿色通道', entityCode: '', entryId: '', occurredOn: today });
    const report = await p.call<GetCaseReportResponse>(p.listsAs(office), 'getCaseReport', { year, quarter });
    expect(report.departments.find((d) => d.department === 'gov_540100')).toEqual({ department: 'gov_540100', rewardCases: 1, punishmentCases: 0, met: true });
    expect(report.departmentsMet).toBe(2);
  });
});
