import type * as grpc from '@grpc/grpc-js';
import {
  ImportOutcome as ProtoOutcome,
  type ImportEntitiesRequest,
  type ImportEntitiesResponse,
} from '@credit/contracts/credit/registry/v1/registry.js';
import type { CallContext } from '@credit/platform';
import type { ImportOutcome, Registry } from '../app/registry.js';
import { fromEntityInput } from './entity-message.js';

export interface ImportTuning {
  /** Rows stored in one transaction. */
  batchSize: number;
  /** How long a partial batch waits for more rows before it is stored anyway. */
  lingerMs: number;
}

const OUTCOME: Record<ImportOutcome['outcome'], ProtoOutcome> = {
  created: ProtoOutcome.IMPORT_OUTCOME_CREATED,
  unchanged: ProtoOutcome.IMPORT_OUTCOME_UNCHANGED,
  rejected: ProtoOutcome.IMPORT_OUTCOME_REJECTED,
};

/**
 * Reads rows as they come, stores them in batches (one transaction each, in order), and streams a result per row.
 * Reading pauses while a full batch is stored, so a fast client is held back by TCP flow control rather than by
 * memory growing here.
 */
export function importEntities(
  registry: Registry,
  tuning: ImportTuning,
  call: grpc.ServerDuplexStream<ImportEntitiesRequest, ImportEntitiesResponse>,
  ctx: CallContext,
): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    let batch: ImportEntitiesRequest[] = [];
    let chain = Promise.resolve();
    let timer: NodeJS.Timeout | undefined;
    let failed = false;

    const flush = () => {
      if (timer) clearTimeout(timer);
      timer = undefined;
      const rows = batch;
      batch = [];
      if (rows.length === 0) return chain;
      chain = chain.then(async () => {
        if (failed) return;
        const outcomes = await registry.importBatch(ctx.caller, ctx.requestId, rows.map((r) => fromEntityInput(r.entity)));
        outcomes.forEach((o, i) => call.write(toResponse(rows[i]!.row, o)));
      });
      chain.catch((err: unknown) => {
        failed = true;
        reject(err);
      });
      return chain;
    };

    call.on('data', (row: ImportEntitiesRequest) => {
      batch.push(row);
      if (batch.length >= tuning.batchSize) {
        call.pause();
        void flush().then(() => call.resume(), () => undefined);
      } else if (!timer) {
        timer = setTimeout(flush, tuning.lingerMs);
      }
    });
    call.on('end', () => {
      void flush().then(() => {
        if (!failed) resolve();
      }, () => undefined);
    });
    call.on('error', (err) => {
      failed = true;
      reject(err);
    });
  });
}

function toResponse(row: number, o: ImportOutcome): ImportEntitiesResponse {
  return o.outcome === 'rejected'
    ? { row, outcome: OUTCOME.rejected, uscc: '', violations: o.violations }
    : { row, outcome: OUTCOME[o.outcome], uscc: o.entity.uscc ?? '', violations: [] };
}
