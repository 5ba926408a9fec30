import { describe, expect, it } from 'vitest';
import { decodeEvent, type RawMessage } from './events.js';
import * as events from './gen/credit/lists/v1/events.js';
import * as pb from './gen/credit/lists/v1/lists.js';

const entry: pb.ListEntry = {
  id: 'entry-7',
  listType: 'tax_major_violation',
  colour: pb.ListColour.LIST_COLOUR_BLACK,
  ownerDepartment: 'tax',
  entityCode: '91540100MA6T1234XA',
  entityName: '拉萨某某商贸有限公司',
  state: pb.EntryState.ENTRY_STATE_EFFECTIVE,
  facts: '虚开增值税专用发票',
  decisionDocument: '藏税稽罚〔2026〕12号',
  legalBasis: '《重大税收违法失信主体信息公布管理办法》',
  decidedAt: new Date('2026-11-01T02:00:00Z'),
  effectiveAt: new Date('2026-11-20T02:00:00Z'),
  validUntil: new Date('2029-11-20T02:00:00Z'),
  removalReason: pb.RemovalReason.REMOVAL_REASON_UNSPECIFIED,
  version: 4,
};

function raw(type: string | undefined, data: Uint8Array, extra: Record<string, string> = {}, omit: string[] = []): RawMessage {
  const headers: Record<string, string> = {
    'ce-specversion': '1.0',
    'ce-id': '0193f3c2-1111-7000-8000-000000000001',
    'ce-time': '2026-11-26T02:00:00.123Z',
    'ce-subject': 'entry-7',
    'content-type': 'application/protobuf',
    traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
    ...(type ? { 'ce-type': type } : {}),
    ...extra,
  };
  for (const o of omit) delete headers[o];
  return {
    subject: 't1234abcd.credit.lists.v1.entry_effective.black.tax_major_violation',
    header: (name) => headers[name],
    data,
    sequence: 17,
    deliveryCount: 2,
    redelivered: true,
    durable: 'sector_finance_tax_major_violation',
  };
}

