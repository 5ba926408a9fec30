import { accessSync, constants, statSync } from 'node:fs';
import { basename, dirname, extname, join, resolve } from 'node:path';
import type * as grpc from '@grpc/grpc-js';
import {
  DisclosureServiceClient,
  type IngestRecordsRequest,
  type IngestRecordsResponse,
} from '@credit/contracts/credit/disclosures/v1/disclosures.js';
import { createClient, isDomainError } from '@credit/platform';
import { openDisclosureFile, type DisclosureFile } from '@credit/disclosures/files';
import { MAX_REQUEST_PREFIX } from './chunk-request-id.js';
import type { Connection } from './connection.js';
import { failureMessage, fileProblemOf } from './failure-message.js';
import { IngestStream } from './ingest-stream.js';
import { runImport, type ChunkKept, type ImportProgress } from './import-run.js';
import { formatBytes, Progress } from './progress.js';

// Chunks sent and not yet answered: enough to keep the service busy (it validates one while it stores another),
// few enough that memory stays flat however long the file is.
const MAX_CHUNKS_IN_FLIGHT = 4;
const DEFAULT_REQUEST_PREFIX = 'import';

export interface ImportOptions {
  item: string | undefined;
  report?: string;
  requestPrefix?: string;
  /** Rewrite one progress line in place (a terminal) instead of printing a line now and then. */
  tty?: boolean;
  /** Ctrl-C: stop reading, let what was sent be answered and reported, then stop. */
  signal?: AbortSignal;
  /** For tests: the progress clock (ms) and the terminal writer. */
  now?: () => number;
  write?: (text: string) => void;
}

const DISCLOSURES_SERVICE = { name: '双公示服务', flag: '--disclosures', env: 'CREDIT_DISCLOSURES' };

/**
 * `credit disclosures import FILE --item CODE`: reads a CSV or XLSX file as it streams, sends its rows in chunks over
 * the stream a front-end processor uses, and writes the rows the platform refused — with the reason — to a report in
 * the file's own format that the officer can correct and import as it is. Importing the same file again (after a
 * crash or Ctrl-C) is answered from the first import and stores nothing twice (see chunkRequestId).
 * Exit code 0 when every row was stored (or already was), 1 when any was refused or the import stopped, 2 for usage.
 */
export async function importDisclosuresCommand(conn: Connection, path: string, opts: ImportOptions, out: (line: string) => void): Promise<number> {
  const usage = usageProblem(path, opts);
  if (usage) {
    out(usage);
    return 2;
  }
  const itemCode = opts.item!;
  let file: DisclosureFile;
  try {
    file = await openDisclosureFile(path);
  } catch (err) {
    const problem = isDomainError(err) ? err.message : fileProblemOf(err);
    if (problem === undefined) throw err;
    out(`无法导入 ${path}: ${problem}`);
    return 1;
  }
  printFacts(file, path, out);

  const reportPath = opts.report ?? defaultReportPath(path, file);
  const address = conn.disclosures;
  const client = createClient(DisclosureServiceClient, address, { token: conn.token });
  let latest: ImportProgress = { tally: { accepted: 0, unchanged: 0, rejected: 0, late: 0 }, bytesDone: 0, totalBytes: 0 };
  const progress = new Progress(
    { tty: opts.tty ?? false, out, now: opts.now, write: opts.write },
    (seconds) => progressLine(latest, seconds),
    () => (latest.totalBytes > 0 ? latest.bytesDone / latest.totalBytes : 0),
  );
  let result;
  try {
    result = await runImport(
      file,
      (onAnswer) => {
        const call = client.ingestRecords() as grpc.ClientDuplexStream<IngestRecordsRequest, IngestRecordsResponse>;
        return new IngestStream<ChunkKept>(call, MAX_CHUNKS_IN_FLIGHT, onAnswer);
      },
      {
        itemCode,
        requestPrefix: opts.requestPrefix ?? DEFAULT_REQUEST_PREFIX,
        reportPath,
        signal: opts.signal,
        onProgress: (soFar) => {
          latest = soFar;
          progress.tick();
        },
      },
    );
  } finally {
    progress.stop();
    client.close();
  }

  const { tally } = result;
  const done = `入库 ${tally.accepted}，已存在未变 ${tally.unchanged}，退回 ${tally.rejected}，其中逾期报送 ${tally.late}；用时 ${progress.elapsed().toFixed(1)} 秒`;
  if (result.failure || result.interrupted) {
    out(result.failure ? `导入中止: ${failureMessage(result.failure.error, { ...DISCLOSURES_SERVICE, address })}` : '导入已中断');
    if (tally.accepted + tally.unchanged + tally.rejected > 0) out(`已处理部分: ${done}`);
    if (result.reported > 0) out(`已处理部分中退回的 ${result.reported} 行写入 ${reportPath}（不完整）`);
    out(`${result.failure ? '排除问题后' : ''}重新运行同一命令即可继续：已处理的行按首次结果作答，不会重复入库`);
    return 1;
  }
  out(`完成: ${done}`);
  if (result.reported > 0) out(`退回的 ${result.reported} 行及错误原因已写入 ${reportPath}，修改后可直接重新导入`);
  return tally.rejected > 0 ? 1 : 0;
}

