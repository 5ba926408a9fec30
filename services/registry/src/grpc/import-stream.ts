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
}

export const MAX_ROWS_PER_MESSAGE = 1000;

const OUTCOME: Record<ImportOutcome['outcome'], ProtoOutcome> = {
  created: ProtoOutcome.IMPORT_OUTCOME_CREATED,
  unchanged: ProtoOutcome.IMPORT_OUTCOME_UNCHANGED,
  rejected: ProtoOutcome.IMPORT_OUTCOME_REJECTED,
};

/**
 * Reads chunks of rows as they come, stores them in batches (one transaction each) and answers each batch with one
 * message, in the order the rows came. Batches are stored one after another; while one is stored the next one fills,
 * and reading pauses when a second full batch is waiting, so a fast client is held back by flow control rather than
 * by memory growing here.
 */
export function importEntities(
  registry: Registry,
  tuning: ImportTuning,
  call: grpc.ServerDuplexStream<ImportEntitiesRequest, ImportEntitiesResponse>,
  ctx: CallContext,
): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    let batch: ImportRow[] = [];
    let chain = Promise.resolve();
    let waiting = 0;
    let timer: NodeJS.Timeout | undefined;
    let failed = false;

    const fail = (err: unknown) => {
      if (failed) return;
      failed = true;
      if (timer) clearTimeout(timer);
      reject(err);
    };

    const flush = () => {
      if (timer) clearTimeout(timer);
      timer = undefined;
      const rows = batch;
      batch = [];
      if (rows.length === 0) return chain;
      waiting++;
      if (waiting > 1) call.pause();
      chain = chain.then(async () => {
        if (failed) return;
        const outcomes = await registry.importBatch(ctx.caller, ctx.requestId, rows.map((r) => fromEntityInput(r.entity)));
        call.write({ results: outcomes.map((o, i) => toResult(rows[i]!.row, o)) });
        waiting--;
        if (waiting <= 1) call.resume();
      });
      chain.catch(fail);
      return chain;
    };

    call.on('data', (message: ImportEntitiesRequest) => {
      if (failed) return;
      if (message.rows.length > MAX_ROWS_PER_MESSAGE) {
        fail(invalidArgument([{ field: 'rows', reason: 'TOO_MANY_ROWS', message: `每条消息最多${MAX_ROWS_PER_MESSAGE}行` }]));
        return;
      }
      for (const row of message.rows) {
        batch.push(row);
        if (batch.length >= tuning.batchSize) void flush();
      }
      if (batch.length > 0 && !timer) timer = setTimeout(flush, tuning.lingerMs);
    });
    call.on('end', () => {
      void flush().then(() => {
        if (!failed) resolve();
      }, () => undefined);
    });
    call.on('error', fail);
  });
}

function toResult(row: number, o: ImportOutcome): ImportRowResult {
  return o.outcome === 'rejected'
    ? { row, outcome: OUTCOME.rejected, uscc: '', violations: o.violations }
    : { row, outcome: OUTCOME[o.outcome], uscc: o.entity.uscc ?? '', violations: [] };
}
