import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { USAGE } from '../src/cli.js';
import { registrationNumber, startTestRegistry, uscc, type TestRegistry } from '../../../services/registry/test/harness.js';
import { connectionFlags, runCapture, type CliResult } from './cli-run.js';

let registry: TestRegistry;
const credit = (...argv: string[]): Promise<CliResult> => runCapture([...argv, ...connectionFlags(registry)]);

/** The organisation code inside a USCC (characters 9 to 17). */
const organizationCodeOf = (code: string) => code.slice(8, 17);

beforeAll(async () => {
  registry = await startTestRegistry();
});

afterAll(async () => {
  await registry?.stop();
});

describe('credit entities register', () => {
  it('registers a legal person and prints its stored record', async () => {
    const code = uscc(1);
    const result = await credit(
      'entities', 'register', '--name', '拉萨雪域测试商贸有限公司1', '--uscc', code,
      '--legal-representative', '扎西', '--established-on', '2018-03-01',
    );
    expect(result).toEqual({
      exitCode: 0,
      lines: [
        '已登记 (registered):',
        `${code}  拉萨雪域测试商贸有限公司1`,
        `  类型 ENTITY_KIND_LEGAL_PERSON  行政区划 540102  组织机构代码 ${organizationCodeOf(code)}  注册号 -`,
        '  法定代表人 扎西  成立日期 2018-03-01  报送部门 amr  版本 1',
      ],
    });
  });

  it('says already registered when the same entity is sent again, and refuses different details for its code', async () => {
    const args = ['entities', 'register', '--name', '拉萨雪域测试商贸有限公司2', '--uscc', uscc(2)];
    expect((await credit(...args)).lines[0]).toBe('已登记 (registered):');
    const again = await credit(...args);
    expect(again.exitCode).toBe(0);
    expect(again.lines.slice(0, 2)).toEqual(['已存在，信息相同 (already registered):', `${uscc(2)}  拉萨雪域测试商贸有限公司2`]);

    const other = await credit('entities', 'register', '--name', '拉萨雪域测试商贸有限公司二', '--uscc', uscc(2));
    expect(other.exitCode).toBe(1);
    expect(other.lines[0]).toMatch(/^错误 \(6\): /);
    expect(other.lines).toContainEqual(expect.stringMatching(/^ {2}uscc: DUPLICATE_CODE \S/));
  });

  it('prints the field and reason of a wrong check digit, exits 1 and registers nothing', async () => {
    const good = uscc(3);
    const bad = good.slice(0, 17) + (good.endsWith('0') ? '1' : '0');
    const result = await credit('entities', 'register', '--name', '拉萨雪域测试商贸有限公司3', '--uscc', bad);
    expect(result.exitCode).toBe(1);
    expect(result.lines[0]).toMatch(/^错误 \(3\): /);
    expect(result.lines).toContainEqual(expect.stringMatching(/^ {2}uscc: BAD_CHECK_DIGIT \S/));

    const lookup = await credit('entities', 'get', good);
    expect(lookup.exitCode).toBe(1);
    expect(lookup.lines[0]).toMatch(/^错误 \(5\): /);
  });

  it('rejects an unknown --kind with exit 2 before calling the registry', async () => {
    const result = await credit('entities', 'register', '--name', 'x', '--uscc', uscc(4), '--kind', 'partnership');
    expect(result).toEqual({ exitCode: 2, lines: ['--kind 应为 legal_person | other_organization | individual_business'] });
  });
});

