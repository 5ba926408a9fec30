import { parseArgs } from 'node:util';
import { verifyAuditCommand } from './audit.js';
import { checkCodesCommand } from './codes.js';
import { connectionFrom } from './connection.js';
import { importDisclosuresCommand } from './disclosures.js';
import { getEntityCommand, registerEntityCommand, searchEntitiesCommand } from './entities.js';
import { tailCommand } from './events.js';

export const USAGE = `用法 (usage): credit <command>

  codes check <code>...                      校验统一社会信用代码、组织机构代码、注册号、身份证号
  entities register --name N --uscc C [--kind legal_person|other_organization|individual_business]
                    [--registration-number R] [--legal-representative P] [--established-on YYYY-MM-DD] [--request-id ID]
  entities get <code>                        按统一社会信用代码 / 组织机构代码 / 注册号查询
  entities search <name> [--page-size 20] [--pages 1]
  events tail <subject> [--from-start] [--limit N] [--prefix P]   e.g. credit events tail 'credit.registry.v1.>'
  audit verify --database-url URL            校验服务数据库的审计哈希链 (DATABASE_URL)
  disclosures import FILE --item CODE [--report PATH] [--request-prefix P]
                                             导入双公示 CSV/XLSX 文件（中文表头或 XK_/CF_ 字段名），退回行写入报告

  --registry HOST:PORT (CREDIT_REGISTRY, default 127.0.0.1:50052)   --nats URL (NATS_URL)
  --disclosures HOST:PORT (CREDIT_DISCLOSURES, default 127.0.0.1:50053)
  --token T (CREDIT_TOKEN, default .data/dev-token from npm start)`;

const OPTIONS = {
  registry: { type: 'string' },
  disclosures: { type: 'string' },
  item: { type: 'string' },
  report: { type: 'string' },
  'request-prefix': { type: 'string' },
  nats: { type: 'string' },
  token: { type: 'string' },
  prefix: { type: 'string' },
  uscc: { type: 'string' },
  name: { type: 'string' },
  kind: { type: 'string' },
  'registration-number': { type: 'string' },
  'legal-representative': { type: 'string' },
  'established-on': { type: 'string' },
  'request-id': { type: 'string' },
  'page-size': { type: 'string' },
  pages: { type: 'string' },
  'from-start': { type: 'boolean' },
  limit: { type: 'string' },
  'database-url': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

function positiveInt(value: string | undefined, fallback: number): number {
  const n = value === undefined ? fallback : Number(value);
  return Number.isInteger(n) && n > 0 ? n : fallback;
}

/** Runs one command line; returns the exit code. */
export async function runCli(argv: string[], out: (line: string) => void = console.log, signal?: AbortSignal): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
  } catch (err) {
    out(`${(err as Error).message}\n\n${USAGE}`);
    return 2;
  }
  const { values: v, positionals } = parsed;
  const [group, command, ...rest] = positionals;
  const conn = connectionFrom(v);
  if (v.help || !group) {
    out(USAGE);
    return v.help ? 0 : 2;
  }
  switch (`${group} ${command ?? ''}`) {
    case 'codes check':
      return checkCodesCommand(rest, out);
    case 'entities register':
      return registerEntityCommand(
        conn,
        {
          uscc: v.uscc,
          name: v.name,
          kind: v.kind,
          registrationNumber: v['registration-number'],
          legalRepresentative: v['legal-representative'],
          establishedOn: v['established-on'],
          requestId: v['request-id'],
        },
        out,
      );
    case 'entities get':
      if (rest.length !== 1) break;
      return getEntityCommand(conn, rest[0]!, out);
    case 'entities search':
      if (rest.length !== 1) break;
      return searchEntitiesCommand(conn, rest[0]!, positiveInt(v['page-size'], 20), positiveInt(v.pages, 1), out);
    case 'events tail':
      if (rest.length !== 1) break;
      return tailCommand(
        conn,
        rest[0]!,
        { fromStart: v['from-start'] ?? false, limit: v.limit === undefined ? undefined : positiveInt(v.limit, 1), prefix: v.prefix },
        out,
        signal,
      );
    case 'disclosures import':
      if (rest.length !== 1) break;
      return importDisclosuresCommand(
        conn,
        rest[0]!,
        { item: v.item, report: v.report, requestPrefix: v['request-prefix'], tty: process.stdout.isTTY === true, signal },
        out,
      );
    case 'audit verify':
      if (rest.length !== 0) break;
      return verifyAuditCommand(v['database-url'] ?? process.env.DATABASE_URL, out);
  }
  out(USAGE);
  return 2;
}
