import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testToken } from '@credit/platform/testing';
import { openDisclosureFile } from '@credit/disclosures/files';
import {
  AMR_LICENCE_ITEM,
  AMR_PENALTY_ITEM,
  TAX_PENALTY_ITEM,
  amrOfficer,
  penaltyFields,
  startTestDisclosures,
  type TestDisclosures,
} from '../../../services/disclosures/test/harness.js';
import { runCli } from '../src/cli.js';
import { runCapture } from './cli-run.js';

const SAMPLE = fileURLToPath(new URL('../../../infra/samples/penalties-sample.csv', import.meta.url));
const XLSX_SAMPLE = fileURLToPath(new URL('../../../infra/samples/licences-sample.xlsx', import.meta.url));

describe('credit disclosures import', () => {
  let t: TestDisclosures;
  let dir: string;
  const flags = () => ['--disclosures', t.address, '--token', testToken(amrOfficer), '--item', AMR_PENALTY_ITEM];
  const stored = async () => Number((await t.running.ds.query('SELECT count(*)::int AS n FROM disclosure_record'))[0].n);

  beforeAll(async () => {
    // The sample's decisions are of 2025; the service's day is later.
    t = await startTestDisclosures({ now: new Date('2026-06-15T10:00:00+08:00') });
    dir = mkdtempSync(join(tmpdir(), 'credit-import-'));
  }, 60_000);
  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    await t?.stop();
  });

  it('imports the sample file, stores the good rows and reports exactly the bad ones with their reasons', async () => {
    const file = join(dir, 'penalties.csv');
    copyFileSync(SAMPLE, file);
    const result = await runCapture(['disclosures', 'import', file, ...flags()]);

    expect(result.exitCode).toBe(1);
    expect(result.lines.join('\n')).toMatch(/完成: 入库 22，已存在未变 0，退回 8/);
    expect(await stored()).toBe(22);
    const report = readFileSync(join(dir, 'penalties.rejected.csv'), 'utf8').replace(/^\uFEFF/, '').trim().split(/\r?\n/);
    // The header, then the eight bad rows (rows 23–30 of the sample) in file order, with their line numbers and reasons.
    expect(report).toHaveLength(9);
    expect(report[0]).toMatch(/原行号,错误原因$/);
    const lines = report.slice(1).map((r) => /,(\d+),[^,]*$/.exec(r)?.[1] ?? r);
    expect(lines.map(Number)).toEqual([23, 24, 25, 26, 27, 28, 29, 30]);
    expect(report.find((r) => r.includes(',24,'))).toMatch(/统一社会信用代码/);
    // Every row says why; a row the reader could not split says so too.
    for (const row of report.slice(1)) expect(row).toMatch(/,\d+,[^,]+$|,\d+,"[^"]+"$/);
    expect(report.find((r) => r.includes(',29,'))).toMatch(/多1列/);
  });

  it('stores nothing twice when the same file is imported again', async () => {
    const file = join(dir, 'penalties.csv');
    const again = await runCapture(['disclosures', 'import', file, ...flags()]);
    expect(again.lines.join('\n')).toMatch(/退回 8/);
    expect(await stored()).toBe(22);
    // A new request prefix is a new submission: the same rows are recognised as already stored.
    const fresh = await runCapture(['disclosures', 'import', file, ...flags(), '--request-prefix', 'second-try']);
    expect(fresh.lines.join('\n')).toMatch(/入库 0，已存在未变 22，退回 8/);
    expect(await stored()).toBe(22);
  });

  it('imports the licence workbook and writes its rejected rows as a workbook', async () => {
    const file = join(dir, 'licences.xlsx');
    copyFileSync(XLSX_SAMPLE, file);
    const result = await runCapture(['disclosures', 'import', file, ...flags().slice(0, -1), AMR_LICENCE_ITEM]);
    expect(result.lines.join('\n')).toMatch(/XLSX.*，行政许可，/);
    expect(result.lines.join('\n')).toMatch(/完成: 入库 17，已存在未变 0，退回 7/);
    expect(result.exitCode).toBe(1);
    const report = await openDisclosureFile(join(dir, 'licences.rejected.xlsx'));
    const lines: number[] = [];
    for await (const row of report.rows()) lines.push(row.line);
    expect(lines).toHaveLength(7);
  });

  it('reads a GBK file and says that it did', async () => {
    const columns = Object.keys(penaltyFields(1, '2026-06-01'));
    const body = [1, 2, 3].map((n) => columns.map((c) => penaltyFields(900 + n, '2026-06-01', { CF_WSH: `藏市监罚〔2026〕GBK${n}号` })[c]).join(','));
    const file = join(dir, 'gbk.csv');
    writeFileSync(file, iconv.encode([columns.join(','), ...body].join('\r\n'), 'gbk'));
    const result = await runCapture(['disclosures', 'import', file, ...flags()]);
    expect(result.exitCode).toBe(0);
    expect(result.lines.join('\n')).toMatch(/GBK/);
    expect(result.lines.join('\n')).toMatch(/入库 3，已存在未变 0，退回 0/);
  });

  it('refuses a file that is not a spreadsheet before contacting the service', async () => {
    const before = await stored();
    const file = join(dir, 'photo.csv');
    writeFileSync(file, Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52]));
    const result = await runCapture(['disclosures', 'import', file, ...flags()]);
    expect(result.exitCode).toBe(1);
    expect(result.lines.join('\n')).toMatch(/无法导入/);
    expect(existsSync(join(dir, 'photo.rejected.csv'))).toBe(false);
    expect(await stored()).toBe(before);
  });

  it('shows progress on a long file when not on a terminal', async () => {
    const columns = Object.keys(penaltyFields(1, '2026-06-01'));
    const body = Array.from({ length: 5000 }, (_, i) => {
      const f = penaltyFields(100_000 + i, '2026-06-01');
      return columns.map((c) => f[c]).join(',');
    });
    const file = join(dir, 'long.csv');
    writeFileSync(file, [columns.join(','), ...body].join('\n'));
    const result = await runCapture(['disclosures', 'import', file, ...flags()]);
    expect(result.exitCode).toBe(0);
    const progressLines = result.lines.filter((l) => /^已处理 \d+ 行 \d+%（[\d.]+ [KM]?B \/ [\d.]+ [KM]?B），\d+ 行\/秒；入库 \d+，已存在 \d+，退回 \d+$/.test(l));
    // One line per tenth at most: five chunks of a thousand rows, each more than a tenth of the file.
    expect(progressLines.length).toBeGreaterThanOrEqual(2);
    expect(progressLines.length).toBeLessThanOrEqual(5);
    expect(result.lines.join('\n')).toMatch(/入库 5000/);
  });

  it('imports a corrected report of rejected rows as it is', async () => {
    const columns = Object.keys(penaltyFields(1, '2026-06-01'));
    const rows = [1, 2, 3].map((n) => penaltyFields(700 + n, '2026-06-01', n === 2 ? { CF_SY: '' } : {}));
    const file = join(dir, 'to-correct.csv');
    writeFileSync(file, [columns.join(','), ...rows.map((r) => columns.map((c) => r[c]).join(','))].join('\n'));
    const first = await runCapture(['disclosures', 'import', file, ...flags()]);
    expect(first.lines.join('\n')).toMatch(/入库 2，已存在未变 0，退回 1/);

    // The officer fills in the missing facts in the report and imports the report itself.
    const reportPath = join(dir, 'to-correct.rejected.csv');
    const [header, row] = readFileSync(reportPath, 'utf8').replace(/^\uFEFF/, '').trim().split(/\r?\n/);
    expect(row).toMatch(/违法事实/);
    const cells = row!.split(',');
    cells[header!.split(',').indexOf('CF_SY')] = '经查，当事人销售过期食品';
    writeFileSync(reportPath, `${header}\r\n${cells.join(',')}\r\n`);
    const corrected = await runCapture(['disclosures', 'import', reportPath, ...flags()]);

    expect(corrected.exitCode).toBe(0);
    expect(corrected.lines.join('\n')).toMatch(/入库 1，已存在未变 0，退回 0/);
    expect(existsSync(join(dir, 'to-correct.rejected.rejected.csv'))).toBe(false);
  });

  it('stops cleanly on an item of another department and stores nothing', async () => {
    const before = await stored();
    const file = join(dir, 'penalties.csv');
    const result = await runCapture(['disclosures', 'import', file, ...flags().slice(0, -1), TAX_PENALTY_ITEM]);
    expect(result.exitCode).toBe(1);
    expect(result.lines.join('\n')).toMatch(/导入中止: .*tax.*\(PERMISSION_DENIED\)/);
    expect(await stored()).toBe(before);
  });

  it('says in Chinese when the service cannot be reached', async () => {
    const file = join(dir, 'penalties.csv');
    const result = await runCapture(['disclosures', 'import', file, ...flags(), '--disclosures', '127.0.0.1:1', '--request-prefix', 'unreachable']);
    expect(result.exitCode).toBe(1);
    expect(result.lines.join('\n')).toMatch(/无法连接双公示服务 127\.0\.0\.1:1/);
  });

  it('finishes what was sent when interrupted, and a re-run completes the file without storing anything twice', async () => {
    const columns = Object.keys(penaltyFields(1, '2026-06-01'));
    const body = Array.from({ length: 6000 }, (_, i) => {
      const f = penaltyFields(200_000 + i, '2026-06-01');
      return columns.map((c) => f[c]).join(',');
    });
    const file = join(dir, 'interrupted.csv');
    writeFileSync(file, [columns.join(','), ...body].join('\n'));
    const before = await stored();
    const stop = new AbortController();
    const printed: string[] = [];
    // Ctrl-C as soon as the first chunk is answered: the chunks already sent are still answered and counted.
    const code = await runCli(['disclosures', 'import', file, ...flags()], (l) => {
      printed.push(l);
      if (l.startsWith('已处理 ')) stop.abort();
    }, stop.signal);
    expect(code).toBe(1);
    expect(printed.join('\n')).toMatch(/导入已中断/);
    const partly = (await stored()) - before;
    expect(partly).toBeGreaterThan(0);
    expect(partly).toBeLessThan(6000);
    expect(printed.join('\n')).toContain(`已处理部分: 入库 ${partly}，`);

    const rerun = await runCapture(['disclosures', 'import', file, ...flags()]);
    expect(rerun.exitCode).toBe(0);
    // The chunks of the first run are answered as they were then; the rest is stored now.
    expect(rerun.lines.join('\n')).toMatch(/完成: 入库 6000，已存在未变 0，退回 0/);
    expect((await stored()) - before).toBe(6000);
  });

  it('reports a file whose every row is broken without sending any of it', async () => {
    const before = await stored();
    const columns = Object.keys(penaltyFields(1, '2026-06-01'));
    // An unquoted comma in the facts of every row: one cell too many each time.
    const body = Array.from({ length: 2500 }, (_, i) => {
      const f = penaltyFields(300_000 + i, '2026-06-01', { CF_SY: '经查,当事人销售过期食品' });
      return columns.map((c) => f[c]).join(',');
    });
    const file = join(dir, 'broken.csv');
    writeFileSync(file, [columns.join(','), ...body].join('\n'));
    const result = await runCapture(['disclosures', 'import', file, ...flags()]);

    expect(result.exitCode).toBe(1);
    expect(result.lines.join('\n')).toMatch(/完成: 入库 0，已存在未变 0，退回 2500/);
    const report = readFileSync(join(dir, 'broken.rejected.csv'), 'utf8').trim().split(/\r?\n/);
    expect(report).toHaveLength(2501);
    expect(report[2500]).toMatch(/,2501,.*多1列/);
    expect(await stored()).toBe(before);
  });

  it('refuses a report path that would overwrite the file being imported', async () => {
    const file = join(dir, 'penalties.csv');
    const result = await runCapture(['disclosures', 'import', file, ...flags(), '--report', file]);
    expect(result.exitCode).toBe(2);
    expect(result.lines.join('\n')).toMatch(/--report/);
  });

  it('refuses a report in a folder that cannot be written before sending anything', async () => {
    const before = await stored();
    const result = await runCapture(['disclosures', 'import', SAMPLE, ...flags(), '--report', join(dir, 'no-such-folder', 'r.csv'), '--request-prefix', 'no-report']);
    expect(result.exitCode).toBe(2);
    expect(result.lines.join('\n')).toMatch(/无法在 .*no-such-folder 写入退回行报告/);
    expect(await stored()).toBe(before);
  });

  it('says so when the file does not exist', async () => {
    const result = await runCapture(['disclosures', 'import', join(dir, 'missing.csv'), ...flags()]);
    expect(result.exitCode).toBe(1);
    expect(result.lines.join('\n')).toMatch(/无法导入 .*missing\.csv: 找不到文件/);
  });

  it('asks for the catalog item when it is missing', async () => {
    const result = await runCapture(['disclosures', 'import', SAMPLE, '--disclosures', t.address]);
    expect(result.exitCode).toBe(2);
    expect(result.lines.join('\n')).toMatch(/--item/);
  });
});
