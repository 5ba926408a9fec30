import {
  AdministrativeLevel,
  RecordOutcome,
  type AssessmentRow as AssessmentRowMessage,
  type DisclosureServiceServer,
  type IngestRecordsRequest,
  type IngestRecordsResponse,
  type RecordResult,
} from '@credit/contracts/credit/disclosures/v1/disclosures.js';
import { answerInOrder, invalidArgument, type HandlerKit } from '@credit/platform';
import type { AssessmentRow } from '../app/assessment.js';
import { MAX_ROWS_PER_BATCH, type Disclosures, type RawRow, type RowResult } from '../app/disclosures.js';
import { toRecordMessage, toRevisionMessage } from './record-message.js';

const OUTCOME: Record<RowResult['outcome'], RecordOutcome> = {
  accepted: RecordOutcome.RECORD_OUTCOME_ACCEPTED,
  unchanged: RecordOutcome.RECORD_OUTCOME_UNCHANGED,
  rejected: RecordOutcome.RECORD_OUTCOME_REJECTED,
};

const LEVEL = {
  region: AdministrativeLevel.ADMINISTRATIVE_LEVEL_REGION,
  prefecture: AdministrativeLevel.ADMINISTRATIVE_LEVEL_PREFECTURE,
  county: AdministrativeLevel.ADMINISTRATIVE_LEVEL_COUNTY,
} as const;

export function disclosureHandlers(kit: HandlerKit, disclosures: Disclosures, tuning: { concurrency: number }): DisclosureServiceServer {
  return {
    submitRecord: kit.unary(async (req, ctx) => {
      const { record, created } = await disclosures.submit(ctx.caller, req.requestId, req.itemCode, req.fields);
      return { record: toRecordMessage(record), created };
    }),
    ingestRecords: kit.bidi((call, ctx) =>
      answerInOrder(call, tuning.concurrency, async (req: IngestRecordsRequest): Promise<IngestRecordsResponse> => {
        const results = await disclosures.ingestBatch(ctx.caller, req.requestId, req.itemCode, rowsOf(req));
        return { requestId: req.requestId, results: results.map(toResultMessage) };
      }),
    ),
    correctRecord: kit.unary(async (req, ctx) => ({
      record: toRecordMessage(await disclosures.correct(ctx.caller, req.requestId, req.recordId, req.expectedRevision, req.fields, req.reason)),
    })),
    revokeRecord: kit.unary(async (req, ctx) => ({
      record: toRecordMessage(await disclosures.revoke(ctx.caller, req.requestId, req.recordId, req.reason)),
    })),
    getRecord: kit.unary(async (req, ctx) => {
      const { record, history } = await disclosures.get(ctx.caller, req.recordId);
      return { record: toRecordMessage(record), history: history.map(toRevisionMessage) };
    }),
    listRecords: kit.unary(async (req, ctx) => {
      const page = await disclosures.listByCounterparty(ctx.caller, req.counterpartyCode, req.page?.pageSize ?? 0, req.page?.pageToken ?? '');
      return { records: page.records.map(toRecordMessage), page: { nextPageToken: page.nextPageToken } };
    }),
    approveRepair: kit.unary(async (req, ctx) => ({
      record: toRecordMessage(await disclosures.approveRepair(ctx.caller, req.requestId, req.recordId, req.basis)),
    })),
    getAssessmentReport: kit.unary(async (req, ctx) => ({
      rows: (await disclosures.assessment(ctx.caller, req.from, req.to, req.divisionCode)).map(toAssessmentMessage),
    })),
  };
}

/** Column-oriented rows to field maps; a row with more or fewer values than columns is rejected on its own. */
function rowsOf(req: IngestRecordsRequest): RawRow[] {
  if (req.rows.length > MAX_ROWS_PER_BATCH) {
    throw invalidArgument([{ field: 'rows', reason: 'TOO_MANY_ROWS', message: `每批最多${MAX_ROWS_PER_BATCH}条记录` }]);
  }
  if (new Set(req.columns).size !== req.columns.length) {
    throw invalidArgument([{ field: 'columns', reason: 'DUPLICATE_COLUMN', message: '列名重复' }]);
  }
  return req.rows.map((row) => {
    const line = Number(row.line);
    if (row.values.length !== req.columns.length) {
      const violation = { field: 'row', reason: 'COLUMN_COUNT_MISMATCH', message: `第${line}行有${row.values.length}个值，表头有${req.columns.length}列` };
      return { line, fields: {}, violations: [violation] };
    }
    const fields: Record<string, string> = {};
    req.columns.forEach((column, i) => {
      // An empty cell is an absent value, as in a spreadsheet.
      if (row.values[i] !== '') fields[column] = row.values[i]!;
    });
    return { line, fields };
  });
}

function toResultMessage(r: RowResult): RecordResult {
  return { line: r.line, outcome: OUTCOME[r.outcome], recordId: r.recordId ?? '', violations: r.violations ?? [], late: r.late ?? false };
}

function toAssessmentMessage(r: AssessmentRow): AssessmentRowMessage {
  return {
    department: r.department,
    divisionCode: r.divisionCode,
    level: r.level ? LEVEL[r.level] : AdministrativeLevel.ADMINISTRATIVE_LEVEL_UNSPECIFIED,
    itemsOwned: r.itemsOwned,
    itemsCovered: r.itemsCovered,
    coverage: r.coverage,
    accepted: r.accepted,
    late: r.late,
    timeliness: r.timeliness,
    rejected: r.rejected,
    rejectionRate: r.rejectionRate,
  };
}
