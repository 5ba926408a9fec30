import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { PassThrough } from 'node:stream';
import { finished } from 'node:stream/promises';
import yazl from 'yazl';
import { isoDateToSerial } from './serial-date.js';

// A minimal valid workbook with one worksheet, written as a stream: rows go straight into the compressed sheet part,
// so a report of any length takes constant memory. Text is written as inline strings (no shared strings table to
// hold), numbers as numbers, dates as serials in a date style.

export type XlsxCell = string | number | { date: string };

const CONTENT_TYPES = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/></Types>`;

const ROOT_RELS = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`;

const WORKBOOK_RELS = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>`;

// Style 0 is General, style 1 shows a date (built-in format 14).
const STYLES = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><fonts count="1"><font><sz val="11"/><name val="等线"/></font></fonts><fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills><borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs><cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/><xf numFmtId="14" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs><cellStyles count="1"><cellStyle name="常规" xfId="0" builtinId="0"/></cellStyles></styleSheet>`;

function workbookXml(sheetName: string): string {
  return `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="${escapeXml(sheetName)}" sheetId="1" r:id="rId1"/></sheets></workbook>`;
}

const SHEET_START = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>`;
const SHEET_END = '</sheetData></worksheet>';

export class XlsxWriter {
  private line = 0;
  private closed = false;

  private constructor(
    private readonly sheet: PassThrough,
    private readonly done: Promise<void>,
  ) {}

  static create(path: string, sheetName = 'Sheet1'): XlsxWriter {
    const zip = new yazl.ZipFile();
    zip.addBuffer(Buffer.from(CONTENT_TYPES), '[Content_Types].xml');
    zip.addBuffer(Buffer.from(ROOT_RELS), '_rels/.rels');
    zip.addBuffer(Buffer.from(workbookXml(sheetName)), 'xl/workbook.xml');
    zip.addBuffer(Buffer.from(WORKBOOK_RELS), 'xl/_rels/workbook.xml.rels');
    zip.addBuffer(Buffer.from(STYLES), 'xl/styles.xml');
    const sheet = new PassThrough();
    zip.addReadStream(sheet, 'xl/worksheets/sheet1.xml');
    zip.end();
    const out = createWriteStream(path);
    // A failed write (disk full) surfaces from close() and stops addRow() waiting; it must not crash the process.
    out.on('error', () => {});
    zip.outputStream.pipe(out);
    const done = finished(out);
    done.catch(() => {});
    const writer = new XlsxWriter(sheet, done);
    sheet.write(SHEET_START);
    return writer;
  }

  /** Appends a row; waits when the compressor is behind, so memory stays flat. */
  async addRow(cells: readonly XlsxCell[]): Promise<void> {
    this.line++;
    const xml = `<row r="${this.line}">${cells.map((cell, i) => cellXml(cell, `${columnName(i)}${this.line}`)).join('')}</row>`;
    if (!this.sheet.write(xml)) await Promise.race([once(this.sheet, 'drain'), this.done]);
  }

  async close(): Promise<void> {
    if (this.closed) return this.done;
    this.closed = true;
    this.sheet.end(SHEET_END);
    await this.done;
  }
}

function cellXml(cell: XlsxCell, ref: string): string {
  if (typeof cell === 'number') return Number.isFinite(cell) ? `<c r="${ref}"><v>${cell}</v></c>` : `<c r="${ref}"/>`;
  if (typeof cell === 'object') return `<c r="${ref}" s="1"><v>${isoDateToSerial(cell.date)}</v></c>`;
  if (cell === '') return '';
  return `<c r="${ref}" t="inlineStr"><is><t xml:space="preserve">${escapeXml(cell)}</t></is></c>`;
}

/** `0` → A, `26` → AA. */
export function columnName(index: number): string {
  let name = '';
  for (let n = index + 1; n > 0; n = Math.floor((n - 1) / 26)) name = String.fromCharCode(65 + ((n - 1) % 26)) + name;
  return name;
}

/** XML text escaping; characters XML 1.0 cannot carry become OOXML `_xHHHH_` escapes (and a literal `_xHHHH_` is protected). */
export function escapeXml(text: string): string {
  return text
    .replace(/_(x[0-9A-Fa-f]{4}_)/g, '_x005F_$1')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, (c) => `_x${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}_`);
}
