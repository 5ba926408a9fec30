import { createHash } from 'node:crypto';
import { basename, dirname, extname, join } from 'node:path';
import type * as grpc from '@grpc/grpc-js';
import {
  DisclosureServiceClient,
  RecordOutcome,
  type IngestRecordsRequest,
  type IngestRecordsResponse,
  type RecordResult,
} from '@credit/contracts/credit/disclosures/v1/disclosures.js';
import { createClient, isDomainError, violationsOf } from '@credit/platform';
import { isRowError, openDisclosureFile, openRejectedRowsReport, type DisclosureFile, type RejectedRowsReport } from '@credit/disclosures/files';
import type { Connection } from './connection.js';
import { Progress } from './progress.js';

const CHUNK_ROWS = 1000;
// Chunks sent and not yet answered: enough to keep the service busy, few enough that memory stays flat.
const IN_FLIGHT = 4;

export interface ImportOptions {
  item: string | undefined;
  report?: string;
  requestPrefix?: string;
  /** Rewrite one progress line in place (a terminal) instead of printing a line now and then. */
  tty?: boolean;
}

interface Tally {
  accepted: number;
  unchanged: number;
  rejected: number;
  late: number;
}

interface SentChunk {
  requestId: string;
  /** The cells of each row, by line, for the rejected-rows report. */
  cells: Map<number, readonly string[]>;
  /** Rows the reader could not read among this chunk's lines: reported with the chunk, so the report keeps file order. */
  unreadable: Rejection[];
}

interface Rejection {
  line: number;
  cells: readonly string[];
  reasons: string[];
}

/**
 * `credit disclosures import FILE --item CODE`: reads a CSV or XLSX file as it streams, sends its rows in chunks over
 * the same stream a front-end processor uses, and writes the rows the platform refused — with the reason — to a
 * report in the file's own format that the officer can correct and import again. Request ids come from each chunk's
 * content, so importing the same file again (after a crash, say) is answered from the first import and stores
 * nothing twice. Exit code 0 when every row was stored (or already was), 1 when any was refused, 2 for usage.
 */
