// The audit of credit checks (who checked which entity, when, for what, and what the answer was). Written off the
// answer path: rows are buffered and flushed every ~100 ms or at 1,000 rows in one INSERT … SELECT FROM unnest, so
// a check never waits for the database.
import type { DataSource } from 'typeorm';
import type { Logger } from '@credit/platform';

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
  private flushing: Promise<void> = Promise.resolve();
  private readonly flushEveryMs: number;
  private readonly batchRows: number;
  private readonly maxBufferedRows: number;

  constructor(
    private readonly ds: DataSource,
    private readonly logger: Logger,
    opts: CheckLogOptions = {},
  ) {
    this.flushEveryMs = opts.flushEveryMs ?? 100;
    this.batchRows = opts.batchRows ?? 1_000;
    this.maxBufferedRows = opts.maxBufferedRows ?? 1_000_000;
  }

  record(row: CheckLogRow): void {
    this.buffer.push(row);
    if (this.buffer.length >= this.batchRows) void this.flush();
    else this.timer ??= setTimeout(() => void this.flush(), this.flushEveryMs);
  }

  /** Writes everything buffered so far; flushes run one after another. */
  flush(): Promise<void> {
    this.flushing = this.flushing.then(() => this.writeAll());
    return this.flushing;
  }

  /** Writes what is left. */
  async stop(): Promise<void> {
    await this.flush();
  }

  private async writeAll(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    while (this.buffer.length > 0) {
      const batch = this.buffer.slice(0, this.batchRows);
      try {
        await this.insert(batch);
        this.buffer.splice(0, batch.length);
      } catch (err) {
        const excess = this.buffer.length - this.maxBufferedRows;
        if (excess > 0) {
          this.buffer.splice(0, excess);
          this.logger.error({ dropped: excess }, '核查日志积压过多，已丢弃最早的记录 (check log overflow)');
        }
        this.logger.warn({ err, buffered: this.buffer.length }, '核查日志写入失败，稍后重试 (check log flush failed)');
        this.timer ??= setTimeout(() => void this.flush(), Math.max(this.flushEveryMs, 1_000));
        return;
      }
    }
  }

  private async insert(rows: CheckLogRow[]): Promise<void> {
    // measure_codes is an array per row; unnest cannot take a 2-D array of uneven rows, so it travels as text.
    await this.ds.query(
      `INSERT INTO credit_check_log (check_id, checked_at, department, role, subject, entity_code, activity, measure_codes, position)
       SELECT l.check_id, l.checked_at, l.department, l.role, l.subject, l.entity_code, l.activity,
              CASE WHEN l.codes = '' THEN '{}'::text[] ELSE string_to_array(l.codes, ',') END, l.position
         FROM unnest($1::uuid[], $2::timestamptz[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::bigint[])
           AS l(check_id, checked_at, department, role, subject, entity_code, activity, codes, position)
       ON CONFLICT (check_id) DO NOTHING`,
      [
        rows.map((r) => r.checkId),
        rows.map((r) => r.checkedAt),
        rows.map((r) => r.department),
        rows.map((r) => r.role),
        rows.map((r) => r.subject),
        rows.map((r) => r.entityCode),
        rows.map((r) => r.activity),
        rows.map((r) => r.measureCodes.join(',')),
        rows.map((r) => r.position),
      ],
    );
  }
}
