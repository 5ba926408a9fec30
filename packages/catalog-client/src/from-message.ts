import {
  AdministrativeLevel as PbLevel,
  Disclosure as PbDisclosure,
  FieldType as PbFieldType,
  InformationCategory as PbCategory,
  UpdateFrequency as PbFrequency,
  type FieldSpec as PbFieldSpec,
  type GetPublishedCatalogResponse,
  type PublishedItem as PbItem,
} from '@credit/contracts/credit/catalog/v1/catalog.js';
import type * as t from './types.js';

// Protobuf enum names are `<ENUM>_<VALUE>`; the domain names are the value in lower case.
const lower = (name: string, prefix: string) => name.slice(prefix.length).toLowerCase();

function decode<T extends string>(table: Record<number, string>, prefix: string, value: number, what: string): T {
  const name = table[value];
  if (!name || value === 0) throw new Error(`the catalog sent an unknown ${what} (${value})`);
  return lower(name, prefix) as T;
}

// The service never stores these names differently: its enum tables and these prefixes are the same contract.
const level = (v: PbLevel) => decode<t.AdministrativeLevel>(PbLevel, 'ADMINISTRATIVE_LEVEL_', v, 'level');
const category = (v: PbCategory) => decode<t.InformationCategory>(PbCategory, 'INFORMATION_CATEGORY_', v, 'category');
const frequency = (v: PbFrequency) => decode<t.UpdateFrequency>(PbFrequency, 'UPDATE_FREQUENCY_', v, 'update frequency');
const fieldType = (v: PbFieldType) => decode<t.FieldType>(PbFieldType, 'FIELD_TYPE_', v, 'field type');
const DISCLOSURE: Record<number, t.Disclosure> = {
  [PbDisclosure.DISCLOSURE_PUBLIC]: 'public',
  [PbDisclosure.DISCLOSURE_CONDITIONAL]: 'conditional',
  [PbDisclosure.DISCLOSURE_NOT_SHARED]: 'not_shared',
};

function field(m: PbFieldSpec): t.FieldSpec {
  return {
    code: m.code,
    name: m.name,
    type: fieldType(m.type),
    required: m.required,
    maxLength: m.maxLength,
    ...(m.enumValues.length > 0 ? { enumValues: m.enumValues } : {}),
    ...(m.personal ? { personal: true } : {}),
    ...(m.extension ? { extension: true } : {}),
  };
}

function item(m: PbItem): t.PublishedItem {
  const disclosure = DISCLOSURE[m.disclosure];
  if (!disclosure) throw new Error(`the catalog sent an unknown disclosure (${m.disclosure})`);
  return {
    code: m.code,
    name: m.name,
    ownerDepartment: m.ownerDepartment,
    level: level(m.level),
    category: category(m.category),
    fields: m.fields.map(field),
    disclosure,
    updateFrequency: frequency(m.updateFrequency),
    legalBasis: m.legalBasis,
    revision: m.revision,
    confirmedBy: m.confirmedBy,
    confirmedAt: m.confirmedAt ?? new Date(0),
  };
}

export function fromPublishedCatalog(res: GetPublishedCatalogResponse): t.PublishedCatalog {
  if (!res.version) throw new Error('the catalog answered without a version');
  return {
    version: res.version.version,
    label: res.version.label,
    publishedAt: res.version.publishedAt ?? new Date(0),
    items: res.items.map(item),
  };
}
