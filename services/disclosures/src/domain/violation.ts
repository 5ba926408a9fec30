import type { FieldViolation } from '@credit/platform/errors';

export type { FieldViolation };

export function violation(field: string, reason: string, message: string): FieldViolation {
  return { field, reason, message };
}

/** The outcome of parsing one cell: its normalised value, or why it was refused. */
export type CellResult<T> = { ok: true; value: T } | { ok: false; reason: string; message: string };

export function accepted<T>(value: T): CellResult<T> {
  return { ok: true, value };
}

export function refused<T>(reason: string, message: string): CellResult<T> {
  return { ok: false, reason, message };
}
