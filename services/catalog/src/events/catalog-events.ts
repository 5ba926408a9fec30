import type { NewEvent } from '@credit/platform';
import { CatalogItemConfirmed, CatalogVersionPublished } from '@credit/contracts/credit/catalog/v1/events.js';
import type { CatalogItem, CatalogVersion } from '../domain/index.js';

export const VERSION_PUBLISHED_SUBJECT = 'credit.catalog.v1.version_published';

export function versionPublished(v: CatalogVersion): NewEvent {
  return {
    type: 'credit.catalog.v1.CatalogVersionPublished',
    subject: VERSION_PUBLISHED_SUBJECT,
    entity: String(v.version),
    data: CatalogVersionPublished.encode({ version: v.version, label: v.label, publishedAt: v.publishedAt, itemCount: v.itemCount }).finish(),
  };
}

// The owner in the subject lets a department's systems follow only their own confirmations.
export function itemConfirmed(item: CatalogItem): NewEvent {
  return {
    type: 'credit.catalog.v1.CatalogItemConfirmed',
    subject: `credit.catalog.v1.item_confirmed.${item.ownerDepartment}`,
    entity: item.code,
    data: CatalogItemConfirmed.encode({
      code: item.code,
      name: item.name,
      ownerDepartment: item.ownerDepartment,
      revision: item.revision,
      confirmedBy: item.confirmedBy ?? '',
      confirmedAt: item.confirmedAt ?? undefined,
    }).finish(),
  };
}