export async function importDisclosuresCommand(conn: Connection, path: string, opts: ImportOptions, out: (line: string) => void): Promise<number> {
  if (!opts.item) {
    out('请用 --item 指定目录事项编码，例如 --item AMR-CF-001 (the catalog item the records are reported under)');
    return 2;
  }
  let file: DisclosureFile;
  try {
    file = await openDisclosureFile(path);
  } catch (err) {
    if (!isDomainError(err)) throw err;
    out(`无法导入 ${path}: ${err.message}`);
    return 1;
  }
  const kindName = file.kind === 'licence' ? '行政许可' : '行政处罚';
  out(`文件 ${basename(path)}: ${file.format.toUpperCase()}${file.encoding ? ` (${file.encoding})` : ''}，${kindName}，${file.headers.length} 列`);
  for (const notice of file.notices) out(`  ${notice}`);

  const prefix = opts.requestPrefix ?? 'import';
  const columns = file.columns.flatMap((c) => (c.field ? [c.field.code] : []));
  const headerOf = new Map(file.columns.flatMap((c) => (c.field ? [[c.field.code, c.header] as const] : [])));
  const reportPath = opts.report ?? join(dirname(path), `${basename(path, extname(path))}.rejected${extname(path) || `.${file.format}`}`);
  let report: RejectedRowsReport | undefined;
  const writeRejected = async (rejections: Rejection[]) => {
    for (const r of rejections.sort((a, b) => a.line - b.line)) {
      report ??= await openRejectedRowsReport(reportPath, { format: file.format, headers: file.headers });
      await report.append(r);
    }
  };
  // A message that already names the field by its header needs no prefix.
  const reasonOf = (field: string, message: string) => {
    const header = headerOf.get(field) ?? field;
    return message.includes(header) ? message : `${header}: ${message}`;
  };

  const tally: Tally = { accepted: 0, unchanged: 0, rejected: 0, late: 0 };
  const started = performance.now();
  const progress = new Progress(opts.tty ?? false, out, () => {
    const seconds = (performance.now() - started) / 1000;
    const done = tally.accepted + tally.unchanged + tally.rejected;
    const { bytesRead, totalBytes } = file.progress();
    const share = totalBytes > 0 ? ` ${Math.floor((bytesRead / totalBytes) * 100)}%` : '';
    return `已处理 ${done} 行${share}，${Math.round(done / Math.max(seconds, 0.001))} 行/秒；入库 ${tally.accepted}，已存在 ${tally.unchanged}，退回 ${tally.rejected}`;
  }, () => {
    const { bytesRead, totalBytes } = file.progress();
    return totalBytes > 0 ? bytesRead / totalBytes : 0;
  });

  const client = createClient(DisclosureServiceClient, conn.disclosures, { token: conn.token, deadlineMs: 24 * 3600_000 });
  const stream = client.ingestRecords() as grpc.ClientDuplexStream<IngestRecordsRequest, IngestRecordsResponse>;
  const sent: SentChunk[] = [];
  let answered: () => void = () => {};
  let failure: unknown;
  const finished = new Promise<void>((resolve) => {
    stream.on('data', (response: IngestRecordsResponse) => {
      const chunk = sent.shift();
      if (!chunk || chunk.requestId !== response.requestId) {
        failure ??= new Error(`answer for ${response.requestId} arrived out of order`);
        return;
      }
      void settle(chunk, response.results).then(answered, (err: unknown) => (failure ??= err));
    });
    stream.on('error', (err) => {
      failure ??= err;
      answered();
      resolve();
    });
    stream.on('end', resolve);
  });
  let settling = Promise.resolve();
  const settle = (chunk: SentChunk, results: RecordResult[]) =>
    (settling = settling.then(async () => {
      const rejected = [...chunk.unreadable];
      for (const r of results) {
        if (r.outcome === RecordOutcome.RECORD_OUTCOME_ACCEPTED) tally.accepted++;
        else if (r.outcome === RecordOutcome.RECORD_OUTCOME_UNCHANGED) tally.unchanged++;
        else {
          tally.rejected++;
          const line = Number(r.line);
          rejected.push({ line, cells: chunk.cells.get(line) ?? [], reasons: r.violations.map((v) => reasonOf(v.field, v.message)) });
        }
        if (r.late) tally.late++;
      }
      await writeRejected(rejected);
      progress.tick();
    }));
  const waitForRoom = async () => {
    while (sent.length >= IN_FLIGHT && failure === undefined) await new Promise<void>((r) => (answered = r));
  };

  let rows: { line: number; values: string[] }[] = [];
  let cells = new Map<number, readonly string[]>();
  let unreadable: Rejection[] = [];
  let chunkIndex = 0;
  const flush = async () => {
    if (rows.length === 0) return;
    await waitForRoom();
    if (failure !== undefined) return;
    // Named by its content: the same rows sent again (the same file re-imported after a crash) get the first answers,
    // while a chunk whose rows changed is a new request. Hashing as the chunks go costs no pass over the file first.
    const requestId = `${prefix}-${chunkIndex++}-${chunkDigest(opts.item!, columns, rows)}`;
    sent.push({ requestId, cells, unreadable });
    stream.write({ requestId, itemCode: opts.item!, columns, rows });
    rows = [];
    cells = new Map();
    unreadable = [];
  };

  try {
    for await (const row of file.rows()) {
      if (failure !== undefined) break;
      if (isRowError(row)) {
        tally.rejected++;
        unreadable.push({ line: row.line, cells: row.cells, reasons: [row.message] });
        continue;
      }
      rows.push({ line: row.line, values: columns.map((c) => row.fields[c] ?? '') });
      cells.set(row.line, row.cells);
      if (rows.length >= CHUNK_ROWS) await flush();
    }
    await flush();
  } catch (err) {
    // The file broke mid-way (e.g. a zip entry that inflates past its limit).
    failure ??= err;
  } finally {
    stream.end();
    await finished;
    await settling;
    // Unreadable rows after the last row sent come last.
    await writeRejected(unreadable).catch((err: unknown) => (failure ??= err));
    progress.stop();
    await file.close();
    client.close();
  }
  const written = report ? await report.close() : undefined;

  if (failure !== undefined) {
    out(`导入中止 (import stopped): ${describe(failure)}`);
    if (written) out(`已退回的行写入 ${reportPath}`);
    return 1;
  }
  const seconds = (performance.now() - started) / 1000;
  out(`完成: 入库 ${tally.accepted}，已存在未变 ${tally.unchanged}，退回 ${tally.rejected}，其中逾期报送 ${tally.late}；用时 ${seconds.toFixed(1)} 秒`);
  if (written) out(`退回的 ${written.rows} 行及错误原因已写入 ${reportPath}，修改后可直接重新导入`);
  return tally.rejected > 0 ? 1 : 0;
}

function describe(err: unknown): string {
  if (isDomainError(err)) return err.message;
  const e = err as grpc.ServiceError;
  const lines = [`${e.details ?? e.message ?? String(err)}${e.code !== undefined ? ` (gRPC ${e.code})` : ''}`];
  for (const v of violationsOf(err)) lines.push(`  ${v.field}: ${v.message}`);
  return lines.join('\n');
}

function chunkDigest(item: string, columns: string[], rows: { line: number; values: string[] }[]): string {
  const hash = createHash('sha256').update(item).update('\u0000').update(columns.join('\u0001'));
  for (const row of rows) hash.update(`\u0000${row.line}\u0001`).update(row.values.join('\u0001'));
  return hash.digest('base64url').slice(0, 22);
}
