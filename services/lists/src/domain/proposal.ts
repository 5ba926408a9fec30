// What an owner department sends to propose an entry (拟列入), and its checks. Pure.
import { isRealDate } from '@credit/standards';
import { checkEntityCode, Violations } from './definitions.js';
import { chinaDay, startOfChinaDay } from './entry.js';

export interface ProposalInput {
  listType: string;
  entityCode: string;
  entityName: string;
  facts: string;
  decisionDocument: string;
  legalBasis: string;
  decidedOn: string;
  validUntil?: Date;
}

export interface Proposal extends Omit<ProposalInput, 'decidedOn'> {
  decidedAt: Date;
}

const MAX_NAME = 200;
const MAX_DOCUMENT = 200;
const MAX_TEXT = 4000;
const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

export function validateProposal(input: ProposalInput, now: Date): Proposal {
  const v = new Violations();
  v.token('list_type', input.listType.trim(), '名单类型代码');
  const code = checkEntityCode('entity_code', input.entityCode);
  if (code.violation) v.list.push(code.violation);
  v.text('entity_name', input.entityName, '主体名称', { required: true, max: MAX_NAME });
  v.text('facts', input.facts, '列入事由', { required: true, max: MAX_TEXT });
  v.text('decision_document', input.decisionDocument, '认定文书号', { required: true, max: MAX_DOCUMENT });
  v.text('legal_basis', input.legalBasis, '认定依据', { max: MAX_TEXT });
  const decidedOn = input.decidedOn.trim();
  const m = DAY.exec(decidedOn);
  if (!m || !isRealDate(Number(m[1]), Number(m[2]), Number(m[3]))) {
    v.add('decided_on', 'BAD_DATE', '认定日期应为真实存在的日期，格式 YYYY-MM-DD');
  } else if (decidedOn > chinaDay(now)) {
    v.add('decided_on', 'IN_THE_FUTURE', '认定日期不能晚于今天');
  }
  if (input.validUntil && input.validUntil.getTime() <= now.getTime()) {
    v.add('valid_until', 'IN_THE_PAST', '有效期截止时间应晚于当前时间');
  }
  v.throwIfAny();
  return {
    listType: input.listType.trim(),
    entityCode: code.code,
    entityName: input.entityName.trim(),
    facts: input.facts.trim(),
    decisionDocument: input.decisionDocument.trim(),
    legalBasis: input.legalBasis.trim(),
    decidedAt: startOfChinaDay(decidedOn),
    ...(input.validUntil ? { validUntil: input.validUntil } : {}),
  };
}
