import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LICENCE_FIELDS, PENALTY_FIELDS, composeUscc } from '@credit/standards';
import { timeliness, validateRecord, type DisclosureRecord } from '../domain/index.js';
import { recordDraft } from './record-draft.js';

const uscc = (body: string, type: string, division: string) => composeUscc(type, division, body);

const COMPANY = uscc('MA000001', '91', '540102');
/** 拉萨市市场监督管理局: a state organ of a prefecture. */
const LHASA_AUTHORITY = uscc('23456789', '11', '540100');

function penalty(decidedOn: string, overrides: Record<string, string> = {}): DisclosureRecord {
  const checked = validateRecord(
    {
      kind: 'penalty',
      fields: {
        CF_XDR_MC: '拉萨市城关区雪域测试商贸有限公司',
        CF_XDR_LB: '法人及非法人组织',
        CF_XDR_SHXYM: COMPANY,
        CF_WSH: '拉市监罚〔2026〕1号',
        CF_WFXW: '销售不合格商品',
        CF_SY: '经抽检，当事人销售的酥油茶粉菌落总数不符合食品安全标准',
        CF_YJ: '《中华人民共和国食品安全法》第一百二十四条',
        CF_CFLB: '罚款',
        CF_NR: '罚款人民币2万元',
        CF_NR_FK: '2',
        CF_JDRQ: decidedOn,
        CF_CFJG: '拉萨市市场监督管理局',
        CF_CFJGDM: LHASA_AUTHORITY,
        CF_SJLY: '拉萨市市场监督管理局',
        CF_SJLYDM: LHASA_AUTHORITY,
        ...overrides,
      },
    },
    PENALTY_FIELDS,
    '2026-12-31',
  );
  if (!checked.ok) throw new Error(JSON.stringify(checked.violations));
  return checked.record;
}

function licence(decidedOn: string): DisclosureRecord {
  const checked = validateRecord(
    {
      kind: 'licence',
      fields: {
        XK_XDR_MC: '拉萨市城关区雪域测试商贸有限公司',
        XK_XDR_LB: '法人及非法人组织',
        XK_XDR_SHXYM: COMPANY,
        XK_XKWS: '食品经营许可决定书',
        XK_WSH: '拉市监许〔2026〕1号',
        XK_XKLB: '普通',
        XK_XKZS: '食品经营许可证',
        XK_XKBH: 'JY15401020000001',
        XK_NR: '预包装食品销售',
        XK_JDRQ: decidedOn,
        XK_YXQZ: decidedOn,
        XK_YXQZI: '2031-06-14',
        XK_XKJG: '拉萨市市场监督管理局',
        XK_XKJGDM: LHASA_AUTHORITY,
        XK_LYDW: '拉萨市市场监督管理局',
        XK_LYDWDM: LHASA_AUTHORITY,
      },
    },
    LICENCE_FIELDS,
    '2026-12-31',
  );
  if (!checked.ok) throw new Error(JSON.stringify(checked.violations));
  return checked.record;
}

const publicItem = { code: 'AMR-CF-001', name: '行政处罚信息', disclosure: 'public' as const };
const RECEIVED = new Date('2026-06-15T02:00:00Z');

describe('recordDraft', () => {
  it('counts the record under the division of the deciding authority, not of the counterparty', () => {
    const draft = recordDraft(penalty('2026-06-10'), publicItem, 3, 'amr', RECEIVED, '2026-06-15');
    expect(draft).toMatchObject({ divisionCode: '540100', counterpartyCode: COMPANY, department: 'amr', catalogVersion: 3, itemCode: 'AMR-CF-001' });
  });

  it('gives a general penalty under the 2026 rule 3 months to 1 year of publicity', () => {
    const draft = recordDraft(penalty('2026-06-10'), publicItem, 1, 'amr', RECEIVED, '2026-06-15');
    expect(draft).toMatchObject({ state: 'public', repairPossibleFrom: '2026-09-10', publicityEndsOn: '2027-06-10', workingDays: 3, late: false });
  });

  it('keeps a minor penalty off display, without a publicity period', () => {
    const draft = recordDraft(penalty('2026-06-10', { CF_YZCD: '轻微' }), publicItem, 1, 'amr', RECEIVED, '2026-06-15');
    expect(draft).toMatchObject({ state: 'not_public', repairPossibleFrom: null, publicityEndsOn: null });
  });

  it('keeps every record of an item not marked public off display', () => {
    const draft = recordDraft(penalty('2026-06-10'), { ...publicItem, disclosure: 'conditional' }, 1, 'amr', RECEIVED, '2026-06-15');
    expect(draft.state).toBe('not_public');
  });

  it('gives a special-equipment penalty under the 2023 rule a minimum of one year', () => {
    const item = { ...publicItem, name: '对特种设备使用单位的行政处罚' };
    const draft = recordDraft(penalty('2025-01-10'), item, 1, 'amr', RECEIVED, '2026-06-15');
    expect(draft).toMatchObject({ repairPossibleFrom: '2026-01-10', publicityEndsOn: '2028-01-10' });
  });

  it('gives a licence no publicity period', () => {
    const draft = recordDraft(licence('2026-06-10'), { ...publicItem, code: 'AMR-XK-001', name: '行政许可信息' }, 1, 'amr', RECEIVED, '2026-06-15');
    expect(draft).toMatchObject({ kind: 'licence', state: 'public', repairPossibleFrom: null, publicityEndsOn: null, divisionCode: '540100' });
  });

  it('derives the same timeliness as the domain rule, whatever decisions came before (the memo never mixes inputs)', () => {
    const day = fc.integer({ min: 0, max: 700 }).map((d) => new Date(Date.UTC(2025, 0, 1) + d * 86_400_000).toISOString().slice(0, 10));
    fc.assert(
      fc.property(fc.array(fc.tuple(day, day), { minLength: 1, maxLength: 20 }), (pairs) => {
        for (const [a, b] of pairs) {
          const [decided, received] = a <= b ? [a, b] : [b, a];
          const draft = recordDraft(penalty(decided), publicItem, 1, 'amr', RECEIVED, received);
          const expected = timeliness(decided, received);
          expect([draft.workingDays, draft.late]).toEqual([expected.workingDays, expected.late]);
        }
      }),
      { numRuns: 50 },
    );
  });
});
