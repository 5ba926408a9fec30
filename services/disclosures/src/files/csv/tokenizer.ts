import type { RawRecord } from '../raw-record.js';

// RFC 4180 tokenizer fed with decoded text chunks. Written by hand rather than taken from csv-parse because the
// import needs what a general parser does not give: a row that grows past the limit is dropped while it is being
// read (so a 200 MB line costs no memory) and reading resumes at the next row; row numbers count records the way
// a spreadsheet shows them (a quoted line break stays inside one row).

const QUOTE = 0x22;
const LF = 0x0a;
const CR = 0x0d;

const FIELD_START = 0;
const UNQUOTED = 1;
const QUOTED = 2;
const QUOTE_IN_QUOTED = 3;

export class CsvTokenizer {
  private readonly delimiter: number;
  private readonly maxRowChars: number;
  private cells: string[] = [];
  private field = '';
  /** Characters of the current record held in `cells` (delimiters counted). */
  private held = 0;
  private state = FIELD_START;
  private overflow = false;
  private skipLineFeed = false;
  private line = 0;

  constructor(delimiter: ',' | '\t', maxRowChars: number) {
    this.delimiter = delimiter.charCodeAt(0);
    this.maxRowChars = maxRowChars;
  }

  /** Tokenizes one chunk, appending every record it completes to `out`. */
  push(text: string, out: RawRecord[]): void {
    const n = text.length;
    const delimiter = this.delimiter;
    let state = this.state;
    let start = 0;
    for (let i = 0; i < n; i++) {
      const c = text.charCodeAt(i);
      if (this.skipLineFeed) {
        this.skipLineFeed = false;
        if (c === LF) {
          start = i + 1;
          continue;
        }
      }
      if (state === QUOTED) {
        if (c === QUOTE) {
          this.append(text, start, i);
          state = QUOTE_IN_QUOTED;
          start = i + 1;
        }
        continue;
      }
      if (state === QUOTE_IN_QUOTED) {
        if (c === QUOTE) {
          // A doubled quote inside quotes is one literal quote: keep the second one.
          state = QUOTED;
          start = i;
          continue;
        }
        // Text after a closing quote is kept as text, as spreadsheet programs do.
        state = UNQUOTED;
      }
      if (c === delimiter) {
        this.endField(text, start, i);
        state = FIELD_START;
        start = i + 1;
      } else if (c === LF || c === CR) {
        this.endField(text, start, i);
        this.endRecord(out, false);
        state = FIELD_START;
        start = i + 1;
        this.skipLineFeed = c === CR;
      } else if (c === QUOTE && state === FIELD_START) {
        state = QUOTED;
        start = i + 1;
      } else {
        state = UNQUOTED;
      }
    }
    if (state === UNQUOTED || state === QUOTED) this.append(text, start, n);
    this.state = state;
  }

  /** Flushes the last record of a file that does not end with a line break. */
  end(out: RawRecord[]): void {
    if (this.state === FIELD_START && this.cells.length === 0 && !this.overflow) return;
    const unclosed = this.state === QUOTED;
    this.cells.push(this.field);
    this.field = '';
    this.endRecord(out, unclosed);
    this.state = FIELD_START;
  }

  private append(text: string, from: number, to: number): void {
    if (this.overflow || to <= from) return;
    this.field += text.slice(from, to);
    if (this.held + this.field.length > this.maxRowChars) this.startOverflow();
  }

  private endField(text: string, from: number, to: number): void {
    this.append(text, from, to);
    if (this.overflow) return;
    this.cells.push(this.field);
    this.held += this.field.length + 1;
    this.field = '';
    if (this.held > this.maxRowChars) this.startOverflow();
  }

  private startOverflow(): void {
    this.overflow = true;
    this.cells = [];
    this.field = '';
  }

  private endRecord(out: RawRecord[], unclosedQuote: boolean): void {
    this.line++;
    if (this.overflow) out.push({ line: this.line, cells: [], tooLong: true, unclosedQuote });
    else if (unclosedQuote) out.push({ line: this.line, cells: this.cells, unclosedQuote });
    else out.push({ line: this.line, cells: this.cells });
    this.cells = [];
    this.field = '';
    this.held = 0;
    this.overflow = false;
  }
}
