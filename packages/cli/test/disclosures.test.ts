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
  amrOfficer,
  penaltyFields,
  startTestDisclosures,
  type TestDisclosures,
} from '../../../services/disclosures/test/harness.js';
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
    expect(result.lines.join('\n')).toMatch(/XLSX，行政许可/);
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
    expect(result.lines.some((l) => /^已处理 \d+ 行 \d+%，\d+ 行\/秒/.test(l))).toBe(true);
    expect(result.lines.join('\n')).toMatch(/入库 5000/);
  });

  it('asks for the catalog item when it is missing', async () => {
    const result = await runCapture(['disclosures', 'import', SAMPLE, '--disclosures', t.address]);
    expect(result.exitCode).toBe(2);
    expect(result.lines.join('\n')).toMatch(/--item/);
  });
});
