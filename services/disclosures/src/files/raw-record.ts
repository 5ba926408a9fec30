/** A row as a format reader produced it, before headers give it meaning. */
export interface RawRecord {
  line: number;
  cells: string[];
  /** The row exceeded the length limit; its cells were dropped while reading. */
  tooLong?: boolean;
  /** CSV: the file ended inside a quoted cell. */
  unclosedQuote?: boolean;
  /** XLSX: numeric cells, formatted once the date columns are known. */
  numbers?: NumericCell[];
}

export interface NumericCell {
  column: number;
  raw: string;
  /** The cell's style is a date format. */
  dateStyled: boolean;
}

/** Pulls raw records in batches; a batch per chunk of input keeps per-row overhead low. */
export type RawRecordSource = AsyncGenerator<RawRecord[], void, undefined>;
