import { jsonCodec } from '@credit/platform';
import type { CatalogItem, CatalogVersion } from '../domain/index.js';
import type { ImportResult } from './import-result.js';

// Stored answers of idempotent requests are JSON; dates come back as strings.
const date = (d: Date | string | null): Date | null => (d === null ? null : new Date(d));

export const reviveItem = (i: CatalogItem): CatalogItem => ({
  ...i,
  confirmedAt: date(i.confirmedAt),
  createdAt: date(i.createdAt)!,
  updatedAt: date(i.updatedAt)!,
});

export const itemCodec = jsonCodec<CatalogItem>(reviveItem);
export const versionCodec = jsonCodec<CatalogVersion>((v) => ({ ...v, publishedAt: new Date(v.publishedAt) }));
export const importCodec = jsonCodec<ImportResult>();
