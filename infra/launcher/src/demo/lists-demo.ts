import * as grpc from '@grpc/grpc-js';
import {
  CaseKind,
  EntryState,
  ListsServiceClient,
  RemovalReason,
  type ListEntry,
  type ProposeEntryResponse,
} from '@credit/contracts/credit/lists/v1/lists.js';
import { publishDefaultLists } from '@credit/lists';
import { callUnary, createClient, signToken } from '@credit/platform';
import { demoUscc } from './registry-demo.js';

const TOKEN_TTL_SECONDS = 600;

// Demo entities the registry demo registers (numbered as there), each on the list its owner department keeps.
const ENTRIES = [
  {
    key: 'court-1',
    department: 'court',
    listType: 'court_judgment_debtor',
    entity: { n: 5, type: '91', division: '540302', name: '昌都市卡若区三江运输有限公司' },
    facts: '有履行能力而拒不履行生效判决确定的给付货款义务，涉案金额人民币86.4万元',
    decisionDocument: '（2026）藏0302执恢17号',
    decidedOn: '2026-06-18',
  },
  {
    key: 'court-2',
    department: 'court',
    listType: 'court_judgment_debtor',
    entity: { n: 9, type: '91', division: '542521', name: '阿里地区普兰县神山商贸有限公司' },
    facts: '未按执行通知履行生效调解书确定的付款义务，涉案金额人民币12.8万元',
    decisionDocument: '（2026）藏2521执58号',
    decidedOn: '2026-08-05',
  },
  {
    key: 'tax-1',
    department: 'tax',
    listType: 'major_tax_violation',
    entity: { n: 7, type: '91', division: '540502', name: '山南市乃东区雍布拉康文化传播有限公司' },
    facts: '虚开增值税普通发票32份，价税合计人民币214万元',
    decisionDocument: '藏税稽罚〔2026〕12号',
    decidedOn: '2026-07-22',
  },
  {
    key: 'safety-1',
    department: 'safety',
    listType: 'work_safety_blacklist',
    entity: { n: 3, type: '91', division: '540103', name: '拉萨堆龙德庆区高原建材有限责任公司' },
    facts: '生产车间发生较大生产安全责任事故，造成3人死亡',
    decisionDocument: '藏应急罚〔2026〕8号',
    decidedOn: '2026-05-29',
  },
  {
    key: 'env-1',
    department: 'env',
    listType: 'environment_blacklist',
    entity: { n: 6, type: '91', division: '540402', name: '林芝市巴宜区雅鲁藏布生态农业有限公司' },
    facts: '环境信用评价结果为环保不良企业',
    decisionDocument: '藏环信评〔2026〕3号',
    decidedOn: '2026-09-10',
  },
  {
    key: 'tax-red-1',
    department: 'tax',
    listType: 'tax_credit_grade_a',
    entity: { n: 2, type: '91', division: '540102', name: '西藏圣地旅游开发有限公司' },
    facts: '2025年度纳税信用评价为A级',
    decisionDocument: '藏税信评〔2026〕1号',
    decidedOn: '2026-04-20',
  },
] as const;

type DemoEntry = (typeof ENTRIES)[number];


export interface ListsDemoResult {
  listTypesDefined: number;
  measuresDefined: number;
  /** Entries this run proposed (0 on a second start). */
  proposed: number;
  /** Lines for the log. */
  lines: string[];
  /** A bidder on a black list that restricts government procurement, and whether that entry is in force yet. */
  blacklisted: { code: string; name: string; effective: boolean; noticeEndsAt?: Date };
}

/**
 * Defines the regional plan's list types and measures as the leading group office, then lets the owning departments
 * propose and notify a few entries, one objection and one withdrawal, a tax grade A and a case. Every request id
 * is fixed, so a second start replays the same requests and changes nothing.
 */
