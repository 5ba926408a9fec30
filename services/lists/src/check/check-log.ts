// The audit of credit checks (who checked which entity, when, for what, and what the answer was). Written off the
// answer path: rows are buffered and flushed every ~20 ms or at 1,000 rows in one COPY, so a check never waits for the
// database.
import type { DataSource } from 'typeorm';
import { copyRows, type CopyValue, type Logger } from '@credit/platform';

const COLUMNS = ['check_id', 'checked_at', 'department', 'role', 'subject', 'entity_code', 'activity', 'measure_codes', 'position'];

export interface CheckLogRow {
  checkId: string;
  checkedAt: Date;
  department: string;
  role: string;
  subject: string;
  entityCode: string;
  activity: string;
  measureCodes: string[];
  position: number;
}

export interface CheckLogOptions {
  flushEveryMs?: number;
  batchRows?: number;
  /** Rows kept while the database is unreachable; beyond it the oldest are dropped (and logged). */
  maxBufferedRows?: number;
}

export class CheckLog {
  private buffer: CheckLogRow[] = [];
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<boolean> = Promise.resolve(true);
  private readonly flushEveryMs: number;
  private readonly batchRows: number;
  private readonly maxBufferedRows: number;

  constructor(
    private readonly ds: DataSource,
    private readonly logger: Logger,
    opts: CheckLogOptions = {},
  ) {
    // 20 ms, not 100: at 5,000 checks/s a 100 ms batch was a 14 ms burst of PostgreSQL's work (INSERT, ~28 µs a row
    // then; by COPY ~12 µs now), and where it shares cores with the service the checks answered meanwhile wait (stream
    // p99 8–27 ms against 5.8–7.1 at 20 ms, BENCHMARKS.md).
    this.flushEveryMs = opts.flushEveryMs ?? 20;
    this.batchRows = opts.batchRows ?? 1_000;
    this.maxBufferedRows = opts.maxBufferedRows ?? 1_000_000;
  }

  record(row: CheckLogRow): void {
    this.buffer.push(row);
    if (this.buffer.length >= this.batchRows) void this.flush();
    else this.timer ??= setTimeout(() => void this.flush(), this.flushEveryMs);
  }

  /** Writes everything buffered so far; flushes run one after another. */
  async flush(): Promise<void> {
    await this.nextFlush();
  }

  /** Writes what is left, including rows recorded meanwhile; gives up (rows kept) when a write fails. */
  async stop(): Promise<void> {
    let written = true;
    while (written && this.buffer.length > 0) written = await this.nextFlush();
    if (this.buffer.length === 0) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
  }

  private nextFlush(): Promise<boolean> {
    this.flushing = this.flushing.then(() => this.writeAll());
    return this.flushing;
  }

  /** True when every row due was written. */
  private async writeAll(): Promise<boolean> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    // Only the rows buffered when the flush began: rows recorded while a batch is being written wait for their own
    // timer. Writing them at once made a string of small statements (a few rows each at 5,000 checks/s), and each
    // statement costs PostgreSQL more than the rows in it (BENCHMARKS.md).
    let due = this.buffer.length;
    while (due > 0) {
      const batch = this.buffer.slice(0, Math.min(due, this.batchRows));
      try {
        await this.insert(batch);
        this.buffer.splice(0, batch.length);
        due -= batch.length;
      } catch (err) {
        const excess = this.buffer.length - this.maxBufferedRows;
        if (excess > 0) {
          this.buffer.splice(0, excess);
          this.logger.error({ dropped: excess }, '核查日志积压过多，已丢弃最早的记录 (check log overflow)');
        }
        this.logger.warn({ err, buffered: this.buffer.length }, '核查日志写入失败，稍后重试 (check log flush failed)');
        this.timer ??= setTimeout(() => void this.flush(), Math.max(this.flushEveryMs, 1_000));
        return false;
      }
    }
    return true;
  }

  private async insert(rows: CheckLogRow[]): Promise<void> {
    // COPY costs PostgreSQL less a row than INSERT, and its CPU is shared with the checks being answered (BENCHMARKS.md).
    // A batch is retried after a failure that may have come after its commit, so it can meet its own rows: skipped.
    await copyRows(this.ds, 'credit_check_log', COLUMNS, rows.map(copyValues), { skipExisting: true });
  }
}

function copyValues(r: CheckLogRow): CopyValue[] {
  return [r.checkId, r.checkedAt, r.department, r.role, r.subject, r.entityCode, r.activity, r.measureCodes, r.position];
}
