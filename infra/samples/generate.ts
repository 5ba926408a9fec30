// Writes the sample files of this folder: a penalty CSV and a licence XLSX with a known mix of good and bad rows
// (see README.md). Deterministic; run it again after changing the rows, from the repository root:
//   npx tsx --tsconfig tsconfig.base.json --conditions=@credit/source infra/samples/generate.ts
import { writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkUscc, composeUscc, residentIdCheckCharacter } from '@credit/standards';
import { XlsxWriter, type XlsxCell } from '../../services/disclosures/src/files/index.js';

const here = dirname(fileURLToPath(import.meta.url));

/** A USCC with correct check characters: registration authority+type, division, 8-character organisation code body. */
function uscc(prefix: '91' | '92' | '93' | '11' | '12', division: string, body: string): string {
  const code = composeUscc(prefix, division, body);
  if (!checkUscc(code).valid) throw new Error(`generated USCC ${code} does not validate`);
  return code;
}

function residentId(first17: string): string {
  return first17 + residentIdCheckCharacter(first17);
}

/** The same code with a wrong check character. */
function wrongCheck(code: string): string {
  const last = code.charAt(17);
  return code.slice(0, 17) + (last === '1' ? '2' : '1');
}

const AUTHORITY = {
  regionSamr: { name: '西藏自治区市场监督管理局', code: uscc('11', '540000', 'MB000012') },
  chengguanSamr: { name: '拉萨市城关区市场监督管理局', code: uscc('11', '540102', 'MB000035') },
  lhasaEcology: { name: '拉萨市生态环境局', code: uscc('11', '540100', 'MB000047') },
  regionTax: { name: '国家税务总局西藏自治区税务局', code: uscc('11', '540000', 'MB000101') },
  lhasaHealth: { name: '拉萨市卫生健康委员会', code: uscc('11', '540100', 'MB000063') },
};

const COMPANIES = [
  { name: '拉萨市城关区雪域商贸有限公司', code: uscc('91', '540102', 'MA6T0A1B'), boss: '扎西次仁' },
  { name: '拉萨市城关区布达拉餐饮管理有限公司', code: uscc('91', '540102', 'MA6T0C2D'), boss: '次仁卓玛' },
  { name: '西藏圣域建筑工程有限公司', code: uscc('91', '540100', 'MA6T0E3F'), boss: '王建国' },
  { name: '拉萨市堆龙德庆区格桑农牧民专业合作社', code: uscc('93', '540103', 'MA6T0G4H'), boss: '格桑' },
  { name: '拉萨市达孜区高原净土饮用水有限公司', code: uscc('91', '540104', 'MA6T0J5K'), boss: '索朗旺堆' },
  { name: '拉萨市城关区八廓街唐卡艺术品店', code: uscc('92', '540102', 'MA6T0L6M'), boss: '平措' },
  { name: '林周县雅鲁藏布农业开发有限公司', code: uscc('91', '540121', 'MA6T0N7P'), boss: '李明' },
  { name: '拉萨市城关区吉祥药房有限公司', code: uscc('91', '540102', 'MA6T0Q8R'), boss: '德吉' },
];

function company(i: number): (typeof COMPANIES)[number] {
  return COMPANIES[i % COMPANIES.length] as (typeof COMPANIES)[number];
}

// ---- penalties (CSV, Chinese headers) ----

const PENALTY_HEADERS = [
  '行政处罚决定书文号', '行政相对人名称', '行政相对人类别', '统一社会信用代码', '法定代表人', '证件类型', '证件号码', '违法行为类型', '违法事实',
  '处罚依据', '处罚类别', '处罚内容', '罚款金额（万元）', '处罚决定日期', '处罚机关', '处罚机关统一社会信用代码', '数据来源单位',
  '数据来源单位统一社会信用代码', '违法行为严重程度', '备注',
];

