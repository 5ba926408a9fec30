import { failedPrecondition, invalidArgument } from '@credit/platform/errors';
import { addWorkingDays, type CalendarDay } from '@credit/platform/calendar';

/**
 * 信用修复 (国办发〔2025〕22号): the applicant submits proof and a credit commitment; the platform gives feedback
 * (accepts or refuses the application) within 10 working days; the deciding authority then approves or rejects
 * within 3 working days ("谁认定谁修复"). Approval ends publicity, but never before the minimum period.
 */
export type RepairStatus = 'applied' | 'accepted' | 'refused' | 'approved' | 'rejected';

export const FEEDBACK_WORKING_DAYS = 10;
export const AUTHORITY_DECISION_WORKING_DAYS = 3;

export interface RepairStep {
  status: RepairStatus;
  on: CalendarDay;
  reason: string | null;
}

export interface RepairApplication {
  status: RepairStatus;
  appliedOn: CalendarDay;
  /** The penalty's earliest end by repair (最短公示期满); approval is possible from this day. */
  earliestRepairEnd: CalendarDay;
  /** The last day for the platform's feedback. */
  feedbackDue: CalendarDay;
  /** The last day for the authority's decision, once accepted. */
  decisionDue: CalendarDay | null;
  history: readonly RepairStep[];
}

export type RepairAction =
  | { type: 'accept'; on: CalendarDay }
  | { type: 'refuse'; on: CalendarDay; reason: string }
  | { type: 'approve'; on: CalendarDay }
  | { type: 'reject'; on: CalendarDay; reason: string };

const TRANSITIONS: Record<RepairAction['type'], { from: RepairStatus; to: RepairStatus }> = {
  accept: { from: 'applied', to: 'accepted' },
  refuse: { from: 'applied', to: 'refused' },
  approve: { from: 'accepted', to: 'approved' },
  reject: { from: 'accepted', to: 'rejected' },
};

const STATUS_LABELS: Record<RepairStatus, string> = {
  applied: '已申请',
  accepted: '已受理',
  refused: '不予受理',
  approved: '修复通过',
  rejected: '修复不通过',
};

const ACTION_LABELS: Record<RepairAction['type'], string> = { accept: '受理', refuse: '不予受理', approve: '批准修复', reject: '不予修复' };

export function applyForRepair(appliedOn: CalendarDay, earliestRepairEnd: CalendarDay): RepairApplication {
  return {
    status: 'applied',
    appliedOn,
    earliestRepairEnd,
    feedbackDue: addWorkingDays(appliedOn, FEEDBACK_WORKING_DAYS),
    decisionDue: null,
    history: [{ status: 'applied', on: appliedOn, reason: null }],
  };
}

/** The next state of an application; an action its state does not allow is a FAILED_PRECONDITION error. */
export function advanceRepair(application: RepairApplication, action: RepairAction): RepairApplication {
  const transition = TRANSITIONS[action.type];
  if (application.status !== transition.from) {
    throw failedPrecondition(
      'ILLEGAL_REPAIR_TRANSITION',
      `信用修复申请当前状态为“${STATUS_LABELS[application.status]}”，不能${ACTION_LABELS[action.type]}`,
    );
  }
  const last = application.history[application.history.length - 1];
  if (last !== undefined && action.on < last.on) {
    throw invalidArgument([{ field: 'on', reason: 'BEFORE_PREVIOUS_STEP', message: `办理日期${action.on}早于上一环节的日期${last.on}` }]);
  }
  const reason = action.type === 'refuse' || action.type === 'reject' ? action.reason.trim() : null;
  if (reason === '') {
    throw invalidArgument([{ field: 'reason', reason: 'REQUIRED', message: `${ACTION_LABELS[action.type]}须说明理由` }]);
  }
  if (action.type === 'approve' && action.on < application.earliestRepairEnd) {
    throw failedPrecondition(
      'MINIMUM_PERIOD_NOT_REACHED',
      `最短公示期至${application.earliestRepairEnd}届满，届满前不能批准信用修复`,
    );
  }
  return {
    ...application,
    status: transition.to,
    decisionDue: action.type === 'accept' ? addWorkingDays(action.on, AUTHORITY_DECISION_WORKING_DAYS) : application.decisionDue,
    history: [...application.history, { status: transition.to, on: action.on, reason }],
  };
}

/** Which step, if any, is past its deadline on `today`: the platform's feedback or the authority's decision. */
export function overdueRepairStep(application: RepairApplication, today: CalendarDay): 'feedback' | 'decision' | undefined {
  if (application.status === 'applied' && today > application.feedbackDue) return 'feedback';
  if (application.status === 'accepted' && application.decisionDue !== null && today > application.decisionDue) return 'decision';
  return undefined;
}

export function isRepairFinished(application: RepairApplication): boolean {
  return application.status === 'refused' || application.status === 'approved' || application.status === 'rejected';
}
