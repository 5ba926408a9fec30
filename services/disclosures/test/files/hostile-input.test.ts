import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { once } from 'node:events';
import { Readable } from 'node:stream';
import { finished } from 'node:stream/promises';
import yazl from 'yazl';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDisclosureFile } from '../../src/files/index.js';
import { csvLine, fileErrorOf, inlineRow, PENALTY_HEADERS, penaltyCells, readAll, TempDir, writeRawXlsx, writeZip } from './fixtures.js';

const MB = 1024 * 1024;
let dir: TempDir;
beforeAll(async () => {
  dir = await TempDir.create();
});
afterAll(async () => {
  await dir.remove();
});

/** A workbook whose sheet part is `bytes` zeros: about 1000:1 compressed, so 200 MB takes some 200 KB on disk. */
async function writeZeroBomb(path: string, bytes: number): Promise<void> {
  const zip = new yazl.ZipFile();
  const workbook = '<workbook xmlns:r="r"><sheets><sheet name="s" r:id="rId1"/></sheets></workbook>';
  zip.addBuffer(Buffer.from(workbook), 'xl/workbook.xml');
  zip.addBuffer(
    Buffer.from('<Relationships><Relationship Id="rId1" Type="x/worksheet" Target="worksheets/sheet1.xml"/></Relationships>'),
    'xl/_rels/workbook.xml.rels',
  );
  const chunk = Buffer.alloc(MB);
  zip.addReadStream(Readable.from((function* () {
    for (let sent = 0; sent < bytes; sent += MB) yield chunk;
  })()), 'xl/worksheets/sheet1.xml');
  zip.end();
  const out = createWriteStream(path);
  zip.outputStream.pipe(out);
  await finished(out);
}

/** Rewrites the uncompressed size an entry declares in the central directory, as a forger would. */
async function forgeDeclaredSize(path: string, entryName: string, size: number): Promise<void> {
  const zip = await readFile(path);
  const centralHeader = Buffer.from([0x50, 0x4b, 0x01, 0x02]);
  for (let at = zip.indexOf(centralHeader); at >= 0; at = zip.indexOf(centralHeader, at + 4)) {
    const nameLength = zip.readUInt16LE(at + 28);
    if (zip.toString('utf8', at + 46, at + 46 + nameLength) === entryName) zip.writeUInt32LE(size, at + 24);
  }
  await writeFile(path, zip);
}

function rssMb(): number {
  return process.memoryUsage().rss / MB;
}

describe('refusing files that are not disclosure files', () => {
  it('asks for .xlsx or CSV when given an old .xls workbook', async () => {
    const path = await dir.write('old.xls', Buffer.concat([Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), Buffer.alloc(512)]));

    const error = await fileErrorOf(openDisclosureFile(path));

    expect(error.reason).toBe('FILE_OLD_XLS');
    expect(error.message).toContain('.xlsx');
  });

  it('refuses random binary data as neither CSV nor XLSX, whatever its name', async () => {
    const path = await dir.write('penalties.csv', randomBytes(100_000));

    const error = await fileErrorOf(openDisclosureFile(path));

    expect(error).toEqual({ reason: 'FILE_NOT_CSV_OR_XLSX', message: expect.stringContaining('不是 CSV 或 XLSX 文件') });
  });

  it('refuses an empty file', async () => {
    const path = await dir.write('empty.csv', '');

    expect((await fileErrorOf(openDisclosureFile(path))).reason).toBe('FILE_EMPTY');
  });

  it('refuses a zip that holds no workbook', async () => {
    const path = dir.file('photos.xlsx');
    await writeZip(path, { 'readme.txt': 'hello', 'a/b.xml': '<a/>' });

    const error = await fileErrorOf(openDisclosureFile(path));

    expect(error.reason).toBe('XLSX_INVALID');
    expect(error.message).toContain('不是有效的 XLSX 文件');
  });

  it('refuses a truncated zip as not a valid XLSX', async () => {
    const good = dir.file('good.xlsx');
    await writeRawXlsx(good, { sheetData: inlineRow(1, PENALTY_HEADERS) });
    const bytes = await readFile(good);
    const path = await dir.write('truncated.xlsx', bytes.subarray(0, bytes.length - 40));

    const error = await fileErrorOf(openDisclosureFile(path));

    expect(error.reason).toBe('XLSX_INVALID');
    expect(error.message).toContain('不是有效的 XLSX 文件');
  });

  it('refuses a worksheet with a DOCTYPE (entity expansion tricks need one)', async () => {
    const path = dir.file('doctype.xlsx');
    await writeZip(path, {
      'xl/workbook.xml': '<!DOCTYPE w [<!ENTITY a "aaaaaaaa">]><workbook><sheets><sheet name="s" r:id="rId1" xmlns:r="r"/></sheets></workbook>',
    });

    const error = await fileErrorOf(openDisclosureFile(path));

    expect(error.reason).toBe('XLSX_INVALID');
    expect(error.message).toContain('DOCTYPE');
  });

  it('refuses a file over the size limit before reading it, stating the limit', async () => {
    const path = await dir.write('big.csv', `${csvLine(PENALTY_HEADERS)}\n`.repeat(100));

    const error = await fileErrorOf(openDisclosureFile(path, { limits: { maxCsvBytes: 10 * 1024 } }));

    expect(error.reason).toBe('FILE_TOO_LARGE');
    expect(error.message).toContain('10 KB');
  });
});