interface Penalty {
  wsh: string; name: string; category: string; uscc: string; boss: string; idType: string; idNumber: string; type: string; facts: string;
  basis: string; penaltyCategory: string; content: string; fine: string; date: string; authority: { name: string; code: string };
  severity: string; remark: string;
}

function penalty(i: number, overrides: Partial<Penalty> = {}): Penalty {
  const c = company(i);
  const authority = i % 3 === 0 ? AUTHORITY.lhasaEcology : AUTHORITY.chengguanSamr;
  const month = String((i % 9) + 1).padStart(2, '0');
  return {
    wsh: authority === AUTHORITY.lhasaEcology ? `拉环罚〔2025〕${i}号` : `城市监罚〔2025〕${i}号`,
    name: c.name, category: '法人及非法人组织', uscc: c.code, boss: c.boss, idType: '', idNumber: '',
    type: authority === AUTHORITY.lhasaEcology ? '超标排放大气污染物' : '未按规定公示年度报告',
    facts: authority === AUTHORITY.lhasaEcology
      ? '经现场检查，当事人锅炉废气颗粒物排放浓度超过国家规定的排放标准，违反了《中华人民共和国大气污染防治法》第十八条的规定。'
      : '经查，当事人未在规定期限内报送并公示2024年度年度报告，违反了《企业信息公示暂行条例》第八条的规定。',
    basis: authority === AUTHORITY.lhasaEcology ? '《中华人民共和国大气污染防治法》第九十九条' : '《企业信息公示暂行条例》第十七条',
    penaltyCategory: i % 4 === 0 ? '警告；罚款' : '罚款',
    content: `罚款人民币${(i % 5) + 1}000元整`, fine: String(((i % 5) + 1) / 10), date: `2025-${month}-1${i % 10}`,
    authority, severity: i % 7 === 0 ? '严重' : '一般', remark: '', ...overrides,
  };
}

const penalties: { row: Penalty; note: string; extraCell?: string }[] = [];
for (let i = 1; i <= 20; i++) penalties.push({ row: penalty(i), note: 'good' });
penalties.push({ row: penalty(21, { category: '自然人', name: '张某', uscc: '', boss: '', idType: '身份证', idNumber: residentId('54010219850315201') }), note: 'good: natural person' });
penalties.push({ row: penalty(22, { uscc: wrongCheck(company(22).code) }), note: 'bad: USCC check character wrong' });
penalties.push({ row: penalty(23, { uscc: residentId('54010219900101123') }), note: 'bad: resident ID number in the USCC column of a company' });
penalties.push({ row: penalty(24, { date: '2099-06-30' }), note: 'bad: decision date in the future' });
penalties.push({ row: penalty(25, { fine: '-0.5' }), note: 'bad: negative fine' });
penalties.push({ row: penalty(26, { penaltyCategory: '罚没款' }), note: 'bad: unknown penalty category' });
penalties.push({ row: penalty(27, { facts: '' }), note: 'bad: required 违法事实 empty' });
penalties.push({ row: penalty(28), note: 'bad: one cell more than the header', extraCell: '多余的一列' });
penalties.push({ row: penalty(29, { name: '=HYPERLINK("http://example.invalid/x","拉萨市城关区雪域商贸有限公司")' }), note: 'bad: formula injection in the name' });
penalties.push({ row: penalty(30, { authority: { name: AUTHORITY.regionSamr.name, code: AUTHORITY.regionSamr.code }, penaltyCategory: '吊销许可证件', severity: '严重', fine: '', content: '吊销食品经营许可证' }), note: 'good: licence revoked by the regional authority' });

function penaltyCells(p: Penalty): string[] {
  return [p.wsh, p.name, p.category, p.uscc, p.boss, p.idType, p.idNumber, p.type, p.facts, p.basis, p.penaltyCategory, p.content, p.fine,
    p.date, p.authority.name, p.authority.code, AUTHORITY.regionSamr.name, AUTHORITY.regionSamr.code, p.severity, p.remark];
}

