import type * as grpc from '@grpc/grpc-js';
import {
  ImportOutcome as ProtoOutcome,
  type ImportEntitiesRequest,
  type ImportEntitiesResponse,
  type ImportRow,
  type ImportRowResult,
} from '@credit/contracts/credit/registry/v1/registry.js';
import { invalidArgument, type CallContext } from '@credit/platform';
import type { ImportOutcome, Registry } from '../app/registry.js';
import { fromEntityInput } from './entity-message.js';

export interface ImportTuning {
  /** Rows stored in one transaction. */
  batchSize: number;
  /** How long a partial batch waits for more rows before it is stored anyway. */
  lingerMs: number;
  /** Batches of one stream stored at the same time. */
  concurrency: number;
}

export const MAX_ROWS_PER_MESSAGE = 1000;

const OUTCOME: Record<ImportOutcome['outcome'], ProtoOutcome> = {
  created: ProtoOutcome.IMPORT_OUTCOME_CREATED,
  unchanged: ProtoOutcome.IMPORT_OUTCOME_UNCHANGED,
  rejected: ProtoOutcome.IMPORT_OUTCOME_REJECTED,
};

/**
 * Reads chunks of rows as they come, stores them in batches (one transaction each, up to `concurrency` at once so the
 * database works on one batch while the next is validated and sent) and answers each batch with one message, in the
 * order the rows came. Reading pauses while a full batch waits for a free slot, so a fast client is held back by flow
 * control rather than by memory growing here.
 */
export function importEntities(
  registry: Registry,
  tuning: ImportTuning,
  call: grpc.ServerDuplexStream<ImportEntitiesRequest, ImportEntitiesResponse>,
  ctx: CallContext,
): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    let batch: ImportRow[] = [];
    const waiting: ImportRow[][] = [];
    let active = 0;
    let answers = Promise.resolve();
    let timer: NodeJS.Timeout | undefined;
    let ended = false;
    let failed = false;

    const fail = (err: unknown) => {
      if (failed) return;
      failed = true;
      if (timer) clearTimeout(timer);
      reject(err);
    };

    const finishIfDone = () => {
      if (ended && active === 0 && waiting.length === 0 && batch.length === 0) {
        answers.then(() => !failed && resolve(), fail);
      }
    };

    const pump = () => {
      while (!failed && active < tuning.concurrency && waiting.length > 0) {
        const rows = waiting.shift()!;
        active++;
        const stored = registry.importBatch(ctx.caller, ctx.requestId, rows.map((r) => fromEntityInput(r.entity)));
        // Answers go out in row order even when a later batch commits first.
        // A failed batch is reported once, by `fail` below; the answer chain itself never rejects.
        answers = answers.then(async () => {
          const outcomes = await stored.catch(() => undefined);
          if (outcomes && !failed) call.write({ results: outcomes.map((o, i) => toResult(rows[i]!.row, o)) });
        });
        stored.then(
          () => {
            active--;
            pump();
            finishIfDone();
          },
          fail,
        );
      }
      if (waiting.length === 0) call.resume();
    };

    const flush = () => {
      if (timer) clearTimeout(timer);
      timer = undefined;
      if (batch.length === 0) return;
      waiting.push(batch);
      batch = [];
      if (waiting.length > 0 && active >= tuning.concurrency) call.pause();
      pump();
    };

    call.on('data', (message: ImportEntitiesRequest) => {
      if (failed) return;
      if (message.rows.length > MAX_ROWS_PER_MESSAGE) {
        fail(invalidArgument([{ field: 'rows', reason: 'TOO_MANY_ROWS', message: `每条消息最多${MAX_ROWS_PER_MESSAGE}行` }]));
        return;
      }
      for (const row of message.rows) {
        batch.push(row);
        if (batch.length >= tuning.batchSize) flush();
      }
      if (batch.length > 0 && !timer) timer = setTimeout(flush, tuning.lingerMs);
    });
    call.on('end', () => {
      ended = true;
      flush();
      finishIfDone();
    });
    call.on('error', fail);
  });
}

function toResult(row: number, o: ImportOutcome): ImportRowResult {
  return o.outcome === 'rejected'
    ? { row, outcome: OUTCOME.rejected, uscc: '', violations: o.violations }
    : { row, outcome: OUTCOME[o.outcome], uscc: o.entity.uscc ?? '', violations: [] };
}
