import { randomUUID } from 'node:crypto';
import type * as grpc from '@grpc/grpc-js';
import { DisclosureServiceClient, type SubmitRecordResponse } from '@credit/contracts/credit/disclosures/v1/disclosures.js';
import { callUnary, createClient } from '@credit/platform';
import { composeUscc } from '@credit/standards';
import { demoUscc } from './registry-demo.js';

// 西藏自治区市场监督管理局 as the deciding authority: a state organ (type 11) of the region.
const AUTHORITY = composeUscc('11', '540000', '01570005');
const AUTHORITY_NAME = '西藏自治区市场监督管理局';

// Decisions on fixed days, so a second start submits exactly the same records (and stores nothing new).
const PENALTIES = [
  { n: 1, name: '拉萨市城关区雪域餐饮有限公司', division: '540102', on: '2026-03-16', facts: '后厨未按规定落实食品安全管理制度，使用超过保质期的食品原料', category: '罚款', fine: '1.5', severity: '一般' },
  { n: 3, name: '拉萨堆龙德庆区高原建材有限责任公司', division: '540103', on: '2026-05-11', facts: '生产销售不符合国家标准的建筑用钢筋', category: '罚款;没收违法所得', fine: '12', severity: '严重' },
  { n: 4, name: '日喀则市桑珠孜区青稞食品有限公司', division: '540202', on: '2026-09-21', facts: '预包装食品标签未标注生产日期', category: '警告', fine: '', severity: '轻微' },
];
const LICENCES = [
  { n: 2, name: '西藏圣地旅游开发有限公司', division: '540102', on: '2026-04-07', certificate: '旅行社业务经营许可证', content: '经营境内旅游业务和入境旅游业务' },
  { n: 5, name: '昌都市卡若区三江运输有限公司', division: '540302', on: '2026-10-13', certificate: '道路运输经营许可证', content: '普通货物道路运输' },
];

/** Reports a few penalties and licences of the demo entities as the market regulator; returns how many are new. */
export async function seedDisclosures(address: string, token: string): Promise<number> {
  const client = createClient(DisclosureServiceClient, address, { token, deadlineMs: 30_000 }) as unknown as grpc.Client;
  try {
    let created = 0;
    const submit = async (itemCode: string, fields: Record<string, string>) => {
      // A fresh request id: a record already stored by an earlier start is then answered as not created.
      const res = await callUnary<unknown, SubmitRecordResponse>(client, 'submitRecord', { requestId: randomUUID(), itemCode, fields });
      if (res.created) created++;
    };
    for (const p of PENALTIES) {
      const wsh = `藏市监罚〔2026〕${p.n}号`;
      await submit('AMR-CF-001', {
        CF_XDR_MC: p.name,
        CF_XDR_LB: '法人及非法人组织',
        CF_XDR_SHXYM: demoUscc('91', p.division, p.n),
        CF_WSH: wsh,
        CF_WFXW: p.facts.slice(0, 20),
        CF_SY: p.facts,
        CF_YJ: '《中华人民共和国行政处罚法》及相关法律法规',
        CF_CFLB: p.category,
        CF_NR: p.fine ? `罚款人民币${p.fine}万元` : '给予警告',
        ...(p.fine ? { CF_NR_FK: p.fine } : {}),
        CF_JDRQ: p.on,
        CF_CFJG: AUTHORITY_NAME,
        CF_CFJGDM: AUTHORITY,
        CF_SJLY: AUTHORITY_NAME,
        CF_SJLYDM: AUTHORITY,
        CF_YZCD: p.severity,
      });
    }
    for (const l of LICENCES) {
      const wsh = `藏市监许〔2026〕${l.n}号`;
      await submit('AMR-XK-001', {
        XK_XDR_MC: l.name,
        XK_XDR_LB: '法人及非法人组织',
        XK_XDR_SHXYM: demoUscc('91', l.division, l.n),
        XK_XKWS: `${l.certificate}准予许可决定书`,
        XK_WSH: wsh,
        XK_XKLB: '普通',
        XK_XKZS: l.certificate,
        XK_NR: l.content,
        XK_JDRQ: l.on,
        XK_YXQZ: l.on,
        XK_XKJG: AUTHORITY_NAME,
        XK_XKJGDM: AUTHORITY,
        XK_LYDW: AUTHORITY_NAME,
        XK_LYDWDM: AUTHORITY,
      });
    }
    return created;
  } finally {
    client.close();
  }
}
