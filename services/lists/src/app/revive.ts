// Answers stored for idempotent replays are JSON: these put the dates back.
import type { Entry, MeasureResponse } from '../domain/index.js';
import { reviveObjection } from '../db/store.js';

const at = (v: unknown): Date | undefined => (v === undefined || v === null ? undefined : new Date(v as string));

export function reviveEntry(e: Entry): Entry {
  return {
    ...e,
    decidedAt: at(e.decidedAt)!,
    noticeEndsAt: at(e.noticeEndsAt),
    effectiveAt: at(e.effectiveAt),
    validUntil: at(e.validUntil),
    objection: e.objection ? reviveObjection(e.objection as unknown as Record<string, unknown>) : undefined,
    removedAt: at(e.removedAt),
    createdAt: at(e.createdAt)!,
  };
}

export function reviveResponse(r: MeasureResponse): MeasureResponse {
  return { ...r, dueAt: at(r.dueAt)!, reportedAt: at(r.reportedAt) };
}
