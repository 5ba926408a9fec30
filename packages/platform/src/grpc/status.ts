// DomainError <-> gRPC status. The reason and the field violations travel in trailing metadata (`reason`,
// `violations-bin`), the human message in the status details; anything that is not a DomainError becomes a
// generic INTERNAL so internals (SQL, stack traces, hostnames) never reach a caller.
import * as grpc from '@grpc/grpc-js';
import { DomainError, type FieldViolation } from '../errors.js';

export const REASON_KEY = 'reason';
export const VIOLATIONS_KEY = 'violations-bin';

export interface StatusError {
  code: grpc.status;
  details: string;
  metadata: grpc.Metadata;
}

/** The status a handler failure is sent as; `trailers` are added to (request id, for example). */
export function toStatusError(err: unknown, trailers: grpc.Metadata): StatusError {
  const metadata = trailers.clone();
  if (err instanceof DomainError) {
    metadata.set(REASON_KEY, err.reason);
    if (err.violations.length > 0) metadata.set(VIOLATIONS_KEY, Buffer.from(JSON.stringify(err.violations)));
    return { code: grpc.status[err.code], details: err.message, metadata };
  }
  metadata.set(REASON_KEY, 'INTERNAL');
  return { code: grpc.status.INTERNAL, details: 'internal error', metadata };
}

function isViolation(value: unknown): value is FieldViolation {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return typeof v.field === 'string' && typeof v.reason === 'string' && typeof v.message === 'string';
}

function metadataOf(err: unknown): grpc.Metadata | undefined {
  if (typeof err !== 'object' || err === null) return undefined;
  const metadata = (err as { metadata?: unknown }).metadata;
  return metadata instanceof grpc.Metadata ? metadata : undefined;
}

/** The field violations a server attached to a ServiceError (or carried by a DomainError); [] when none. */
export function violationsOf(err: unknown): FieldViolation[] {
  if (err instanceof DomainError) return err.violations;
  const raw = metadataOf(err)?.get(VIOLATIONS_KEY)[0];
  if (!Buffer.isBuffer(raw)) return [];
  try {
    const parsed: unknown = JSON.parse(raw.toString('utf8'));
    return Array.isArray(parsed) ? parsed.filter(isViolation) : [];
  } catch {
    return [];
  }
}

/** The machine-readable reason a server attached to a ServiceError (or of a DomainError). */
export function reasonOf(err: unknown): string | undefined {
  if (err instanceof DomainError) return err.reason;
  const raw = metadataOf(err)?.get(REASON_KEY)[0];
  return typeof raw === 'string' ? raw : undefined;
}
