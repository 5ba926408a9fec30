// The published catalog as plain data: what services validate records against. No protobuf types leak out.

import type { StandardField } from '@credit/standards';

export type { FieldType } from '@credit/standards';

/** One field of an item's records: the shape of the national field tables of @credit/standards. */
export type FieldSpec = StandardField;

export type AdministrativeLevel = 'region' | 'prefecture' | 'county';
export type InformationCategory = 'basic' | 'licence' | 'penalty' | 'red_list' | 'black_list' | 'commitment' | 'rating' | 'judicial' | 'other';
/** 公开 / 有条件共享 / 不予共享 */
export type Disclosure = 'public' | 'conditional' | 'not_shared';
export type UpdateFrequency = 'on_change' | 'daily' | 'weekly' | 'monthly' | 'quarterly' | 'yearly';

export interface PublishedItem {
  code: string;
  name: string;
  ownerDepartment: string;
  level: AdministrativeLevel;
  category: InformationCategory;
  fields: FieldSpec[];
  disclosure: Disclosure;
  updateFrequency: UpdateFrequency;
  legalBasis: string;
  revision: number;
  /** 盖章确认: who confirmed this revision, and when. */
  confirmedBy: string;
  confirmedAt: Date;
}

export interface PublishedCatalog {
  version: number;
  /** e.g. 2018版 */
  label: string;
  publishedAt: Date;
  items: PublishedItem[];
}