/** A usage problem of the command line, in the officer's words; undefined when there is none. */
function usageProblem(path: string, opts: ImportOptions): string | undefined {
  if (!opts.item) return '请用 --item 指定目录事项编码，例如 --item AMR-CF-001 (the catalog item the records are reported under)';
  const prefix = opts.requestPrefix;
  if (prefix !== undefined && (prefix.trim() === '' || prefix.length > MAX_REQUEST_PREFIX)) {
    return `--request-prefix 不能为空，且不超过 ${MAX_REQUEST_PREFIX} 个字符`;
  }
  if (opts.report !== undefined && resolve(opts.report) === resolve(path)) return '--report 不能与导入的文件相同，否则会覆盖原文件';
  // Checked before anything is sent: a file from a disc sits in a folder no report can be written to.
  const reportDir = dirname(opts.report ?? path);
  try {
    accessSync(reportDir, constants.W_OK);
  } catch {
    return `无法在 ${reportDir} 写入退回行报告，请用 --report 指定可写的位置`;
  }
  return undefined;
}

/** `<name>.rejected.<ext>` next to the input, in the input's format. */
function defaultReportPath(path: string, file: DisclosureFile): string {
  const ext = extname(path);
  return join(dirname(path), `${basename(path, ext)}.rejected${ext || `.${file.format}`}`);
}

function printFacts(file: DisclosureFile, path: string, out: (line: string) => void): void {
  const kind = file.kind === 'licence' ? '行政许可' : '行政处罚';
  const format = `${file.format.toUpperCase()}${file.encoding ? ` (${file.encoding})` : ''}${file.sheetName ? `，工作表“${file.sheetName}”` : ''}`;
  out(`文件 ${basename(path)}: ${format}，${kind}，${file.headers.length} 列，${formatBytes(statSync(path).size)}`);
  for (const notice of file.notices) out(`  ${notice}`);
}

function progressLine({ tally, bytesDone, totalBytes }: ImportProgress, seconds: number): string {
  const done = tally.accepted + tally.unchanged + tally.rejected;
  const share = totalBytes > 0 ? ` ${Math.floor((bytesDone / totalBytes) * 100)}%` : '';
  const rate = Math.round(done / Math.max(seconds, 0.001));
  return `已处理 ${done} 行${share}（${formatBytes(bytesDone)} / ${formatBytes(totalBytes)}），${rate} 行/秒；入库 ${tally.accepted}，已存在 ${tally.unchanged}，退回 ${tally.rejected}`;
}
