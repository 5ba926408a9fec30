// Per-call facts every handler needs besides the caller: a request id for correlation, and the deadline both as
// a date and as an AbortSignal that downstream work (queries, publishes) can honour.
import { randomUUID } from 'node:crypto';
import type * as grpc from '@grpc/grpc-js';

export const REQUEST_ID_KEY = 'x-request-id';

/** What this kit uses of every kind of server call (grpc-js does not export its own name for it). */
export interface SurfaceCall {
  readonly metadata: grpc.Metadata;
  getPath(): string;
  getDeadline(): grpc.Deadline;
  getAuthContext?(): ReturnType<grpc.ServerUnaryCall<unknown, unknown>['getAuthContext']>;
  sendMetadata(metadata: grpc.Metadata): void;
  /** True once the client cancelled (grpc-js sets it on every kind of server call). */
  readonly cancelled?: boolean;
  on(event: 'cancelled', listener: () => void): unknown;
  off(event: 'cancelled', listener: () => void): unknown;
}

// Ids come from clients: bound their size and alphabet before they reach logs.
const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

export function requestIdOf(metadata: grpc.Metadata): string {
  const given = metadata.get(REQUEST_ID_KEY)[0];
  return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
}

export function deadlineOf(call: SurfaceCall): Date | undefined {
  const deadline = call.getDeadline();
  if (deadline instanceof Date) return deadline;
  return Number.isFinite(deadline) ? new Date(deadline) : undefined;
}

// setTimeout cannot wait longer than this; a deadline further away is as good as none.
export const MAX_TIMER_MS = 2 ** 31 - 1;

/** An AbortSignal that fires at the deadline or when the client cancels; call `dispose` when the call ends. */
export function abortSignalFor(call: SurfaceCall, deadline: Date | undefined): { signal: AbortSignal; dispose(): void } {
  const controller = new AbortController();
  const onCancel = () => controller.abort(new Error('the call was cancelled by the client'));
  // Asked for late (the signal is made on first use), the call may already have been cancelled.
  if (call.cancelled) onCancel();
  call.on('cancelled', onCancel);
  let timer: NodeJS.Timeout | undefined;
  if (deadline) {
    const wait = deadline.getTime() - Date.now();
    if (wait <= 0) controller.abort(new Error('the call deadline has passed'));
    else if (wait <= MAX_TIMER_MS) {
      timer = setTimeout(() => controller.abort(new Error('the call deadline has passed')), wait);
      timer.unref();
    }
  }
  return {
    signal: controller.signal,
    dispose() {
      clearTimeout(timer);
      call.off('cancelled', onCancel);
    },
  };
}
