// 反馈: what a sector system tells the platform it did about an entry.
import { createHash } from 'node:crypto';
import * as pb from './gen/credit/lists/v1/lists.js';

export type FeedbackPhase = 'impose' | 'lift';
/** applied 已实施 · not_applicable 不适用 · failed 实施失败 */
export type FeedbackOutcome = 'applied' | 'not_applicable' | 'failed';

export interface FeedbackReport {
  entryId: string;
  measureCode: string;
  phase: FeedbackPhase;
  outcome: FeedbackOutcome;
  /** Your own reference: case number, record id. */
  reference: string;
  note?: string;
  /**
   * Default: derived from everything above, so reporting the same thing again (a retry after a crash or a timeout)
   * is answered with the first result, while a changed report (failed, later applied) is a new one.
   */
  requestId?: string;
}

/** What the platform recorded. */
export interface MeasureResponse {
  entryId: string;
  measureCode: string;
  implementingDepartment: string;
  phase?: FeedbackPhase;
  dueAt?: Date;
  outcome?: FeedbackOutcome;
  reference: string;
  note: string;
  reportedAt?: Date;
  overdue: boolean;
}

const PHASES: Record<FeedbackPhase, pb.FeedbackPhase> = {
  impose: pb.FeedbackPhase.FEEDBACK_PHASE_IMPOSE,
  lift: pb.FeedbackPhase.FEEDBACK_PHASE_LIFT,
};
const OUTCOMES: Record<FeedbackOutcome, pb.FeedbackOutcome> = {
  applied: pb.FeedbackOutcome.FEEDBACK_OUTCOME_APPLIED,
  not_applicable: pb.FeedbackOutcome.FEEDBACK_OUTCOME_NOT_APPLICABLE,
  failed: pb.FeedbackOutcome.FEEDBACK_OUTCOME_FAILED,
};

/** Bad input is refused before any call, naming the field and why. */
export function feedbackRequest(report: FeedbackReport): pb.ReportFeedbackRequest {
  const problems: string[] = [];
  if (!report.entryId?.trim()) problems.push('entryId is required');
  if (!report.measureCode?.trim()) problems.push('measureCode is required');
  if (!(report.phase in PHASES)) problems.push(`phase must be 'impose' or 'lift', not ${JSON.stringify(report.phase)}`);
  if (!(report.outcome in OUTCOMES)) {
    problems.push(`outcome must be 'applied', 'not_applicable' or 'failed', not ${JSON.stringify(report.outcome)}`);
  }
  if (typeof report.reference !== 'string') problems.push('reference must be a string');
  if (report.requestId !== undefined && (report.requestId.trim() === '' || report.requestId.length > 128)) {
    problems.push('requestId must be 1–128 characters');
  }
  if (problems.length > 0) throw new TypeError(`reportFeedback: ${problems.join('; ')}`);
  return {
    requestId: report.requestId ?? feedbackRequestId(report),
    entryId: report.entryId,
    measureCode: report.measureCode,
    phase: PHASES[report.phase],
    outcome: OUTCOMES[report.outcome],
    reference: report.reference,
    note: report.note ?? '',
  };
}

export function feedbackRequestId(report: Omit<FeedbackReport, 'requestId'>): string {
  const content = [report.entryId, report.measureCode, report.phase, report.outcome, report.reference, report.note ?? ''];
  const digest = createHash('sha256').update(JSON.stringify(content)).digest('hex').slice(0, 32);
  return `feedback-${report.phase}-${digest}`;
}

const PHASE_NAMES = new Map<number, FeedbackPhase>(Object.entries(PHASES).map(([k, v]) => [v, k as FeedbackPhase]));
const OUTCOME_NAMES = new Map<number, FeedbackOutcome>(Object.entries(OUTCOMES).map(([k, v]) => [v, k as FeedbackOutcome]));

export function toMeasureResponse(r: pb.MeasureResponse): MeasureResponse {
  const phase = PHASE_NAMES.get(r.phase);
  const outcome = OUTCOME_NAMES.get(r.outcome);
  return {
    entryId: r.entryId,
    measureCode: r.measureCode,
    implementingDepartment: r.implementingDepartment,
    ...(phase ? { phase } : {}),
    ...(r.dueAt ? { dueAt: r.dueAt } : {}),
    ...(outcome ? { outcome } : {}),
    reference: r.reference,
    note: r.note,
    ...(r.reportedAt ? { reportedAt: r.reportedAt } : {}),
    overdue: r.overdue,
  };
}