function csvLine(cells: readonly string[]): string {
  return cells.map((c) => (/[",\r\n]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c)).join(',');
}

const csv = [csvLine(PENALTY_HEADERS), ...penalties.map((p) => csvLine(p.extraCell ? [...penaltyCells(p.row), p.extraCell] : penaltyCells(p.row)))];
await writeFile(join(here, 'penalties-sample.csv'), `\uFEFF${csv.join('\r\n')}\r\n`);

// ---- licences (XLSX, field-code headers, real date cells) ----

const LICENCE_HEADERS = [
  'XK_XDR_MC', 'XK_XDR_LB', 'XK_XDR_SHXYM', 'XK_FRDB', 'XK_XKWS', 'XK_WSH', 'XK_XKLB', 'XK_XKZS', 'XK_XKBH', 'XK_NR', 'XK_JDRQ', 'XK_YXQZ',
  'XK_YXQZI', 'XK_XKJG', 'XK_XKJGDM', 'XK_ZT', 'XK_LYDW', 'XK_LYDWDM',
];

function licence(i: number, overrides: Record<number, XlsxCell> = {}): XlsxCell[] {
  const c = company(i);
  const food = i % 2 === 0;
  const authority = food ? AUTHORITY.chengguanSamr : AUTHORITY.lhasaHealth;
  const month = String((i % 9) + 1).padStart(2, '0');
  const cells: XlsxCell[] = [
    c.name, '法人及非法人组织', c.code, c.boss, food ? '食品经营许可决定书' : '公共场所卫生许可决定书',
    food ? `城市监食许〔2025〕${i}号` : `拉卫公许〔2025〕${i}号`, food ? '普通' : '认可', food ? '食品经营许可证' : '公共场所卫生许可证',
    food ? `JY254010200${String(i).padStart(4, '0')}` : `藏卫公证字〔2025〕第${i}号`, food ? '预包装食品（含冷藏冷冻食品）销售；热食类食品制售' : '住宿业',
    { date: `2025-${month}-0${(i % 9) + 1}` }, { date: `2025-${month}-0${(i % 9) + 1}` }, { date: `2030-${month}-0${i % 9 + 1}` },
    authority.name, authority.code, '1', AUTHORITY.regionSamr.name, AUTHORITY.regionSamr.code,
  ];
  for (const [index, value] of Object.entries(overrides)) cells[Number(index)] = value;
  return cells;
}

const licences: { cells: XlsxCell[]; note: string }[] = [];
for (let i = 1; i <= 16; i++) licences.push({ cells: licence(i), note: 'good' });
licences.push({ cells: licence(17, { 2: wrongCheck(company(17).code) }), note: 'bad: USCC check character wrong' });
licences.push({ cells: licence(18, { 2: residentId('54010219880808452') }), note: 'bad: resident ID number in the USCC column of a company' });
licences.push({ cells: licence(19, { 10: { date: '2099-01-15' } }), note: 'bad: decision date in the future' });
licences.push({ cells: licence(20, { 6: '特别许可' }), note: 'bad: unknown licence category' });
licences.push({ cells: licence(21, { 9: '' }), note: 'bad: required 许可内容 empty' });
licences.push({ cells: [...licence(22), '', '多余的一列'], note: 'bad: a non-blank cell beyond the header' });
licences.push({ cells: licence(23, { 0: '=cmd|\' /C calc\'!A0' }), note: 'bad: formula injection in the name' });
licences.push({ cells: licence(24, { 15: 2 }), note: 'good: status 2 written as a number cell' });

const writer = XlsxWriter.create(join(here, 'licences-sample.xlsx'), '行政许可');
await writer.addRow(LICENCE_HEADERS);
for (const l of licences) await writer.addRow(l.cells);
await writer.close();

console.log(`penalties-sample.csv: ${penalties.length} rows (${penalties.filter((p) => p.note.startsWith('bad')).length} bad)`);
console.log(`licences-sample.xlsx: ${licences.length} rows (${licences.filter((l) => l.note.startsWith('bad')).length} bad)`);
