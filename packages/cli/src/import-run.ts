import { RecordOutcome, type IngestRecordsResponse } from '@credit/contracts/credit/disclosures/v1/disclosures.js';
import { isRowError, openRejectedRowsReport, type DisclosureFile, type RejectedRow, type RejectedRowsReport } from '@credit/disclosures/files';
import { chunkRequestId } from './chunk-request-id.js';
import type { IngestStream } from './ingest-stream.js';
import { rejectionReason } from './rejection-reason.js';

/** The service takes at most this many rows per chunk. */
export const CHUNK_ROWS = 1000;

export interface ImportTally {
  accepted: number;
  unchanged: number;
  rejected: number;
  late: number;
}

/** What the import keeps about a chunk until it is answered: enough to write its rejected rows to the report. */
export interface ChunkKept {
  /** The cells of each sent row, by line. */
  cells: Map<number, readonly string[]>;
  /** Rows the reader could not read, among or just before this chunk's lines: reported with it, in file order. */
  unreadable: RejectedRow[];
  /** How far into the file the reader was when the chunk was sent: done once it is answered. */
  bytesRead: number;
}

/** How far the import is: counts of the rows answered, and the bytes of the file they came from. */
export interface ImportProgress {
  tally: Readonly<ImportTally>;
  bytesDone: number;
  totalBytes: number;
}

export interface ImportRunOptions {
  itemCode: string;
  requestPrefix: string;
  reportPath: string;
  /** Stop reading; what was sent is still answered and reported. */
  signal?: AbortSignal;
  /** Called after each answered chunk. */
  onProgress?: (progress: ImportProgress) => void;
}

export interface ImportRunResult {
  tally: ImportTally;
  /** Rows in the rejected-rows report; 0 when none was written. */
  reported: number;
  /** Why the import stopped before the end of the file (the stream, the file or the report failed). */
  failure?: { error: unknown };
  interrupted: boolean;
}

/**
 * Streams a file's rows to IngestRecords in chunks and writes every refused row — unreadable ones straight from the
 * reader, rejected ones from the service's answers — to the report, opened at the first refusal, in file order.
 */
export async function runImport(
  file: DisclosureFile,
  openStream: (onAnswer: (answer: IngestRecordsResponse, kept: ChunkKept) => Promise<void>) => IngestStream<ChunkKept>,
  options: ImportRunOptions,
): Promise<ImportRunResult> {
  const tally: ImportTally = { accepted: 0, unchanged: 0, rejected: 0, late: 0 };
  const columns = file.columns.flatMap((c) => (c.field ? [c.field.code] : []));
  let report: RejectedRowsReport | undefined;
  const reportAll = async (rows: RejectedRow[]) => {
    try {
      for (const row of rows.sort((a, b) => a.line - b.line)) {
        report ??= await openRejectedRowsReport(options.reportPath, { format: file.format, headers: file.headers });
        await report.append(row);
      }
    } catch (err) {
      throw new Error(`无法写入退回行报告 ${options.reportPath}: ${(err as Error).message}`, { cause: err });
    }
  };

  const stream = openStream(async (answer, kept) => {
    const refused = [...kept.unreadable];
    tally.rejected += kept.unreadable.length;
    for (const r of answer.results) {
      if (r.late) tally.late++;
      if (r.outcome === RecordOutcome.RECORD_OUTCOME_ACCEPTED) tally.accepted++;
      else if (r.outcome === RecordOutcome.RECORD_OUTCOME_UNCHANGED) tally.unchanged++;
      else {
        tally.rejected++;
        const line = Number(r.line);
        const reasons = r.violations.map((v) => rejectionReason(file.kind, v));
        refused.push({ line, cells: kept.cells.get(line) ?? [], reasons: reasons.length > 0 ? reasons : ['未通过校验'] });
      }
    }
    await reportAll(refused);
    options.onProgress?.({ tally, bytesDone: kept.bytesRead, totalBytes: file.progress().totalBytes });
  });

  let rows: { line: number; values: string[] }[] = [];
  const nothingKept = (): ChunkKept => ({ cells: new Map(), unreadable: [], bytesRead: 0 });
  let kept = nothingKept();
  let index = 0;
  const send = async () => {
    if (rows.length === 0) return;
    const chunk = { requestId: chunkRequestId(options.requestPrefix, index++, { itemCode: options.itemCode, columns, rows }), itemCode: options.itemCode, columns, rows };
    kept.bytesRead = file.progress().bytesRead;
    const sending = stream.send(chunk, kept);
    rows = [];
    kept = nothingKept();
    await sending;
  };

  /** Writes the unreadable rows kept since the last chunk, after every earlier row's answer, to keep file order. */
  const reportUnreadable = async () => {
    await stream.idle();
    tally.rejected += kept.unreadable.length;
    await reportAll(kept.unreadable);
    kept.unreadable = [];
  };

  let failure: { error: unknown } | undefined;
  let interrupted = false;
  try {
    for await (const row of file.rows()) {
      if (options.signal?.aborted) {
        interrupted = true;
        break;
      }
      if (isRowError(row)) {
        kept.unreadable.push({ line: row.line, cells: row.cells, reasons: [row.message] });
        // A file whose every row is broken (unquoted commas in a text column) must not pile up in memory.
        if (kept.unreadable.length >= CHUNK_ROWS) await (rows.length > 0 ? send() : reportUnreadable());
        continue;
      }
      rows.push({ line: row.line, values: columns.map((c) => row.fields[c] ?? '') });
      kept.cells.set(row.line, row.cells);
      if (rows.length >= CHUNK_ROWS) await send();
    }
    if (!interrupted) await send();
  } catch (error) {
    // The file broke mid-way (a zip entry inflating past its limit, say), or the stream failed while sending.
    failure = { error };
  }
  try {
    // Unreadable rows after the last row sent; an import that stopped early reports only what was answered.
    if (!failure && !interrupted) await reportUnreadable();
  } catch (error) {
    failure ??= { error };
  }
  try {
    await stream.close();
  } catch (error) {
    failure ??= { error };
  } finally {
    await file.close();
  }
  const written = report
    ? await report.close().catch((err: unknown) => {
        failure ??= { error: new Error(`无法写入退回行报告 ${options.reportPath}: ${(err as Error).message}`, { cause: err }) };
        return { rows: 0 };
      })
    : { rows: 0 };
  return { tally, reported: written.rows, failure, interrupted };
}
