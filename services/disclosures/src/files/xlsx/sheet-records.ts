import type yauzl from 'yauzl';
import type { NumericCell, RawRecord, RawRecordSource } from '../raw-record.js';
import { decodeOoxmlEscapes, XmlStream, type XmlHandlers } from './xml-stream.js';
import type { ZipArchive } from './zip-archive.js';

// Streams a worksheet's rows. Nothing is evaluated: a formula cell yields its formula text with a leading `=`, so
// validation rejects it as formula-looking instead of the import trusting a cached result the sender could forge.

/** Excel's column limit (XFD); a reference beyond it is not a spreadsheet cell. */
const MAX_COLUMNS = 16_384;

export interface SheetSourceOptions {
  sharedStrings: readonly string[];
  dateStyles: ReadonlySet<number>;
  maxRowChars: number;
  maxEntryBytes: number;
  onCompressed: (bytes: number) => void;
}

export async function* sheetRecords(archive: ZipArchive, entry: yauzl.Entry, options: SheetSourceOptions): RawRecordSource {
  const reader = new SheetReader(options);
  const xml = new XmlStream(entry.fileName, reader, Math.max(1024 * 1024, 4 * options.maxRowChars));
  for await (const chunk of archive.inflate(entry, options.maxEntryBytes, options.onCompressed)) {
    xml.write(chunk);
    const batch = reader.take();
    if (batch.length > 0) yield batch;
  }
  xml.end();
  const last = reader.take();
  if (last.length > 0) yield last;
}

type Capture = 'none' | 'value' | 'formula' | 'inline';

class SheetReader implements XmlHandlers {
  private batch: RawRecord[] = [];
  private lastLine = 0;
  private row: { line: number; cells: string[]; numbers: NumericCell[]; chars: number; tooLong: boolean } | undefined;
  private cell: { column: number; type: string; style: number; value: string; formula: string | undefined; inline: string } | undefined;
  private nextColumn = 0;
  private capture: Capture = 'none';
  private inInline = false;
  private phoneticDepth = 0;

  constructor(private readonly options: SheetSourceOptions) {}

  take(): RawRecord[] {
    const batch = this.batch;
    this.batch = [];
    return batch;
  }

  open(name: string, attributes: Record<string, string>): void {
    switch (name) {
      case 'row': {
        const r = Number(attributes['r']);
        const line = Number.isInteger(r) && r > 0 ? r : this.lastLine + 1;
        this.row = { line, cells: [], numbers: [], chars: 0, tooLong: false };
        this.nextColumn = 0;
        break;
      }
      case 'c': {
        const ref = attributes['r'];
        const column = ref ? columnOfReference(ref) ?? this.nextColumn : this.nextColumn;
        this.nextColumn = column + 1;
        this.cell = { column, type: attributes['t'] ?? 'n', style: Number(attributes['s'] ?? 0), value: '', formula: undefined, inline: '' };
        break;
      }
      case 'v':
        this.capture = 'value';
        break;
      case 'f':
        this.capture = 'formula';
        if (this.cell) this.cell.formula = '';
        break;
      case 'is':
        this.inInline = true;
        break;
      case 'rPh':
        this.phoneticDepth++;
        break;
      case 't':
        if (this.inInline) this.capture = 'inline';
        break;
    }
  }

  text(text: string): void {
    const cell = this.cell;
    if (!cell || this.capture === 'none' || this.phoneticDepth > 0) return;
    const row = this.row;
    if (row) {
      row.chars += text.length;
      if (row.chars > this.options.maxRowChars) row.tooLong = true;
      if (row.tooLong) return;
    }
    if (this.capture === 'value') cell.value += text;
    else if (this.capture === 'formula') cell.formula = (cell.formula ?? '') + text;
    else cell.inline += text;
  }

  close(name: string): void {
    switch (name) {
      case 'v':
      case 'f':
      case 't':
        this.capture = 'none';
        break;
      case 'is':
        this.inInline = false;
        break;
      case 'rPh':
        this.phoneticDepth--;
        break;
      case 'c':
        this.finishCell();
        break;
      case 'row':
        this.finishRow();
        break;
    }
  }

  private finishCell(): void {
    const cell = this.cell;
    const row = this.row;
    this.cell = undefined;
    if (!cell || !row || row.tooLong || cell.column >= MAX_COLUMNS) return;
    if (cell.formula !== undefined) {
      row.cells[cell.column] = `=${cell.formula}`;
      return;
    }
    switch (cell.type) {
      case 's':
        row.cells[cell.column] = this.options.sharedStrings[Number(cell.value)] ?? '';
        return;
      case 'inlineStr':
        row.cells[cell.column] = decodeOoxmlEscapes(cell.inline);
        return;
      case 'b':
        row.cells[cell.column] = cell.value === '1' ? 'TRUE' : cell.value === '0' ? 'FALSE' : cell.value;
        return;
      case 'd':
        // ISO 8601 date cells (Strict OOXML); keep the date part.
        row.cells[cell.column] = /^\d{4}-\d{2}-\d{2}/.test(cell.value) ? cell.value.slice(0, 10) : cell.value;
        return;
      case 'n':
        if (cell.value === '') return;
        row.cells[cell.column] = cell.value;
        row.numbers.push({ column: cell.column, raw: cell.value, dateStyled: this.options.dateStyles.has(cell.style) });
        return;
      default:
        // 'str' (formula result text, never reached without a formula) and 'e' (error values such as #N/A).
        row.cells[cell.column] = decodeOoxmlEscapes(cell.value);
    }
  }

  private finishRow(): void {
    const row = this.row;
    this.row = undefined;
    if (!row) return;
    this.lastLine = row.line;
    if (row.tooLong) {
      this.batch.push({ line: row.line, cells: [], tooLong: true });
      return;
    }
    const cells = Array.from(row.cells, (c) => c ?? '');
    this.batch.push(row.numbers.length > 0 ? { line: row.line, cells, numbers: row.numbers } : { line: row.line, cells });
  }
}

/** `B7` → 1; undefined when the reference is malformed. */
export function columnOfReference(ref: string): number | undefined {
  let column = 0;
  let i = 0;
  for (; i < ref.length && i < 4; i++) {
    const c = ref.charCodeAt(i);
    if (c >= 65 && c <= 90) column = column * 26 + (c - 64);
    else if (c >= 97 && c <= 122) column = column * 26 + (c - 96);
    else break;
  }
  return i === 0 ? undefined : column - 1;
}