describe('credit entities get', () => {
  const code = uscc(10);
  const regNo = registrationNumber(11);

  beforeAll(async () => {
    expect((await credit('entities', 'register', '--name', '拉萨雪域测试商贸有限公司10', '--uscc', code)).exitCode).toBe(0);
    const shop = await credit(
      'entities', 'register', '--kind', 'individual_business', '--name', '拉萨市城关区测试甜茶馆11',
      '--registration-number', regNo, '--legal-representative', '卓玛',
    );
    expect(shop.exitCode).toBe(0);
  });

  it('finds an entity by its USCC', async () => {
    const result = await credit('entities', 'get', code);
    expect(result.exitCode).toBe(0);
    expect(result.lines[0]).toBe(`${code}  拉萨雪域测试商贸有限公司10`);
  });

  it('finds the same entity by its organisation code written with a dash', async () => {
    const orgCode = organizationCodeOf(code);
    const result = await credit('entities', 'get', `${orgCode.slice(0, 8)}-${orgCode.slice(8)}`);
    expect(result.exitCode).toBe(0);
    expect(result.lines[0]).toBe(`${code}  拉萨雪域测试商贸有限公司10`);
    expect(result.lines[1]).toContain(`组织机构代码 ${orgCode}`);
  });

  it('finds an individual business without a USCC by its 15-digit registration number', async () => {
    const result = await credit('entities', 'get', regNo);
    expect(result.exitCode).toBe(0);
    expect(result.lines[0]).toBe('(无统一社会信用代码)  拉萨市城关区测试甜茶馆11');
    expect(result.lines[1]).toMatch(new RegExp(`^ {2}类型 ENTITY_KIND_INDIVIDUAL_BUSINESS .*注册号 ${regNo}$`));
    expect(result.lines[2]).toContain('法定代表人 卓玛');
  });

  it('prints the not-found error and exits 1 for a valid code nobody registered', async () => {
    const result = await credit('entities', 'get', uscc(19));
    expect(result.exitCode).toBe(1);
    expect(result.lines[0]).toMatch(/^错误 \(5\): /);
  });
});

describe('credit entities search', () => {
  // Names sort by their trailing digit, and the registry pages by (name, id).
  const names = [1, 2, 3, 4, 5].map((i) => `珠峰青稞测试酒业有限公司${i}`);

  beforeAll(async () => {
    for (const [i, name] of names.entries()) {
      expect((await credit('entities', 'register', '--name', name, '--uscc', uscc(20 + i))).exitCode).toBe(0);
    }
  });

  const headlines = (r: CliResult) => r.lines.filter((l) => !l.startsWith('  ') && !l.startsWith('共显示'));

  it('shows as many pages as --pages asks for and says that more remain', async () => {
    const result = await credit('entities', 'search', '青稞测试酒业', '--page-size', '2', '--pages', '2');
    expect(result.exitCode).toBe(0);
    expect(headlines(result)).toEqual(names.slice(0, 4).map((n, i) => `${uscc(20 + i)}  ${n}`));
    expect(result.lines.at(-1)).toBe('共显示 4 个主体（还有更多，使用 --pages 查看）');
  });

  it('stops at the last page when --pages asks for more than there are', async () => {
    const result = await credit('entities', 'search', '青稞测试酒业', '--page-size', '2', '--pages', '10');
    expect(result.exitCode).toBe(0);
    expect(headlines(result)).toEqual(names.map((n, i) => `${uscc(20 + i)}  ${n}`));
    expect(result.lines.at(-1)).toBe('共显示 5 个主体');
  });

  it('prints zero found for a name no entity has', async () => {
    expect(await credit('entities', 'search', '冈仁波齐')).toEqual({ exitCode: 0, lines: ['共显示 0 个主体'] });
  });
});

describe('credit usage', () => {
  it('prints the usage and exits 2 for an unknown command', async () => {
    expect(await credit('entities', 'delete', uscc(1))).toEqual({ exitCode: 2, lines: USAGE.split('\n') });
    expect(await credit('frobnicate')).toEqual({ exitCode: 2, lines: USAGE.split('\n') });
  });

  it('prints the parse error before the usage and exits 2 for an unknown flag', async () => {
    const result = await credit('entities', 'get', uscc(1), '--colour');
    expect(result.exitCode).toBe(2);
    expect(result.lines[0]).toContain("'--colour'");
    expect(result.lines.slice(-USAGE.split('\n').length)).toEqual(USAGE.split('\n'));
  });
});
