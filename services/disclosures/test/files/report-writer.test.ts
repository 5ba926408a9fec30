import { readFile } from 'node:fs/promises';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { escapeFormula, openDisclosureFile, openRejectedRowsReport } from '../../src/files/index.js';
import { PENALTY_HEADERS, penaltyCells, readAll, TempDir } from './fixtures.js';

let dir: TempDir;
beforeAll(async () => {
  dir = await TempDir.create();
});
afterAll(async () => {
  await dir.remove();
});

describe('writing the rejected-rows report', () => {
  it('writes a CSV with a UTF-8 BOM, the input headers, 原行号 and 错误原因 last', async () => {
    const path = dir.file('report.csv');
    const report = await openRejectedRowsReport(path, { format: 'csv', headers: PENALTY_HEADERS });

    await report.append({ line: 7, cells: penaltyCells(1), reasons: ['处罚决定日期晚于今天', '罚款金额不能为负数'] });
    const { rows } = await report.close();

    const text = await readFile(path, 'utf8');
    const [header, row] = text.split('\r\n');
    expect(rows).toBe(1);
    expect(text.startsWith('\uFEFF')).toBe(true);
    expect(header).toBe(`\uFEFF${PENALTY_HEADERS.join(',')},原行号,错误原因`);
    expect(row?.endsWith(',7,处罚决定日期晚于今天；罚款金额不能为负数')).toBe(true);
  });

  it('escapes every cell a spreadsheet would run as a formula, but not plain numbers', async () => {
    const path = dir.file('injection.csv');
    const report = await openRejectedRowsReport(path, { format: 'csv', headers: ['a', 'b', 'c', 'd', 'e', 'f'] });

    await report.append({ line: 2, cells: ['=HYPERLINK("http://x","y")', '+1+cmd', '-2+3', '@SUM(A1)', '\t=1', '-0.5'], reasons: ['=原因'] });
    await report.close();

    const row = (await readFile(path, 'utf8')).split('\r\n')[1];
    expect(row).toBe(`"'=HYPERLINK(""http://x"",""y"")",'+1+cmd,'-2+3,'@SUM(A1),'\t=1,-0.5,2,'=原因`);
  });

  it('keeps cells beyond the header in the reason so nothing the officer sent is lost', async () => {
    const path = dir.file('extra.csv');
    const report = await openRejectedRowsReport(path, { format: 'csv', headers: ['a', 'b'] });

    await report.append({ line: 3, cells: ['1', '2', '3'], reasons: ['该行有3列'] });
    await report.close();

    expect((await readFile(path, 'utf8')).split('\r\n')[1]).toBe('1,2,3,该行有3列；多出的单元格内容：“3”');
  });

  it('writes an XLSX report that reads back, whose report columns the reader ignores', async () => {
    const path = dir.file('report.xlsx');
    const report = await openRejectedRowsReport(path, { format: 'xlsx', headers: PENALTY_HEADERS });
    const cells = penaltyCells(1);
    cells[1] = '=cmd|" /C calc"!A0';

    await report.append({ line: 12, cells, reasons: ['行政相对人名称不能以公式开头'] });
    await report.append({ line: 15, cells: penaltyCells(2), reasons: ['统一社会信用代码校验码错误'] });
    await report.close();

    const file = await openDisclosureFile(path);
    const { records } = await readAll(file);
    expect(file.headers).toEqual([...PENALTY_HEADERS, '原行号', '错误原因']);
    expect(records.map((r) => r.cells.slice(-2))).toEqual([
      ['12', '行政相对人名称不能以公式开头'],
      ['15', '统一社会信用代码校验码错误'],
    ]);
    expect(records[0]?.fields['CF_XDR_MC']).toBe(`'=cmd|" /C calc"!A0`);
    expect(records[1]?.fields['CF_WSH']).toBe('藏市监罚〔2024〕2号');
  });

  it('replaces, not repeats, the report columns when the input was itself a corrected report', async () => {
    const path = dir.file('second-round.csv');
    const report = await openRejectedRowsReport(path, { format: 'csv', headers: ['a', '原行号', 'b', '错误原因'] });

    await report.append({ line: 4, cells: ['1', '9', '2', '旧原因'], reasons: ['新原因'] });
    await report.close();

    expect((await readFile(path, 'utf8')).split('\r\n').slice(0, 2)).toEqual(['\uFEFFa,b,原行号,错误原因', '1,2,4,新原因']);
  });

  it('writes any cell text so that the reader gets it back (formula cells with the escape prefix)', async () => {
    const cell = fc.string({ unit: fc.constantFrom('a', '藏', ',', '"', '\n', '\r\n', ' ', '=', '-', '1', '；') });
    let run = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(cell, { minLength: 13, maxLength: 13 }), async (cells) => {
        const path = dir.file(`property-${run++}.csv`);
        const report = await openRejectedRowsReport(path, { format: 'csv', headers: PENALTY_HEADERS });
        await report.append({ line: 9, cells: ['非空', ...cells.slice(1)], reasons: ['原因'] });
        await report.close();

        const { records } = await readAll(await openDisclosureFile(path));

        expect(records[0]?.cells.slice(0, 13)).toEqual(['非空', ...cells.slice(1)].map(escapeFormula));
        expect(records[0]?.cells.slice(13)).toEqual(['9', '原因']);
      }),
      { numRuns: 40 },
    );
  });

  it('streams a long report without holding it', async () => {
    const path = dir.file('long.xlsx');
    const report = await openRejectedRowsReport(path, { format: 'xlsx', headers: PENALTY_HEADERS });

    for (let i = 0; i < 20_000; i++) await report.append({ line: i + 2, cells: penaltyCells(i), reasons: ['原因'] });
    const { rows } = await report.close();

    const { records } = await readAll(await openDisclosureFile(path));
    expect(rows).toBe(20_000);
    expect(records).toHaveLength(20_000);
    expect(records.at(-1)?.line).toBe(20_001);
  });
});

describe('escaping formulas', () => {
  it.each([
    ['=1+1', "'=1+1"],
    ['@cmd', "'@cmd"],
    ['\r=1', "'\r=1"],
    ['12.5', '12.5'],
    ['-3', '-3'],
    ['拉萨市', '拉萨市'],
    ['', ''],
  ])('turns %j into %j', (input, expected) => {
    expect(escapeFormula(input)).toBe(expected);
  });
});
