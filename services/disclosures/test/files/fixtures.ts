import { createWriteStream } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { finished } from 'node:stream/promises';
import yazl from 'yazl';
import { isRowError, type DisclosureFile, type FileRecord, type RowError } from '../../src/files/index.js';

/** The required penalty columns, Chinese headers, in template order. */
export const PENALTY_HEADERS = [
  '行政处罚决定书文号',
  '行政相对人名称',
  '行政相对人类别',
  '违法行为类型',
  '违法事实',
  '处罚依据',
  '处罚类别',
  '处罚内容',
  '处罚决定日期',
  '处罚机关',
  '处罚机关统一社会信用代码',
  '数据来源单位',
  '数据来源单位统一社会信用代码',
];

export const PENALTY_CODES = [
  'CF_WSH',
  'CF_XDR_MC',
  'CF_XDR_LB',
  'CF_WFXW',
  'CF_SY',
  'CF_YJ',
  'CF_CFLB',
  'CF_NR',
  'CF_JDRQ',
  'CF_CFJG',
  'CF_CFJGDM',
  'CF_SJLY',
  'CF_SJLYDM',
];

export const LICENCE_HEADERS = [
  '行政相对人名称',
  '行政相对人类别',
  '行政许可决定文书名称',
  '行政许可决定文书号',
  '许可类别',
  '许可证书名称',
  '许可内容',
  '许可决定日期',
  '有效期自',
  '许可机关',
  '许可机关统一社会信用代码',
  '数据来源单位',
  '数据来源单位统一社会信用代码',
];

export function penaltyCells(n: number): string[] {
  return [
    `藏市监罚〔2024〕${n}号`,
    `拉萨市城关区雪域商贸${n}有限公司`,
    '法人及非法人组织',
    '未按规定公示年度报告',
    '经查，当事人未按期公示年度报告',
    '《企业信息公示暂行条例》第十七条',
    '罚款',
    '罚款人民币5000元',
    '2024-03-15',
    '拉萨市城关区市场监督管理局',
    '11540102MB0000000X',
    '西藏自治区市场监督管理局',
    '11540000MB0000000X',
  ];
}

export function csvLine(cells: readonly string[]): string {
  return cells.map((c) => (/[",\r\n]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c)).join(',');
}

export class TempDir {
  private constructor(readonly path: string) {}

  static async create(): Promise<TempDir> {
    return new TempDir(await mkdtemp(join(tmpdir(), 'disclosure-files-')));
  }

  file(name: string): string {
    return join(this.path, name);
  }

  async write(name: string, content: string | Uint8Array): Promise<string> {
    const path = this.file(name);
    await writeFile(path, content);
    return path;
  }

  async remove(): Promise<void> {
    await rm(this.path, { recursive: true, force: true });
  }
}

/** Writes a zip with the given parts (name → content); `compress: false` stores them. */
export async function writeZip(path: string, parts: Record<string, string | Buffer>, compress = true): Promise<void> {
  const zip = new yazl.ZipFile();
  for (const [name, content] of Object.entries(parts)) zip.addBuffer(Buffer.isBuffer(content) ? content : Buffer.from(content), name, { compress });
  zip.end();
  const out = createWriteStream(path);
  zip.outputStream.pipe(out);
  await finished(out);
}

const MAIN_NS = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';

/** A hand-built workbook, for cell kinds our writer does not produce (shared strings, formulas, 1904 dates, styles). */
export async function writeRawXlsx(
  path: string,
  options: { sheetData: string; sharedStrings?: string[]; date1904?: boolean; numFmts?: string; cellXfs?: string },
): Promise<void> {
  const rels = [
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>',
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>',
    '<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="/xl/sharedStrings.xml"/>',
  ].join('');
  const shared = (options.sharedStrings ?? []).map((s) => `<si><t>${s}</t></si>`).join('');
  await writeZip(path, {
    '[Content_Types].xml': '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>',
    '_rels/.rels':
      '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>',
    'xl/workbook.xml': `<?xml version="1.0"?><x:workbook xmlns:x="${MAIN_NS}" xmlns:rel="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><x:workbookPr date1904="${options.date1904 ? 1 : 0}"/><x:sheets><x:sheet name="处罚" sheetId="1" rel:id="rId1"/></x:sheets></x:workbook>`,
    'xl/_rels/workbook.xml.rels': `<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">${rels}</Relationships>`,
    'xl/styles.xml': `<?xml version="1.0"?><styleSheet xmlns="${MAIN_NS}">${options.numFmts ?? ''}<cellXfs>${options.cellXfs ?? '<xf numFmtId="0"/>'}</cellXfs></styleSheet>`,
    'xl/sharedStrings.xml': `<?xml version="1.0"?><sst xmlns="${MAIN_NS}">${shared}</sst>`,
    'xl/worksheets/sheet1.xml': `<?xml version="1.0"?><x:worksheet xmlns:x="${MAIN_NS}"><x:sheetData>${options.sheetData}</x:sheetData></x:worksheet>`,
  });
}

/** An inline-string row in sheet XML. */
export function inlineRow(line: number, cells: readonly string[]): string {
  return `<row r="${line}">${cells.map((c) => `<c t="inlineStr"><is><t>${c}</t></is></c>`).join('')}</row>`;
}

export async function readAll(file: DisclosureFile): Promise<{ records: FileRecord[]; errors: RowError[] }> {
  const records: FileRecord[] = [];
  const errors: RowError[] = [];
  for await (const row of file.rows()) {
    if (isRowError(row)) errors.push(row);
    else records.push(row);
  }
  return { records, errors };
}

/** The DomainError a promise rejects with (fails the test when it resolves). */
export async function fileErrorOf(promise: Promise<unknown>): Promise<{ reason: string; message: string }> {
  try {
    await promise;
  } catch (err) {
    const e = err as { reason?: string; message: string };
    return { reason: e.reason ?? 'NOT_A_DOMAIN_ERROR', message: e.message };
  }
  throw new Error('expected a file error, but the file was read');
}
