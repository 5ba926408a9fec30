import type {
  CheckCreditRequest,
  CheckCreditResponse,
  CheckCreditStreamRequest,
  CheckCreditStreamResponse,
  CreditCheckServiceServer,
  MeasureCause,
} from '@credit/contracts/credit/lists/v1/lists.js';
import { DomainError, answerWhileOpen, timeOrderedId, invalidArgument, permissionDenied, requireRole, type Caller, type HandlerKit } from '@credit/platform';
import { tally } from '@credit/platform/telemetry';
import { checkEntityCode } from '../domain/definitions.js';
import type { CheckIndex } from '../domain/check-index.js';
import type { CheckLog } from '../check/check-log.js';
import { toEntryMessage, toMeasureMessage, toRatingCauseMessage } from '../check/codec.js';

const ACTIVITY = /^[a-z0-9_]{0,64}$/;

/**
 * CheckCredit answers from memory only. The department asked about is always the caller's own: the request has no
 * department field, so an office or operator caller gets the answer for its own department code too.
 * CheckCreditStream gives the same answers over one long-lived stream, which costs the server and the client a
 * fraction of a unary call per check (no call set-up, metadata, span or token lookup per check).
 */
export function creditCheckHandlers(kit: HandlerKit, index: CheckIndex, log: CheckLog, now: () => Date): CreditCheckServiceServer {
  // Checks over a stream are not calls, so the kit's rpc.server.duration does not count them: this counts every check
  // either way, as a tally (an OpenTelemetry counter's add() cost more than the check itself).
  const checks = tally('credit_check.checks', 'Credit checks (信用核查), by transport and outcome', {
    unaryAnswered: { via: 'unary', outcome: 'answered' },
    unaryRefused: { via: 'unary', outcome: 'refused' },
    streamAnswered: { via: 'stream', outcome: 'answered' },
    streamRefused: { via: 'stream', outcome: 'refused' },
  });

  function authorise(caller: Caller): void {
    requireRole(caller, 'department', 'sector', 'office', 'operator');
    if (caller.department === '') throw permissionDenied('NO_DEPARTMENT', '调用方没有所属部门，无法核查');
  }

  function answer(req: CheckCreditRequest, caller: Caller): CheckCreditResponse {
    const entity = checkEntityCode('entity_code', req.entityCode);
    const activity = req.activity.trim();
    const violations = entity.violation ? [entity.violation] : [];
    if (!ACTIVITY.test(activity)) {
      violations.push({ field: 'activity', reason: 'MALFORMED', message: '业务事项代码只能由小写字母、数字和下划线组成，不超过64个字符' });
    }
    if (violations.length > 0) throw invalidArgument(violations);
    const checkedAt = now();
    const position = index.position;
    const measures = index.check(entity.code, caller.department, activity, checkedAt);
    // Time-ordered: the check log's primary key grows at its right edge (BENCHMARKS.md).
    const checkId = timeOrderedId();
    log.record({
      checkId,
      checkedAt,
      department: caller.department,
      role: caller.role,
      subject: caller.subject,
      entityCode: entity.code,
      activity,
      measureCodes: measures.map((m) => m.measure.code),
      position,
    });
    return {
      checkId,
      entityCode: entity.code,
      department: caller.department,
      activity,
      measures: measures.map((m) => ({
        measure: toMeasureMessage(m.measure),
        causes: m.causes.map(
          (c): MeasureCause => ({
            cause: c.kind === 'entry' ? { $case: 'entry', value: toEntryMessage(c.entry) } : { $case: 'rating', value: toRatingCauseMessage(c.rating) },
            listTypeName: c.listTypeName,
            legalBasis: c.legalBasis,
          }),
        ),
      })),
      position,
      checkedAt,
    };
  }

  /** One question of a stream: its answer, or its refusal (a refusal is the question's, not the stream's). */
  function answerTagged(msg: CheckCreditStreamRequest, caller: Caller): CheckCreditStreamResponse {
    try {
      const value = answer(msg.check ?? { entityCode: '', activity: '' }, caller);
      checks.add('streamAnswered');
      return { tag: msg.tag, result: { $case: 'answer', value } };
    } catch (err) {
      if (!(err instanceof DomainError)) throw err;
      checks.add('streamRefused');
      return {
        tag: msg.tag,
        result: { $case: 'refused', value: { code: err.code, reason: err.reason, message: err.message, violations: err.violations } },
      };
    }
  }

  return {
    checkCredit: kit.unary(async (req, ctx) => {
      authorise(ctx.caller);
      try {
        const value = answer(req, ctx.caller);
        checks.add('unaryAnswered');
        return value;
      } catch (err) {
        if (err instanceof DomainError) checks.add('unaryRefused');
        throw err;
      }
    }),

    checkCreditStream: kit.bidi(async (call, ctx) => {
      authorise(ctx.caller);
      await answerWhileOpen(call, ctx, (msg) => answerTagged(msg, ctx.caller));
    }),
  };
}
