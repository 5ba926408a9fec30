import * as grpc from '@grpc/grpc-js';

export type SectorErrorCode =
  | 'INVALID_ARGUMENT'
  | 'NOT_FOUND'
  | 'ALREADY_EXISTS'
  | 'FAILED_PRECONDITION'
  | 'PERMISSION_DENIED'
  | 'UNAUTHENTICATED'
  | 'UNAVAILABLE'
  | 'DEADLINE_EXCEEDED'
  | 'ABORTED'
  | 'RESOURCE_EXHAUSTED'
  | 'INTERNAL'
  | 'UNKNOWN';

export interface FieldViolation {
  field: string;
  reason: string;
  message: string;
}

// What each code means to a sector developer (English) and to the officer reading a log or screen (Chinese).
const MEANINGS: Record<SectorErrorCode, [en: string, zh: string]> = {
  INVALID_ARGUMENT: ['invalid argument', '参数有误'],
  NOT_FOUND: ['not found', '对象不存在'],
  ALREADY_EXISTS: ['already exists', '已存在'],
  FAILED_PRECONDITION: ['not allowed in the current state', '当前状态不允许此操作'],
  PERMISSION_DENIED: ['permission denied', '无权执行此操作'],
  UNAUTHENTICATED: ['not authenticated (check the token)', '身份认证失败（请检查令牌）'],
  UNAVAILABLE: ['the lists service is unavailable; retry later', '名单服务暂不可用，请稍后重试'],
  DEADLINE_EXCEEDED: ['no answer within the deadline; retry later', '请求超时，请稍后重试'],
  ABORTED: ['aborted by a concurrent change; retry', '因并发修改而中止，请重试'],
  RESOURCE_EXHAUSTED: ['rate or size limit reached', '超出频率或大小限制'],
  INTERNAL: ['internal error of the platform', '平台内部错误'],
  UNKNOWN: ['unknown error', '未知错误'],
};

const RETRYABLE = new Set<SectorErrorCode>(['UNAVAILABLE', 'DEADLINE_EXCEEDED', 'ABORTED', 'RESOURCE_EXHAUSTED', 'INTERNAL']);

/** A refused or failed call to the platform, with the platform's own words and a meaning in English and Chinese. */
export class SectorError extends Error {
  readonly code: SectorErrorCode;
  /** Machine-readable cause from the platform (UPPER_SNAKE), e.g. ENTRY_NOT_FOUND; the code when none was given. */
  readonly reason: string;
  /** The platform's message (Chinese where an officer reads it). */
  readonly detail: string;
  /** The same failure in Chinese, for an officer's screen or log: 反馈上报失败：参数有误 — … */
  readonly messageZh: string;
  readonly violations: FieldViolation[];
  /** Worth retrying later with the same request id (the platform was down, slow, or busy). */
  readonly retryable: boolean;

  constructor(opts: { code: SectorErrorCode; operation: string; operationZh: string; detail?: string; reason?: string; violations?: FieldViolation[] }) {
    const [en, zh] = MEANINGS[opts.code];
    const detail = opts.detail ?? '';
    super(`${opts.operation}: ${en}${detail ? ` — ${detail}` : ''}`);
    this.name = 'SectorError';
    this.code = opts.code;
    this.reason = opts.reason || opts.code;
    this.detail = detail;
    this.messageZh = `${opts.operationZh}失败：${zh}${detail ? ` — ${detail}` : ''}`;
    this.violations = opts.violations ?? [];
    this.retryable = RETRYABLE.has(opts.code);
  }
}

export function isSectorError(err: unknown): err is SectorError {
  return err instanceof SectorError || (err instanceof Error && err.name === 'SectorError');
}

function codeOf(status: number | undefined): SectorErrorCode {
  return codeNamed(status === undefined ? undefined : grpc.status[status]);
}

/** A status code's name (INVALID_ARGUMENT) as a SectorErrorCode; UNKNOWN for a name this SDK does not know. */
export function codeNamed(name: string | undefined): SectorErrorCode {
  return name && Object.hasOwn(MEANINGS, name) ? (name as SectorErrorCode) : 'UNKNOWN';
}

function violationsOf(metadata: grpc.Metadata | undefined): FieldViolation[] {
  const raw = metadata?.get('violations-bin')[0];
  if (!Buffer.isBuffer(raw)) return [];
  try {
    const parsed: unknown = JSON.parse(raw.toString('utf8'));
    if (!Array.isArray(parsed)) return [];
    return parsed.filter(
      (v): v is FieldViolation =>
        typeof v === 'object' && v !== null && typeof v.field === 'string' && typeof v.reason === 'string' && typeof v.message === 'string',
    );
  } catch {
    return [];
  }
}

/** A grpc-js ServiceError (or anything else a call threw) as a SectorError. */
export function toSectorError(err: unknown, operation: string, operationZh: string): SectorError {
  if (isSectorError(err)) return err;
  const e = err as Partial<grpc.ServiceError> | undefined;
  const metadata = e?.metadata instanceof grpc.Metadata ? e.metadata : undefined;
  const reason = metadata?.get('reason')[0];
  return new SectorError({
    code: typeof e?.code === 'number' ? codeOf(e.code) : 'UNKNOWN',
    operation,
    operationZh,
    detail: typeof e?.details === 'string' ? e.details : err instanceof Error ? err.message : String(err),
    ...(typeof reason === 'string' ? { reason } : {}),
    violations: violationsOf(metadata),
  });
}
