import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { Caller } from '@credit/platform';
import { DomainError } from '@credit/platform/errors';
import { defaultDoublePublicityItems } from './double-publicity.js';
import type { CatalogItem } from './item.js';
import { composeVersion, frozen } from './publication.js';
import { confirmItem, draftItem, returnItem, reviseItem, submitItem } from './workflow.js';

const owner: Caller = { department: 'amr', role: 'department', subject: 'amr-officer' };
const other: Caller = { department: 'tax', role: 'department', subject: 'tax-officer' };
const office: Caller = { department: 'ndrc', role: 'office', subject: 'office-officer' };
const now = new Date('2018-06-01T08:00:00Z');
const details = defaultDoublePublicityItems([{ code: 'amr', name: '西藏自治区市场监督管理局' }])[0]!;

type Action = 'edit' | 'submit' | 'confirm' | 'return';
const act = (item: CatalogItem, action: Action, n: number): CatalogItem => {
  switch (action) {
    case 'edit':
      return reviseItem(owner, item, { ...details, name: `名称${n}` }, now);
    case 'submit':
      return submitItem(owner, item, now);
    case 'confirm':
      return confirmItem(owner, item, now);
    case 'return':
      return returnItem(office, item, '请补充', now);
  }
};

describe('the item workflow', () => {
  it('only ever yields a confirmed item that records who confirmed it, and a revision that never goes down', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom<Action>('edit', 'submit', 'confirm', 'return'), { maxLength: 30 }), (actions) => {
        let item = draftItem(owner, details, now);
        actions.forEach((a, n) => {
          let next: CatalogItem;
          try {
            next = act(item, a, n);
          } catch (err) {
            expect(err).toBeInstanceOf(DomainError);
            expect((err as DomainError).code).toBe('FAILED_PRECONDITION');
            return;
          }
          expect(next.revision).toBeGreaterThanOrEqual(item.revision);
          expect(next.state === 'confirmed').toBe(next.confirmedBy !== null && next.confirmedAt !== null);
          item = next;
        });
      }),
    );
  });

  it('refuses another department and the office at the owner\'s steps', () => {
    const draft = draftItem(owner, details, now);
    expect(() => submitItem(other, draft, now)).toThrow(expect.objectContaining({ reason: 'NOT_ITEM_OWNER' }));
    const submitted = submitItem(owner, draft, now);
    expect(() => confirmItem(office, submitted, now)).toThrow(expect.objectContaining({ reason: 'NOT_ITEM_OWNER' }));
    expect(() => returnItem(owner, submitted, '理由', now)).toThrow(expect.objectContaining({ code: 'PERMISSION_DENIED' }));
  });

  it('opens the next revision when a confirmed item is edited, and keeps it when nothing changed', () => {
    const confirmed = confirmItem(owner, submitItem(owner, draftItem(owner, details, now), now), now);
    expect(reviseItem(owner, confirmed, details, now)).toBe(confirmed);
    expect(reviseItem(owner, confirmed, { ...details, name: '新名称' }, now)).toMatchObject({ state: 'draft', revision: 2, confirmedBy: null });
  });
});

describe('composing a version', () => {
  it('carries forward the published revision of an item being revised, and refuses an unchanged catalog', () => {
    const confirmed = confirmItem(owner, submitItem(owner, draftItem(owner, details, now), now), now);
    const v1 = composeVersion(office, [confirmed], []);
    expect(v1).toEqual([frozen(confirmed)]);
    expect(() => composeVersion(office, [confirmed], v1)).toThrow(expect.objectContaining({ reason: 'NOTHING_TO_PUBLISH' }));
    expect(() => composeVersion(office, [], v1)).toThrow(expect.objectContaining({ reason: 'NOTHING_TO_PUBLISH' }));
    // The first item is being revised (not confirmed now); a second one is confirmed: v2 holds both, the first at rev 1.
    const second = confirmItem(owner, submitItem(owner, draftItem(owner, { ...details, code: 'AMR-XK-002' }, now), now), now);
    const v2 = composeVersion(office, [second], v1);
    expect(v2.map((i) => `${i.code}@${i.revision}`)).toEqual(['AMR-XK-001@1', 'AMR-XK-002@1']);
    expect(() => composeVersion(office, [], [])).toThrow(expect.objectContaining({ reason: 'NOTHING_TO_PUBLISH' }));
    expect(() => composeVersion(owner, [confirmed], [])).toThrow(expect.objectContaining({ code: 'PERMISSION_DENIED' }));
  });
});
