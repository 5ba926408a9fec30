// 反馈与跟踪问效: per entry, measure and phase, the response an implementing department owes. Pure.
import { permissionDenied } from '@credit/platform/errors';
import { Violations } from './definitions.js';

export type FeedbackPhase = 'impose' | 'lift';
export type FeedbackOutcome = 'applied' | 'not_applicable' | 'failed';

export interface MeasureResponse {
  id: string;
  entryId: string;
  measureCode: string;
  implementingDepartment: string;
  phase: FeedbackPhase;
  dueAt: Date;
  outcome?: FeedbackOutcome;
  reference: string;
  note: string;
  reportedAt?: Date;
}

export interface FeedbackInput {
  entryId: string;
  measureCode: string;
  phase?: FeedbackPhase;
  outcome?: FeedbackOutcome;
  reference: string;
  note: string;
}

export function isOverdue(r: MeasureResponse, now: Date): boolean {
  return r.outcome === undefined && r.dueAt.getTime() < now.getTime();
}

export function validateFeedback(input: FeedbackInput): Required<Pick<FeedbackInput, 'phase' | 'outcome'>> & FeedbackInput {
  const v = new Violations();
  if (input.entryId.trim() === '') v.add('entry_id', 'REQUIRED', '名单条目编号必填');
  if (input.measureCode.trim() === '') v.add('measure_code', 'REQUIRED', '措施代码必填');
  if (!input.phase) v.add('phase', 'REQUIRED', '请指定反馈阶段（实施或解除）');
  if (!input.outcome) v.add('outcome', 'REQUIRED', '请指定反馈结果');
  v.text('reference', input.reference, '业务编号', { max: 200 });
  v.text('note', input.note, '反馈说明', { max: 4000 });
  v.throwIfAny();
  return { ...input, entryId: input.entryId.trim(), measureCode: input.measureCode.trim(), phase: input.phase!, outcome: input.outcome! };
}

/** Only the measure's implementing department reports what it did. */
export function assertMayReport(callerDepartment: string, r: Pick<MeasureResponse, 'implementingDepartment' | 'measureCode'>): void {
  if (callerDepartment !== r.implementingDepartment) {
    throw permissionDenied('NOT_IMPLEMENTING_DEPARTMENT', `措施“${r.measureCode}”由${r.implementingDepartment}实施，只有该部门可以反馈`);
  }
}
