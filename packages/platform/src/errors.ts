// Domain errors: what went wrong, in words a caller can act on. Pure on purpose — the domain layers of services
// import this module (via '@credit/platform/errors') and must not pull in gRPC; the gRPC kit maps `code` to the
// status of the same name.

export type ErrorCode =
  | 'INVALID_ARGUMENT'
  | 'NOT_FOUND'
  | 'ALREADY_EXISTS'
  | 'FAILED_PRECONDITION'
  | 'PERMISSION_DENIED'
  | 'UNAUTHENTICATED'
  | 'UNAVAILABLE'
  | 'ABORTED'
  | 'RESOURCE_EXHAUSTED'
  | 'DEADLINE_EXCEEDED';

/** One bad input field. `reason` is machine-readable (UPPER_SNAKE), `message` is for people. */
export interface FieldViolation {
  field: string;
  reason: string;
  message: string;
}

export class DomainError extends Error {
  readonly code: ErrorCode;
  /** Machine-readable cause (UPPER_SNAKE), stable across releases so clients can branch on it. */
  readonly reason: string;
  readonly violations: FieldViolation[];

  constructor(code: ErrorCode, reason: string, message: string, violations: FieldViolation[] = []) {
    super(message);
    this.name = 'DomainError';
    this.code = code;
    this.reason = reason;
    this.violations = violations;
  }
}

export function isDomainError(err: unknown): err is DomainError {
  return err instanceof DomainError;
}

/** One error for all bad fields, so a caller fixes its input in one round trip. */
export function invalidArgument(violations: FieldViolation[]): DomainError {
  const only = violations.length === 1 ? violations[0] : undefined;
  const reason = only ? only.reason : 'INVALID_ARGUMENT';
  const message = violations.map((v) => `${v.field}: ${v.message}`).join('; ') || 'invalid argument';
  return new DomainError('INVALID_ARGUMENT', reason, message, violations);
}

export function notFound(reason: string, message: string): DomainError {
  return new DomainError('NOT_FOUND', reason, message);
}

export function alreadyExists(reason: string, message: string, violations?: FieldViolation[]): DomainError {
  return new DomainError('ALREADY_EXISTS', reason, message, violations);
}

export function failedPrecondition(reason: string, message: string): DomainError {
  return new DomainError('FAILED_PRECONDITION', reason, message);
}

export function permissionDenied(reason: string, message: string): DomainError {
  return new DomainError('PERMISSION_DENIED', reason, message);
}

export function aborted(reason: string, message: string): DomainError {
  return new DomainError('ABORTED', reason, message);
}

export function unauthenticated(reason: string, message: string): DomainError {
  return new DomainError('UNAUTHENTICATED', reason, message);
}
