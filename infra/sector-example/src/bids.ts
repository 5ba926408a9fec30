// 投标: before a bid is accepted, the platform's credit check and the system's own debarments must both allow it.
import type pg from 'pg';
import { isSectorError, type CreditCheckResult, type SectorClient } from '@credit/sector-sdk';
import { ACTIVITY } from './apply-measure.js';
import { debarmentsInForce } from './debarments.js';

export interface BidRequest {
  entityCode: string;
  tender: string;
}

export type BidOutcome =
  | { status: 201; body: { accepted: true; bidId: string; checkId: string } }
  | { status: 403; body: { accepted: false; bidId: string; reason: string; reasons: string[] } }
  | { status: 400; body: { error: string; violations: { field: string; message: string }[] } }
  | { status: 503; body: { error: string } };

// 18 characters of the unified social credit code alphabet (no I, O, Z, S, V). The check digit is the registry's
// business; a wrong code simply finds no list entry.
const USCC = /^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$/;

export function validateBid(input: unknown): BidRequest | { field: string; message: string }[] {
  const body = (typeof input === 'object' && input !== null ? input : {}) as Record<string, unknown>;
  const violations: { field: string; message: string }[] = [];
  if (typeof body.entityCode !== 'string' || !USCC.test(body.entityCode)) {
    violations.push({ field: 'entityCode', message: '统一社会信用代码须为18位（数字或大写字母，不含I、O、Z、S、V）' });
  }
  if (typeof body.tender !== 'string' || body.tender.trim() === '' || body.tender.length > 200) {
    violations.push({ field: 'tender', message: '招标项目编号必填，且不超过200个字符' });
  }
  return violations.length > 0 ? violations : { entityCode: body.entityCode as string, tender: (body.tender as string).trim() };
}

function platformReasons(check: CreditCheckResult): string[] {
  return check.measures
    .filter((m) => m.measure.kind === 'punishment')
    .flatMap((m) =>
      m.causes.map((c) => {
        // The listing's own basis (认定依据) and the measure's (惩戒依据) are different laws; an officer needs both.
        const listed = c.entry
          ? `被列入「${c.listTypeName || c.entry.listType}」（认定文书：${c.entry.decisionDocument}${c.legalBasis ? `，认定依据：${c.legalBasis}` : ''}）`
          : `信用等级为${c.rating?.grade ?? ''}（${c.rating?.sector ?? ''}）`;
        return `该主体${listed}，依据${m.measure.legalBasis || c.legalBasis}${m.measure.name}`;
      }),
    );
}

export async function placeBid(deps: { db: pg.Pool; sector: Pick<SectorClient, 'checkCredit'> }, bid: BidRequest): Promise<BidOutcome> {
  const own = await debarmentsInForce(deps.db, bid.entityCode);
  const ownReasons = own.map(
    // The event names the list by its code only; the name people read comes with the credit check's answer.
    (d) => `本系统记录：该主体自${d.since.toISOString().slice(0, 10)}起被限制参与政府采购（认定文书：${d.decisionDocument}，依据${d.legalBasis}）`,
  );
  let check: CreditCheckResult | undefined;
  try {
    check = await deps.sector.checkCredit(bid.entityCode, ACTIVITY);
  } catch (err) {
    // Without the platform's answer a bid is not accepted (fail closed); an own debarment still refuses it now.
    if (ownReasons.length === 0) {
      return { status: 503, body: { error: `信用核查暂不可用，请稍后重试（${isSectorError(err) ? err.messageZh : String(err)}）` } };
    }
  }
  const reasons = [...(check ? platformReasons(check) : []), ...ownReasons];
  const accepted = reasons.length === 0;
  const { rows } = await deps.db.query<{ id: string }>(
    `INSERT INTO bids (entity_code, tender, accepted, reason, check_id) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
    [bid.entityCode, bid.tender, accepted, reasons.join('；'), check?.checkId ?? ''],
  );
  const bidId = rows[0]!.id;
  if (accepted) return { status: 201, body: { accepted: true, bidId, checkId: check!.checkId } };
  return { status: 403, body: { accepted: false, bidId, reason: `不予受理投标：${reasons.join('；')}`, reasons } };
}
