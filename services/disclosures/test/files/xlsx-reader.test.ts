import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDisclosureFile, XlsxWriter, type XlsxCell } from '../../src/files/index.js';
import { fileErrorOf, inlineRow, PENALTY_HEADERS, penaltyCells, readAll, TempDir, writeRawXlsx } from './fixtures.js';

let dir: TempDir;
beforeAll(async () => {
  dir = await TempDir.create();
});
afterAll(async () => {
  await dir.remove();
});

async function writeWorkbook(name: string, rows: readonly (readonly XlsxCell[])[]): Promise<string> {
  const path = dir.file(name);
  const writer = XlsxWriter.create(path, '行政处罚');
  for (const row of rows) await writer.addRow(row);
  await writer.close();
  return path;
}

const FINE = '罚款金额（万元）';
const VALID_UNTIL = '处罚有效期';

describe('reading an XLSX disclosure file', () => {
  it('reads back what our writer wrote, with dates as YYYY-MM-DD and numbers as shown', async () => {
    const headers = [...PENALTY_HEADERS, FINE, VALID_UNTIL];
    const cells: XlsxCell[] = [...penaltyCells(1), 0.1 + 0.2, 46022];
    cells[8] = { date: '2024-03-15' };
    const path = await writeWorkbook('roundtrip.xlsx', [headers, cells, [...penaltyCells(2), -12.5, { date: '2025-12-31' }]]);

    const file = await openDisclosureFile(path);
    const { records, errors } = await readAll(file);

    expect(file.format).toBe('xlsx');
    expect(file.sheetName).toBe('行政处罚');
    expect(file.kind).toBe('penalty');
    expect(errors).toEqual([]);
    expect(records.map((r) => r.line)).toEqual([2, 3]);
    expect(records[0]?.fields['CF_JDRQ']).toBe('2024-03-15');
    expect(records[0]?.fields['CF_NR_FK']).toBe('0.3');
    // A plain serial number in a date column is a date too.
    expect(records[0]?.fields['CF_YXQ']).toBe('2025-12-31');
    expect(records[1]?.fields['CF_NR_FK']).toBe('-12.5');
    expect(records[1]?.fields['CF_YXQ']).toBe('2025-12-31');
    expect(records[1]?.fields['CF_WSH']).toBe('藏市监罚〔2024〕2号');
  });

  it('reads shared strings, skipping phonetic runs, and treats missing trailing cells as blank', async () => {
    const path = dir.file('shared.xlsx');
    const header = PENALTY_HEADERS.map((_, i) => `<c r="${String.fromCharCode(65 + i)}1" t="s"><v>${i}</v></c>`).join('');
    const strings = [...PENALTY_HEADERS, '<r><t>拉萨</t></r><r><t>雪域公司</t></r><rPh><t>らさ</t></rPh>'];
    await writeRawXlsx(path, {
      sharedStrings: strings,
      sheetData: `<row r="1">${header}</row><row r="4"><c r="B4" t="s"><v>${PENALTY_HEADERS.length}</v></c><c r="C4" t="inlineStr"><is><t>自然人_x000D_</t></is></c></row>`,
    });

    const { records, errors } = await readAll(await openDisclosureFile(path));

    expect(errors).toEqual([]);
    expect(records[0]?.line).toBe(4);
    expect(records[0]?.fields['CF_XDR_MC']).toBe('拉萨雪域公司');
    expect(records[0]?.fields['CF_XDR_LB']).toBe('自然人\r');
    expect(records[0]?.fields['CF_WSH']).toBe('');
  });

  it('converts date-styled cells in the 1904 date system', async () => {
    const path = dir.file('1904.xlsx');
    await writeRawXlsx(path, {
      date1904: true,
      numFmts: '<numFmts count="1"><numFmt numFmtId="176" formatCode="yyyy&quot;年&quot;m&quot;月&quot;d&quot;日&quot;"/></numFmts>',
      cellXfs: '<xf numFmtId="0"/><xf numFmtId="176"/>',
      sheetData: inlineRow(1, [...PENALTY_HEADERS, '备注']) + `<row r="2"><c r="A2" t="inlineStr"><is><t>文号</t></is></c><c r="N2" s="1"><v>0</v></c><c r="I2"><v>43904</v></c></row>`,
    });

    const { records } = await readAll(await openDisclosureFile(path));

    // 43904 in the 1904 system is 2024-03-15 (45366 in the 1900 system); a date-styled cell in a text column is a date too.
    expect(records[0]?.fields['CF_JDRQ']).toBe('2024-03-15');
    expect(records[0]?.fields['CF_BZ']).toBe('1904-01-01');
  });

  it('passes a formula cell on as its formula text, never its cached result', async () => {
    const path = dir.file('formula.xlsx');
    await writeRawXlsx(path, {
      sheetData: inlineRow(1, PENALTY_HEADERS) + `<row r="2"><c r="A2" t="str"><f>HYPERLINK("http://example.invalid","文号")</f><v>文号</v></c><c r="B2"><f>1+1</f><v>2</v></c></row>`,
    });

    const { records } = await readAll(await openDisclosureFile(path));

    expect(records[0]?.fields['CF_WSH']).toBe('=HYPERLINK("http://example.invalid","文号")');
    expect(records[0]?.fields['CF_XDR_MC']).toBe('=1+1');
  });

  it('reads booleans and error values as the text a spreadsheet shows', async () => {
    const path = dir.file('booleans.xlsx');
    await writeRawXlsx(path, {
      sheetData: inlineRow(1, [...PENALTY_HEADERS, '备注']) + '<row r="2"><c r="A2" t="b"><v>1</v></c><c r="B2" t="e"><v>#N/A</v></c><c r="N2" t="b"><v>0</v></c></row>',
    });

    const { records } = await readAll(await openDisclosureFile(path));

    expect(records[0]?.fields['CF_WSH']).toBe('TRUE');
    expect(records[0]?.fields['CF_XDR_MC']).toBe('#N/A');
    expect(records[0]?.fields['CF_BZ']).toBe('FALSE');
  });

  it('rejects an 18-digit ID number stored as a number, whose last digits the spreadsheet has lost', async () => {
    const path = await writeWorkbook('id-as-number.xlsx', [
      [...PENALTY_HEADERS, '证件号码'],
      [...penaltyCells(1), 540102199001011234],
      [...penaltyCells(2), 540102199001011],
    ]);

    const { records, errors } = await readAll(await openDisclosureFile(path));

    expect(errors).toEqual([expect.objectContaining({ line: 2, reason: 'ROW_CODE_AS_NUMBER' })]);
    expect(errors[0]?.message).toContain('“证件号码”列是数字格式');
    expect(records[0]?.fields['CF_XDR_ZJHM']).toBe('540102199001011');
  });

  it('reports a row with non-blank cells beyond the header', async () => {
    const path = await writeWorkbook('extra.xlsx', [PENALTY_HEADERS, [...penaltyCells(1), '', '多余']]);

    const { errors } = await readAll(await openDisclosureFile(path));

    expect(errors).toEqual([expect.objectContaining({ line: 2, reason: 'ROW_EXTRA_CELLS' })]);
    expect(errors[0]?.message).toContain('多2列');
  });

  it('reports a row longer than the limit without keeping it', async () => {
    const path = await writeWorkbook('long.xlsx', [PENALTY_HEADERS, ['x'.repeat(5000)], penaltyCells(3)]);

    const { records, errors } = await readAll(await openDisclosureFile(path, { limits: { maxRowChars: 1000 } }));

    expect(errors).toEqual([{ line: 2, reason: 'ROW_TOO_LONG', message: expect.stringContaining('1000'), cells: [] }]);
    expect(records.map((r) => r.line)).toEqual([3]);
  });

  it('takes the header from the first non-empty row and reports progress in compressed sheet bytes', async () => {
    const path = dir.file('late-header.xlsx');
    await writeRawXlsx(path, { sheetData: '<row r="1"/>' + inlineRow(3, PENALTY_HEADERS) + inlineRow(4, penaltyCells(1)) });

    const file = await openDisclosureFile(path);
    const { records } = await readAll(file);

    expect(records.map((r) => r.line)).toEqual([4]);
    expect(file.progress().bytesRead).toBe(file.progress().totalBytes);
  });

  it('releases the workbook when the reader stops early or never starts', async () => {
    const path = await writeWorkbook('early.xlsx', [PENALTY_HEADERS, penaltyCells(1), penaltyCells(2), penaltyCells(3)]);
    const stopped = await openDisclosureFile(path);
    const unread = await openDisclosureFile(path);

    const lines: number[] = [];
    for await (const row of stopped.rows()) {
      lines.push(row.line);
      break;
    }
    await unread.close();

    expect(lines).toEqual([2]);
    await expect(stopped.close()).resolves.toBeUndefined();
    await expect(readAll(await openDisclosureFile(path))).resolves.toMatchObject({ records: { length: 3 } });
  });

  it('refuses a workbook without rows', async () => {
    const path = dir.file('empty.xlsx');
    await writeRawXlsx(path, { sheetData: '' });

    const error = await fileErrorOf(openDisclosureFile(path));

    expect(error.reason).toBe('FILE_NO_HEADER');
  });
});
