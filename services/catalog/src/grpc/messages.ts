import type * as pb from '@credit/contracts/credit/catalog/v1/catalog.js';
import type { CatalogItem, CatalogVersion, FieldSpec, ItemInput, PublishedItem } from '../domain/index.js';
import type { ImportResult } from '../app/import-result.js';
import { category, disclosure, fieldType, frequency, itemState, level, outcome } from './enums.js';

export function toFieldMessage(f: FieldSpec): pb.FieldSpec {
  return {
    code: f.code,
    name: f.name,
    type: fieldType.toProto(f.type),
    required: f.required,
    maxLength: f.maxLength,
    enumValues: [...(f.enumValues ?? [])],
    personal: f.personal ?? false,
    extension: f.extension ?? false,
  };
}

// An unknown field type stays visible as an invalid value for validation to name, rather than vanishing.
export function fromFieldMessage(m: pb.FieldSpec): FieldSpec {
  return {
    code: m.code,
    name: m.name,
    type: fieldType.fromProto(m.type) ?? ('' as FieldSpec['type']),
    required: m.required,
    maxLength: m.maxLength,
    ...(m.enumValues.length > 0 ? { enumValues: m.enumValues } : {}),
    ...(m.personal ? { personal: true } : {}),
    ...(m.extension ? { extension: true } : {}),
  };
}

export function fromItemInput(m: pb.ItemInput | undefined): ItemInput {
  return {
    code: m?.code ?? '',
    name: m?.name ?? '',
    level: m ? level.fromProto(m.level) : undefined,
    category: m ? category.fromProto(m.category) : undefined,
    fields: (m?.fields ?? []).map(fromFieldMessage),
    disclosure: m ? disclosure.fromProto(m.disclosure) : undefined,
    updateFrequency: m ? frequency.fromProto(m.updateFrequency) : undefined,
    legalBasis: m?.legalBasis ?? '',
  };
}

export function toItemMessage(i: CatalogItem): pb.CatalogItem {
  return {
    code: i.code,
    name: i.name,
    ownerDepartment: i.ownerDepartment,
    level: level.toProto(i.level),
    category: category.toProto(i.category),
    fields: i.fields.map(toFieldMessage),
    disclosure: disclosure.toProto(i.disclosure),
    updateFrequency: frequency.toProto(i.updateFrequency),
    legalBasis: i.legalBasis,
    state: itemState.toProto(i.state),
    revision: i.revision,
    confirmedBy: i.confirmedBy ?? '',
    confirmedAt: i.confirmedAt ?? undefined,
    publishedVersion: i.publishedVersion ?? 0,
    returnReason: i.returnReason ?? '',
    createdAt: i.createdAt,
    updatedAt: i.updatedAt,
  };
}

export function toPublishedMessage(i: PublishedItem): pb.PublishedItem {
  return {
    code: i.code,
    name: i.name,
    ownerDepartment: i.ownerDepartment,
    level: level.toProto(i.level),
    category: category.toProto(i.category),
    fields: i.fields.map(toFieldMessage),
    disclosure: disclosure.toProto(i.disclosure),
    updateFrequency: frequency.toProto(i.updateFrequency),
    legalBasis: i.legalBasis,
    revision: i.revision,
    confirmedBy: i.confirmedBy,
    confirmedAt: i.confirmedAt,
  };
}

export function toVersionMessage(v: CatalogVersion): pb.CatalogVersion {
  return { version: v.version, label: v.label, publishedAt: v.publishedAt, publishedBy: v.publishedBy, itemCount: v.itemCount };
}

export function toImportResponse(r: ImportResult): pb.ImportResponsibilityListResponse {
  return {
    results: r.results.map((row) => ({ row: row.row, itemCode: row.itemCode, outcome: outcome.toProto(row.outcome), violations: row.violations })),
    created: r.created,
    existing: r.existing,
    rejected: r.rejected,
  };
}
