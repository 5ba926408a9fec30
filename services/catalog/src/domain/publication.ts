import type { Caller } from '@credit/platform';
import { failedPrecondition, invalidArgument } from '@credit/platform/errors';
import type { CatalogItem, ItemDetails } from './item.js';
import { requireOffice } from './permissions.js';

/** One item as a published version holds it: the confirmed revision, frozen. */
export interface PublishedItem extends ItemDetails {
  ownerDepartment: string;
  revision: number;
  confirmedBy: string;
  confirmedAt: Date;
}

/** A published catalog version ("2018版"): immutable once published. */
export interface CatalogVersion {
  version: number;
  label: string;
  publishedAt: Date;
  publishedBy: string;
  itemCount: number;
}

const LABEL_MAX = 32;

export function checkLabel(label: string): string {
  const trimmed = label.trim();
  if (trimmed === '' || [...trimmed].length > LABEL_MAX) {
    throw invalidArgument([
      { field: 'label', reason: trimmed === '' ? 'REQUIRED' : 'FIELD_TOO_LONG', message: `目录版本名称（如“2018版”）必填，且不超过${LABEL_MAX}个字` },
    ]);
  }
  return trimmed;
}

export function frozen(item: CatalogItem): PublishedItem {
  if (item.state !== 'confirmed' || item.confirmedBy === null || item.confirmedAt === null) {
    throw new Error(`item ${item.code} is not confirmed`);
  }
  return {
    code: item.code,
    name: item.name,
    ownerDepartment: item.ownerDepartment,
    level: item.level,
    category: item.category,
    fields: item.fields,
    disclosure: item.disclosure,
    updateFrequency: item.updateFrequency,
    legalBasis: item.legalBasis,
    revision: item.revision,
    confirmedBy: item.confirmedBy,
    confirmedAt: item.confirmedAt,
  };
}

/**
 * The items of the next version: every confirmed revision, and for an item being revised (a new draft or a
 * submitted revision) the revision the previous version held, so records of that item stay valid meanwhile.
 * Refused when it would equal the previous version: a version number means a change.
 */
export function composeVersion(caller: Caller, confirmed: readonly CatalogItem[], previous: readonly PublishedItem[]): PublishedItem[] {
  requireOffice(caller);
  const byCode = new Map<string, PublishedItem>(previous.map((p) => [p.code, p]));
  for (const item of confirmed) byCode.set(item.code, frozen(item));
  const items = [...byCode.values()].sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
  if (items.length === 0) throw failedPrecondition('NOTHING_TO_PUBLISH', '没有已盖章确认的目录事项，不能发布目录');
  const unchanged = items.length === previous.length && items.every((i) => previous.some((p) => p.code === i.code && p.revision === i.revision));
  if (unchanged) throw failedPrecondition('NOTHING_TO_PUBLISH', '自上一版目录发布以来没有新确认的事项，无需发布新版本');
  return items;
}
