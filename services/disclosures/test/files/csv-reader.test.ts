import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDisclosureFile } from '../../src/files/index.js';
import { csvLine, fileErrorOf, LICENCE_HEADERS, PENALTY_CODES, PENALTY_HEADERS, penaltyCells, readAll, TempDir } from './fixtures.js';

let dir: TempDir;
beforeAll(async () => {
  dir = await TempDir.create();
});
afterAll(async () => {
  await dir.remove();
});

const csv = (...lines: string[][]) => lines.map(csvLine).join('\r\n') + '\r\n';

describe('reading a CSV disclosure file', () => {
  it('maps Chinese headers to field codes and numbers rows as the officer sees them', async () => {
    const path = await dir.write('chinese.csv', csv(PENALTY_HEADERS, penaltyCells(1), penaltyCells(2)));

    const file = await openDisclosureFile(path);
    const { records, errors } = await readAll(file);

    expect(file.format).toBe('csv');
    expect(file.kind).toBe('penalty');
    expect(file.encoding).toBe('utf-8');
    expect(file.notices).toEqual([]);
    expect(errors).toEqual([]);
    expect(records.map((r) => r.line)).toEqual([2, 3]);
    expect(records[0]?.fields['CF_WSH']).toBe('藏市监罚〔2024〕1号');
    expect(records[1]?.fields['CF_XDR_MC']).toBe('拉萨市城关区雪域商贸2有限公司');
  });

  it('accepts field codes as headers, in any case', async () => {
    const headers = PENALTY_CODES.map((c, i) => (i === 0 ? c.toLowerCase() : c));
    const path = await dir.write('codes.csv', csv(headers, penaltyCells(7)));

    const { records } = await readAll(await openDisclosureFile(path));

    expect(records[0]?.fields['CF_WSH']).toBe('藏市监罚〔2024〕7号');
    expect(Object.keys(records[0]?.fields ?? {})).toEqual(PENALTY_CODES);
  });

  it('detects a licence file from its headers', async () => {
    const path = await dir.write('licence.csv', csv(LICENCE_HEADERS));

    const file = await openDisclosureFile(path);

    expect(file.kind).toBe('licence');
    expect(file.columns.map((c) => c.field?.code)).toContain('XK_WSH');
  });

  it('reads a file with a UTF-8 byte order mark without keeping the mark in the first header', async () => {
    const path = await dir.write('bom.csv', '\uFEFF' + csv(PENALTY_HEADERS, penaltyCells(1)));

    const file = await openDisclosureFile(path);
    const { records } = await readAll(file);

    expect(file.headers[0]).toBe('行政处罚决定书文号');
    expect(records).toHaveLength(1);
  });

  it('reads a GBK file and tells the officer it was read as GBK', async () => {
    const path = await dir.write('gbk.csv', iconv.encode(csv(PENALTY_HEADERS, penaltyCells(3)), 'gbk'));

    const file = await openDisclosureFile(path);
    const { records } = await readAll(file);

    expect(file.encoding).toBe('gb18030');
    expect(file.notices.join()).toContain('GBK');
    expect(records[0]?.fields['CF_XDR_MC']).toBe('拉萨市城关区雪域商贸3有限公司');
  });

  it("reads Excel's Unicode text export: UTF-16LE with a byte order mark, tab-separated", async () => {
    const text = [PENALTY_HEADERS, penaltyCells(4)].map((cells) => cells.join('\t')).join('\r\n');
    const path = await dir.write('unicode.txt', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]));

    const file = await openDisclosureFile(path);
    const { records } = await readAll(file);

    expect(file.encoding).toBe('utf-16le');
    expect(file.delimiter).toBe('\t');
    expect(file.headers[0]).toBe('行政处罚决定书文号');
    expect(records[0]?.fields['CF_XDR_MC']).toBe('拉萨市城关区雪域商贸4有限公司');
  });

  it('refuses a file whose bytes are neither UTF-8 nor GBK', async () => {
    const garbage = Buffer.concat([Buffer.from(PENALTY_HEADERS.join(',') + '\n'), Buffer.from([0xff, 0xff, 0x81, 0x20, 0xfe, 0x0a])]);
    const path = await dir.write('garbage.csv', garbage);

    const error = await fileErrorOf(openDisclosureFile(path));

    expect(error.reason).toBe('FILE_ENCODING_UNKNOWN');
    expect(error.message).toContain('UTF-8');
  });

  it('keeps quoted commas, doubled quotes and line breaks inside one cell and one row number', async () => {
    const cells = penaltyCells(1);
    cells[1] = '拉萨市城关区"雪域",商贸有限公司';
    cells[4] = '第一行\r\n第二行\n第三行';
    const path = await dir.write('quoted.csv', csv(PENALTY_HEADERS, cells, penaltyCells(2)));

    const { records } = await readAll(await openDisclosureFile(path));

    expect(records[0]?.fields['CF_XDR_MC']).toBe('拉萨市城关区"雪域",商贸有限公司');
    expect(records[0]?.fields['CF_SY']).toBe('第一行\r\n第二行\n第三行');
    expect(records.map((r) => r.line)).toEqual([2, 3]);
  });

  it('reports a row with more cells than the header, saying how many', async () => {
    const path = await dir.write('extra.csv', csv(PENALTY_HEADERS, [...penaltyCells(1), '多余']));

    const { errors } = await readAll(await openDisclosureFile(path));

    expect(errors).toEqual([expect.objectContaining({ line: 2, reason: 'ROW_EXTRA_CELLS' })]);
    expect(errors[0]?.message).toContain('14列');
    expect(errors[0]?.message).toContain('13列');
    expect(errors[0]?.cells).toContain('多余');
  });

  it('reports a row with fewer cells than the header, saying how many', async () => {
    const path = await dir.write('missing.csv', csv(PENALTY_HEADERS, penaltyCells(1).slice(0, 10)));

    const { errors } = await readAll(await openDisclosureFile(path));

    expect(errors).toEqual([expect.objectContaining({ line: 2, reason: 'ROW_MISSING_CELLS' })]);
    expect(errors[0]?.message).toContain('少3列');
  });

  it('accepts blank trailing cells and skips empty rows while still counting them', async () => {
    const text = [csvLine(PENALTY_HEADERS), csvLine([...penaltyCells(1), '', '']), '', ',,,', csvLine(penaltyCells(2))].join('\n');
    const path = await dir.write('blank.csv', text);

    const { records, errors } = await readAll(await openDisclosureFile(path));

    expect(errors).toEqual([]);
    expect(records.map((r) => r.line)).toEqual([2, 5]);
  });

  it('skips a title row above the header and says so', async () => {
    const text = ['行政处罚信息表,,,', '', csvLine(PENALTY_HEADERS), csvLine(penaltyCells(1))].join('\r\n');
    const path = await dir.write('title.csv', text);

    const file = await openDisclosureFile(path);
    const { records } = await readAll(file);

    expect(file.notices).toEqual(['已跳过第1行的标题“行政处罚信息表”']);
    expect(records.map((r) => r.line)).toEqual([4]);
  });

  it('reads a tab-separated file when the header has tabs and no commas', async () => {
    const text = [PENALTY_HEADERS, penaltyCells(1)].map((cells) => cells.join('\t')).join('\n');
    const path = await dir.write('tabs.csv', text);

    const file = await openDisclosureFile(path);
    const { records } = await readAll(file);

    expect(file.delimiter).toBe('\t');
    expect(records[0]?.fields['CF_CFLB']).toBe('罚款');
  });

  it('rejects a row with a control character, naming the column', async () => {
    const cells = penaltyCells(1);
    cells[3] = '违法\u0007行为';
    const path = await dir.write('control.csv', csv(PENALTY_HEADERS, cells, penaltyCells(2)));

    const { records, errors } = await readAll(await openDisclosureFile(path));

    expect(errors[0]?.reason).toBe('ROW_INVALID_CHARACTER');
    expect(errors[0]?.message).toContain('“违法行为类型”列第3个字符');
    expect(records.map((r) => r.line)).toEqual([3]);
  });

  it('rejects a row with an undecodable byte past the sniffed sample without failing the file', async () => {
    const head = Buffer.from(csv(PENALTY_HEADERS, ...Array.from({ length: 400 }, (_, i) => penaltyCells(i + 1))));
    const bad = Buffer.from(csvLine(penaltyCells(999)).replace('罚款人民币', '\uFFFF') + '\r\n');
    bad.fill(0xff, bad.indexOf(Buffer.from([0xef, 0xbf, 0xbf])), bad.indexOf(Buffer.from([0xef, 0xbf, 0xbf])) + 3);
    const path = await dir.write('late-garbage.csv', Buffer.concat([head, bad]));
    expect(head.length).toBeGreaterThan(64 * 1024);

    const { records, errors } = await readAll(await openDisclosureFile(path));

    expect(records).toHaveLength(400);
    expect(errors).toEqual([expect.objectContaining({ line: 402, reason: 'ROW_INVALID_CHARACTER' })]);
    expect(errors[0]?.message).toContain('无法识别');
  });

  it('reports an unclosed quote at the end of the file', async () => {
    const path = await dir.write('unclosed.csv', csv(PENALTY_HEADERS) + csvLine(penaltyCells(1)) + ',"没有结束');

    const { errors } = await readAll(await openDisclosureFile(path));

    expect(errors).toEqual([expect.objectContaining({ line: 2, reason: 'ROW_UNCLOSED_QUOTE' })]);
  });

  it('passes formula-looking cells through as text, unevaluated', async () => {
    const cells = penaltyCells(1);
    cells[1] = '=HYPERLINK("http://example.invalid","点击")';
    cells[3] = '@SUM(1+1)';
    const path = await dir.write('formula.csv', csv(PENALTY_HEADERS, cells));

    const { records } = await readAll(await openDisclosureFile(path));

    expect(records[0]?.fields['CF_XDR_MC']).toBe('=HYPERLINK("http://example.invalid","点击")');
    expect(records[0]?.fields['CF_WFXW']).toBe('@SUM(1+1)');
  });

  it('reports progress in bytes of the file', async () => {
    const path = await dir.write('progress.csv', csv(PENALTY_HEADERS, penaltyCells(1)));
    const file = await openDisclosureFile(path);

    await readAll(file);

    expect(file.progress().bytesRead).toBe(file.progress().totalBytes);
    expect(file.progress().totalBytes).toBeGreaterThan(100);
  });
});

