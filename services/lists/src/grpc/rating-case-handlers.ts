import { CaseKind, type Case, type ListsServiceServer } from '@credit/contracts/credit/lists/v1/lists.js';
import type { HandlerKit } from '@credit/platform';
import type { Cases, StoredCase } from '../app/cases.js';
import { toRatingMessage, type Ratings } from '../app/ratings.js';
import type { CaseKindName } from '../domain/cases.js';

export type RatingAndCaseMethods = Pick<ListsServiceServer, 'setRating' | 'getRatings' | 'reportCase' | 'getCaseReport'>;

function caseKindOf(kind: CaseKind): CaseKindName | undefined {
  return kind === CaseKind.CASE_KIND_REWARD ? 'reward' : kind === CaseKind.CASE_KIND_PUNISHMENT ? 'punishment' : undefined;
}

function toCaseMessage(c: StoredCase): Case {
  return {
    id: c.id,
    department: c.department,
    kind: c.kind === 'reward' ? CaseKind.CASE_KIND_REWARD : CaseKind.CASE_KIND_PUNISHMENT,
    title: c.title,
    summary: c.summary,
    entityCode: c.entityCode,
    entryId: c.entryId,
    occurredOn: c.occurredOn,
    reportedAt: c.reportedAt,
  };
}

export function ratingAndCaseHandlers(kit: HandlerKit, ratings: Ratings, cases: Cases): RatingAndCaseMethods {
  return {
    setRating: kit.unary(async (req, ctx) => {
      const rating = await ratings.setRating(ctx.caller, req.requestId, {
        entityCode: req.entityCode,
        sector: req.sector,
        grade: req.grade,
        ...(req.validUntil ? { validUntil: req.validUntil } : {}),
      });
      return { rating: toRatingMessage(rating) };
    }),
    getRatings: kit.unary(async (req, ctx) => ({ ratings: (await ratings.getRatings(ctx.caller, req.entityCode)).map(toRatingMessage) })),
    reportCase: kit.unary(async (req, ctx) => ({
      case: toCaseMessage(
        await cases.reportCase(ctx.caller, req.requestId, {
          kind: caseKindOf(req.kind),
          title: req.title,
          summary: req.summary,
          entityCode: req.entityCode,
          entryId: req.entryId,
          occurredOn: req.occurredOn,
        }),
      ),
    })),
    getCaseReport: kit.unary(async (req, ctx) => {
      const report = await cases.caseReport(ctx.caller, req.year, req.quarter);
      return {
        year: report.year,
        quarter: report.quarter,
        departments: report.departments,
        departmentsMet: report.departmentsMet,
        departmentsExpected: report.departmentsExpected,
      };
    }),
  };
}