export async function seedLists(address: string, secret: string): Promise<ListsDemoResult> {
  const token = (department: string, role: 'department' | 'office') =>
    signToken({ department, role, subject: `demo-${department}` }, secret, { ttlSeconds: TOKEN_TTL_SECONDS });
  const defaults = await publishDefaultLists(address, { officeToken: token('ndrc', 'office') });

  const clients = new Map<string, grpc.Client>();
  const as = (department: string): grpc.Client => {
    let client = clients.get(department);
    if (!client) {
      client = createClient(ListsServiceClient, address, { token: token(department, 'department'), deadlineMs: 30_000 }) as unknown as grpc.Client;
      clients.set(department, client);
    }
    return client;
  };
  const lines: string[] = [];
  try {
    let proposed = 0;
    const entries = new Map<string, ListEntry>();
    for (const e of ENTRIES) {
      const res = await callUnary<unknown, ProposeEntryResponse>(as(e.department), 'proposeEntry', {
        requestId: `demo-lists:propose:${e.key}`,
        listType: e.listType,
        entityCode: demoUscc(e.entity.type, e.entity.division, e.entity.n),
        entityName: e.entity.name,
        facts: e.facts,
        decisionDocument: e.decisionDocument,
        legalBasis: '',
        decidedOn: e.decidedOn,
      });
      if (!res.replayed) proposed++;
      entries.set(e.key, res.entry!);
    }
    const change = async (e: DemoEntry, method: string, step: string, request: Record<string, unknown>) => {
      const res = await callUnary<unknown, { entry?: ListEntry }>(as(e.department), method, {
        requestId: `demo-lists:${step}:${e.key}`,
        entryId: entries.get(e.key)!.id,
        ...request,
      });
      entries.set(e.key, res.entry!);
    };
    const byKey = (key: DemoEntry['key']) => ENTRIES.find((e) => e.key === key)!;
    // 不予列入: the environment authority withdraws its proposal before telling the subject.
    await change(byKey('env-1'), 'removeEntry', 'withdraw', {
      reason: RemovalReason.REMOVAL_REASON_WITHDRAWN,
      explanation: '经复核，该企业已完成整改并通过环境信用复评，不予列入',
    });
    for (const e of ENTRIES.filter((x) => x.key !== 'env-1')) {
      await change(e, 'notifySubject', 'notify', { reason: `依据${e.decisionDocument}，拟将你单位列入名单，请于告知期内提出异议` });
    }
    // 异议: the court enters the subject's objection on its behalf.
    await change(byKey('court-2'), 'fileObjection', 'objection', {
      applicant: byKey('court-2').entity.name,
      grounds: '已于2026年8月20日履行完毕全部付款义务，并已提交法院出具的结案证明，申请不予列入',
    });

    lines.push(
      `演示数据: 名单类型 ${defaults.listTypesDefined} 个、联合奖惩措施 ${defaults.measuresDefined} 项为本次新定义；新提出列入 ${proposed} 条`,
    );
    for (const e of ENTRIES) {
      const entry = entries.get(e.key)!;
      lines.push(`  ${e.entity.name.padEnd(22, '　')} ${e.listType.padEnd(22)} ${STATE_ZH[entry.state] ?? entry.state}`);
    }
    lines.push(await optional(() => callUnary(as('tax'), 'setRating', {
      requestId: 'demo-lists:rating:tax-a',
      entityCode: demoUscc('91', '540102', 2),
      sector: 'tax',
      grade: 'A',
    }), '演示数据: 西藏圣地旅游开发有限公司 纳税信用等级 A', '纳税信用等级'));
    lines.push(await optional(() => callUnary(as('tax'), 'reportCase', {
      requestId: 'demo-lists:case:tax-red-1',
      kind: CaseKind.CASE_KIND_REWARD,
      title: '纳税信用A级企业享受登记注册绿色通道',
      summary: '西藏圣地旅游开发有限公司为纳税信用A级纳税人，办理变更登记时享受容缺受理，当日办结',
      entityCode: demoUscc('91', '540102', 2),
      entryId: entries.get('tax-red-1')!.id,
      occurredOn: '2026-10-15',
    }), '演示数据: 已报送联合奖惩案例 1 件', '联合奖惩案例'));
    const court = entries.get('court-1')!;
    const blacklisted = {
      code: court.entityCode,
      name: court.entityName,
      effective: court.state === EntryState.ENTRY_STATE_EFFECTIVE,
      ...(court.noticeEndsAt ? { noticeEndsAt: court.noticeEndsAt } : {}),
    };
    return { ...defaults, proposed, lines, blacklisted };
  } finally {
    for (const client of clients.values()) client.close();
  }
}

const STATE_ZH: Partial<Record<EntryState, string>> = {
  [EntryState.ENTRY_STATE_PROPOSED]: '拟列入',
  [EntryState.ENTRY_STATE_NOTIFIED]: '已告知（告知期内）',
  [EntryState.ENTRY_STATE_EFFECTIVE]: '已生效',
  [EntryState.ENTRY_STATE_OBJECTED]: '异议处理中',
  [EntryState.ENTRY_STATE_REMOVED]: '已移出',
};

/** Ratings and cases come with a later part of the lists service; until then the demo says so and goes on. */
async function optional(call: () => Promise<unknown>, done: string, what: string): Promise<string> {
  try {
    await call();
    return done;
  } catch (err) {
    if ((err as { code?: number }).code === grpc.status.UNIMPLEMENTED) return `演示数据: ${what}接口尚未启用，跳过`;
    throw err;
  }
}
