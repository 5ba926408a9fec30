// Read speed of the file layer alone: a generated 1,000,000-row penalty CSV (rows of ~400 bytes), read through
// openDisclosureFile in a child process so its peak RSS is the reader's own, not the generator's.
// Run: npx tsx --tsconfig ../../tsconfig.base.json --conditions=@credit/source bench/files.ts
// BENCH_ROWS changes the CSV row count; BENCH_XLSX_ROWS the XLSX one (a workbook of inline strings written by our writer).
import { spawnSync } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { finished } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import { isRowError, openDisclosureFile, XlsxWriter } from '../src/files/index.js';

const HEADER = [
  '行政处罚决定书文号', '行政相对人名称', '行政相对人类别', '统一社会信用代码', '法定代表人', '违法行为类型', '违法事实', '处罚依据',
  '处罚类别', '处罚内容', '罚款金额（万元）', '处罚决定日期', '处罚机关', '处罚机关统一社会信用代码', '数据来源单位', '数据来源单位统一社会信用代码',
];

function row(i: number): string {
  const n = String(i).padStart(7, '0');
  return [
    `藏市监罚〔2024〕${n}号`,
    `拉萨市城关区雪域商贸${n}有限公司`,
    '法人及非法人组织',
    '91540102MA6T00000X',
    '扎西',
    '未按规定公示年度报告',
    `"经查，当事人未按期公示年度报告，违反《企业信息公示暂行条例》第八条（${n}）"`,
    '《企业信息公示暂行条例》第十七条',
    '罚款',
    '罚款人民币5000元整',
    '0.5',
    '2024-03-15',
    '拉萨市城关区市场监督管理局',
    '11540102MB0000000X',
    '西藏自治区市场监督管理局',
    '11540000MB0000000X',
  ].join(',');
}

async function generate(path: string, rows: number): Promise<void> {
  const out = createWriteStream(path);
  out.write(`\uFEFF${HEADER.join(',')}\r\n`);
  for (let i = 1; i <= rows; i++) {
    if (!out.write(`${row(i)}\r\n`)) await once(out, 'drain');
  }
  out.end();
  await finished(out);
}

async function generateXlsx(path: string, rows: number): Promise<void> {
  const writer = XlsxWriter.create(path);
  await writer.addRow(HEADER);
  for (let i = 1; i <= rows; i++) await writer.addRow(row(i).split(',').map((c) => c.replace(/^"|"$/g, '')));
  await writer.close();
}

function readInChild(path: string): Record<string, number> {
  const child = spawnSync(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), '--read', path], { encoding: 'utf8' });
  if (child.status !== 0) throw new Error(child.stderr);
  return JSON.parse(child.stdout.trim().split('\n').pop() ?? '{}') as Record<string, number>;
}

function report(label: string, rows: number, size: number, result: Record<string, number>): void {
  console.log(`${label}: ${rows} rows, ${(size / 1e6).toFixed(0)} MB (${Math.round(size / rows)} bytes/row)`);
  console.log(`  read: ${result['rowsPerSecond']} rows/s (${result['seconds']?.toFixed(2)} s), peak RSS ${result['peakRssMb']} MB (process at start ${result['baselineRssMb']} MB), rows ${result['rows']}, row errors ${result['errors']}`);
}

async function read(path: string): Promise<void> {
  const baselineRssMb = Math.round(process.memoryUsage().rss / 1024 / 1024);
  const started = performance.now();
  const file = await openDisclosureFile(path);
  let rows = 0;
  let errors = 0;
  for await (const r of file.rows()) {
    if (isRowError(r)) errors++;
    else rows++;
  }
  const seconds = (performance.now() - started) / 1000;
  const peakRssMb = process.resourceUsage().maxRSS / 1024;
  console.log(JSON.stringify({ rows, errors, seconds, rowsPerSecond: Math.round((rows + errors) / seconds), peakRssMb: Math.round(peakRssMb), baselineRssMb }));
}

async function main(): Promise<void> {
  if (process.argv[2] === '--read' && process.argv[3]) return read(process.argv[3]);
  const rows = Number(process.env['BENCH_ROWS'] ?? 1_000_000);
  const xlsxRows = Number(process.env['BENCH_XLSX_ROWS'] ?? 100_000);
  const dir = await mkdtemp(join(tmpdir(), 'disclosures-bench-'));
  try {
    const csvPath = join(dir, 'penalties.csv');
    await generate(csvPath, rows);
    report('CSV (UTF-8)', rows, (await stat(csvPath)).size, readInChild(csvPath));
    await rm(csvPath);
    const xlsxPath = join(dir, 'penalties.xlsx');
    await generateXlsx(xlsxPath, xlsxRows);
    report('XLSX (inline strings)', xlsxRows, (await stat(xlsxPath)).size, readInChild(xlsxPath));
    console.log('target: reading alone far above 20,000 rows/s (aim ≥ 100,000 rows/s for CSV) within ~100 MB RSS');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