describe('refusing a CSV header', () => {
  it('names every unknown header in one error', async () => {
    const path = await dir.write('unknown.csv', csv([...PENALTY_HEADERS, '联系电话', '备注2']));

    const error = await fileErrorOf(openDisclosureFile(path));

    expect(error.reason).toBe('HEADER_UNKNOWN_COLUMNS');
    expect(error.message).toContain('“联系电话”');
    expect(error.message).toContain('“备注2”');
  });

  it('names the missing required columns', async () => {
    const path = await dir.write('required.csv', csv(PENALTY_HEADERS.filter((h) => h !== '处罚依据' && h !== '处罚机关')));

    const error = await fileErrorOf(openDisclosureFile(path));

    expect(error.reason).toBe('HEADER_MISSING_REQUIRED_COLUMNS');
    expect(error.message).toContain('“处罚依据”（CF_YJ）');
    expect(error.message).toContain('“处罚机关”（CF_CFJG）');
  });

  it('refuses the same field twice, even spelt once as a code and once in Chinese', async () => {
    const path = await dir.write('duplicate.csv', csv([...PENALTY_HEADERS, 'CF_WSH']));

    const error = await fileErrorOf(openDisclosureFile(path));

    expect(error.reason).toBe('HEADER_DUPLICATE_COLUMNS');
    expect(error.message).toContain('“行政处罚决定书文号”与“CF_WSH”');
  });

  it('refuses headers that belong to no kind', async () => {
    const path = await dir.write('nokind.csv', csv(['姓名', '电话']));

    const error = await fileErrorOf(openDisclosureFile(path));

    expect(error.reason).toBe('HEADER_KIND_UNKNOWN');
  });

  it('refuses a penalty file opened as a licence file, naming the penalty headers', async () => {
    const path = await dir.write('wrongkind.csv', csv(PENALTY_HEADERS));

    const error = await fileErrorOf(openDisclosureFile(path, { kind: 'licence' }));

    expect(error.reason).toBe('HEADER_UNKNOWN_COLUMNS');
    expect(error.message).toContain('“行政处罚决定书文号”');
  });

  it('ignores the report columns 原行号 and 错误原因 so a corrected report can be imported again', async () => {
    const path = await dir.write('report.csv', csv([...PENALTY_HEADERS, '原行号', '错误原因'], [...penaltyCells(1), '17', '处罚决定日期晚于今天']));

    const { records, errors } = await readAll(await openDisclosureFile(path));

    expect(errors).toEqual([]);
    expect(Object.keys(records[0]?.fields ?? {})).toEqual(PENALTY_CODES);
  });
});