describe('decodeEvent', () => {
  it('reads ListEntryBecameEffective as entry_effective with every CloudEvents attribute', () => {
    const d = decodeEvent(raw('credit.lists.v1.ListEntryBecameEffective', events.ListEntryBecameEffective.encode({ entry }).finish()), 't1234abcd.');
    expect(d).toEqual({
      kind: 'event',
      event: {
        id: '0193f3c2-1111-7000-8000-000000000001',
        type: 'entry_effective',
        time: new Date('2026-11-26T02:00:00.123Z'),
        entity: 'entry-7',
        subject: 'credit.lists.v1.entry_effective.black.tax_major_violation',
        traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
        sequence: 17,
        deliveryCount: 2,
        redelivered: true,
        durable: 'sector_finance_tax_major_violation',
        entry: {
          id: 'entry-7',
          listType: 'tax_major_violation',
          colour: 'black',
          ownerDepartment: 'tax',
          entityCode: '91540100MA6T1234XA',
          entityName: '拉萨某某商贸有限公司',
          state: 'effective',
          facts: '虚开增值税专用发票',
          decisionDocument: '藏税稽罚〔2026〕12号',
          legalBasis: '《重大税收违法失信主体信息公布管理办法》',
          decidedAt: new Date('2026-11-01T02:00:00Z'),
          effectiveAt: new Date('2026-11-20T02:00:00Z'),
          validUntil: new Date('2029-11-20T02:00:00Z'),
          version: 4,
        },
      },
    });
  });

  it('reads ListEntryCorrected with the reason and the corrected entry', () => {
    const corrected = { ...entry, facts: '更正后的事实', version: 6, objection: { applicant: '某公司', grounds: '事实有误', outcome: pb.ObjectionOutcome.OBJECTION_OUTCOME_CORRECTED, decisionReason: '部分采纳', filedAt: new Date('2026-11-21T00:00:00Z'), decidedLate: true } };
    const d = decodeEvent(raw('credit.lists.v1.ListEntryCorrected', events.ListEntryCorrected.encode({ entry: corrected, reason: '异议部分成立' }).finish()));
    expect(d.kind === 'event' && d.event).toMatchObject({
      type: 'entry_corrected',
      reason: '异议部分成立',
      entry: { facts: '更正后的事实', version: 6, objection: { applicant: '某公司', outcome: 'corrected', decisionReason: '部分采纳', decidedLate: true } },
    });
  });

  it('reads ListEntryRemoved with its removal reason', () => {
    const removed = { ...entry, state: pb.EntryState.ENTRY_STATE_REMOVED, removedAt: new Date('2026-12-01T00:00:00Z'), removalReason: pb.RemovalReason.REMOVAL_REASON_EXPIRED };
    const d = decodeEvent(raw('credit.lists.v1.ListEntryRemoved', events.ListEntryRemoved.encode({ entry: removed, reason: pb.RemovalReason.REMOVAL_REASON_EXPIRED }).finish()));
    expect(d.kind === 'event' && d.event).toMatchObject({
      type: 'entry_removed',
      reason: 'expired',
      entry: { state: 'removed', removalReason: 'expired', removedAt: new Date('2026-12-01T00:00:00Z') },
    });
  });

  it('reads RatingChanged as rating_changed, with the previous grade only when there was one', () => {
    const rating = { entityCode: '91540100MA6T1234XA', sector: 'tax', grade: 'D', ratedAt: new Date('2026-11-25T00:00:00Z') };
    const first = decodeEvent(raw('credit.lists.v1.RatingChanged', events.RatingChanged.encode({ rating, previousGrade: '' }).finish()));
    const second = decodeEvent(raw('credit.lists.v1.RatingChanged', events.RatingChanged.encode({ rating, previousGrade: 'B' }).finish()));
    expect(first.kind === 'event' && first.event).toMatchObject({ type: 'rating_changed', rating: { sector: 'tax', grade: 'D', ratedAt: rating.ratedAt } });
    expect(first.kind === 'event' && 'previousGrade' in first.event).toBe(false);
    expect(second.kind === 'event' && second.event).toMatchObject({ type: 'rating_changed', previousGrade: 'B' });
  });

  it('reports a type newer than this SDK as unknown, with its id', () => {
    expect(decodeEvent(raw('credit.lists.v1.ListEntrySuspended', new Uint8Array([1])))).toEqual({
      kind: 'unknown',
      type: 'credit.lists.v1.ListEntrySuspended',
      id: '0193f3c2-1111-7000-8000-000000000001',
    });
  });

  it('ignores list type and measure definitions', () => {
    expect(decodeEvent(raw('credit.lists.v1.MeasureDefined', new Uint8Array()))).toEqual({ kind: 'ignored', type: 'credit.lists.v1.MeasureDefined' });
  });

  it.each([
    ['no ce-type', raw(undefined, new Uint8Array()), 'ce-type'],
    ['no ce-id', raw('credit.lists.v1.ListEntryBecameEffective', new Uint8Array(), {}, ['ce-id']), 'ce-id'],
    ['a ce-time that is no time', raw('credit.lists.v1.ListEntryBecameEffective', new Uint8Array(), { 'ce-time': 'yesterday' }), 'ce-time'],
    ['a JSON body', raw('credit.lists.v1.ListEntryBecameEffective', new Uint8Array(), { 'content-type': 'application/json' }), 'content-type'],
    ['a payload without its entry', raw('credit.lists.v1.ListEntryBecameEffective', new Uint8Array()), 'no entry'],
    ['bytes that are not protobuf', raw('credit.lists.v1.ListEntryRemoved', new Uint8Array([0xff, 0xff, 0xff, 0xff])), 'not a valid'],
  ])('calls a message with %s malformed and says why', (_what, message, why) => {
    const d = decodeEvent(message);
    expect(d.kind).toBe('malformed');
    expect(d.kind === 'malformed' && d.reason).toContain(why);
  });
});
