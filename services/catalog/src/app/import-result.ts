import type { FieldViolation } from '@credit/platform';

export type RowOutcome = 'created' | 'existing' | 'rejected';

export interface RowResult {
  /** Row in the spreadsheet: the header is row 1. */
  row: number;
  itemCode: string;
  outcome: RowOutcome;
  violations: FieldViolation[];
}

export interface ImportResult {
  results: RowResult[];
  created: number;
  existing: number;
  rejected: number;
}
