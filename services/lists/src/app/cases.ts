// ReportCase / GetCaseReport: joint reward and punishment cases, and the quarterly "≥ 1 per department" report.
import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { idempotent, inTransaction, invalidArgument, jsonCodec, requireRole, type Caller } from '@credit/platform';
import {
  buildCaseReport,
  validateCase,
  validateQuarter,
  type CaseInput,
  type CaseKindName,
  type CaseReport,
  type ValidCase,
} from '../domain/cases.js';

export interface StoredCase extends Omit<ValidCase, 'year' | 'quarter'> {
  id: string;
  department: string;
  reportedAt: Date;
}

const caseCodec = jsonCodec<StoredCase>((plain) => ({ ...plain, reportedAt: new Date(plain.reportedAt) }));

const CHINA_STANDARD_TIME_MS = 8 * 3600_000;

/** The calendar day in China Standard Time, whatever the server's time zone. */
function chinaDay(at: Date): string {
  return new Date(at.getTime() + CHINA_STANDARD_TIME_MS).toISOString().slice(0, 10);
}

export class Cases {
  constructor(
    private readonly ds: DataSource,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async reportCase(caller: Caller, requestId: string, input: CaseInput): Promise<StoredCase> {
    requireRole(caller, 'department');
    const now = this.now();
    const valid = validateCase(input, chinaDay(now));
    return inTransaction(this.ds, (em) =>
      idempotent(em, { caller, requestId, method: 'ReportCase' }, caseCodec, async () => {
        if (valid.entryId !== '') {
          const found: unknown[] = await em.query(`SELECT 1 FROM list_entry WHERE id = $1`, [valid.entryId]);
          if (found.length === 0) {
            throw invalidArgument([{ field: 'entry_id', reason: 'ENTRY_NOT_FOUND', message: `名单条目 ${valid.entryId} 不存在` }]);
          }
        }
        const stored: StoredCase = {
          id: randomUUID(),
          department: caller.department,
          kind: valid.kind,
          title: valid.title,
          summary: valid.summary,
          entityCode: valid.entityCode,
          entryId: valid.entryId,
          occurredOn: valid.occurredOn,
          reportedAt: now,
        };
        await em.query(
          `INSERT INTO credit_case (id, department, kind, title, summary, entity_code, entry_id, occurred_on, year, quarter, reported_at, reported_by)
           VALUES ($1, $2, $3, $4, $5, NULLIF($6, ''), NULLIF($7, '')::uuid, $8, $9, $10, $11, $12)`,
          [stored.id, stored.department, stored.kind, stored.title, stored.summary, stored.entityCode, stored.entryId,
            stored.occurredOn, valid.year, valid.quarter, now, caller.subject],
        );
        return stored;
      }),
    );
  }

  async caseReport(caller: Caller, year: number, quarter: number): Promise<CaseReport> {
    requireRole(caller, 'office', 'operator', 'department');
    validateQuarter(year, quarter);
    const expected = (await this.ds.query(
      `SELECT owner_department AS department FROM list_type
        UNION SELECT implementing_department FROM measure`,
    )) as { department: string }[];
    const counts = (await this.ds.query(
      `SELECT department, kind, count(*)::int AS cases FROM credit_case WHERE year = $1 AND quarter = $2 GROUP BY department, kind`,
      [year, quarter],
    )) as { department: string; kind: CaseKindName; cases: number }[];
    return buildCaseReport(year, quarter, expected.map((r) => r.department), counts);
  }
}