describe('stopping decompression bombs', () => {
  it('stops a 200 MB zip bomb from its declared compression ratio without inflating it', async () => {
    const path = dir.file('bomb.xlsx');
    await writeZeroBomb(path, 200 * MB);
    const before = rssMb();

    const error = await fileErrorOf(openDisclosureFile(path));

    expect(error.reason).toBe('XLSX_COMPRESSION_RATIO');
    expect(error.message).toContain('xl/worksheets/sheet1.xml');
    expect(rssMb() - before).toBeLessThan(64);
  });

  it('stops a bomb whose declared size is forged, after inflating little more than it declared', async () => {
    const path = dir.file('forged.xlsx');
    await writeZeroBomb(path, 200 * MB);
    await forgeDeclaredSize(path, 'xl/worksheets/sheet1.xml', 1000);
    const before = rssMb();

    const error = await fileErrorOf(openDisclosureFile(path));

    expect(error.reason).toBe('XLSX_INVALID');
    expect(error.message).toContain('与声明不符');
    expect(rssMb() - before).toBeLessThan(64);
  });

  it('refuses an entry that would inflate past the size limit even at a tolerated ratio', async () => {
    const path = dir.file('large-entry.xlsx');
    await writeZeroBomb(path, 20 * MB);

    const error = await fileErrorOf(openDisclosureFile(path, { limits: { maxEntryInflatedBytes: 8 * MB, maxCompressionRatio: 100_000 } }));

    expect(error.reason).toBe('XLSX_ENTRY_TOO_LARGE');
    expect(error.message).toContain('8 MB');
  });

  it('refuses a zip with more entries than the limit', async () => {
    const path = dir.file('many.xlsx');
    await writeZip(path, Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`part${i}.xml`, '<a/>'])));

    const error = await fileErrorOf(openDisclosureFile(path, { limits: { maxZipEntries: 10 } }));

    expect(error.reason).toBe('XLSX_TOO_MANY_ENTRIES');
    expect(error.message).toContain('10');
  });

  it('bounds the shared strings table', async () => {
    const path = dir.file('strings.xlsx');
    await writeRawXlsx(path, { sharedStrings: Array.from({ length: 100 }, (_, i) => `字符串${i}`), sheetData: inlineRow(1, PENALTY_HEADERS) });

    const error = await fileErrorOf(openDisclosureFile(path, { limits: { maxSharedStringChars: 200 } }));

    expect(error.reason).toBe('XLSX_SHARED_STRINGS_TOO_LARGE');
  });
});

describe('reading a file with a 200 MB line', () => {
  it('reports the row as too long without holding it, and reads on', async () => {
    const path = dir.file('long-line.csv');
    const out = createWriteStream(path);
    out.write(`${csvLine(PENALTY_HEADERS)}\n${csvLine(penaltyCells(1))}\n`);
    const slab = Buffer.alloc(MB, 'x');
    for (let i = 0; i < 200; i++) if (!out.write(slab)) await once(out, 'drain');
    out.end(`\n${csvLine(penaltyCells(3))}\n`);
    await finished(out);
    const before = rssMb();

    const { records, errors } = await readAll(await openDisclosureFile(path));

    expect(records.map((r) => r.line)).toEqual([2, 4]);
    expect(errors).toEqual([{ line: 3, reason: 'ROW_TOO_LONG', message: expect.stringContaining('65536'), cells: [] }]);
    expect(rssMb() - before).toBeLessThan(64);
  });
});
