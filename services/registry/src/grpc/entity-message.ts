import { EntityKind as ProtoKind, type Entity, type EntityInput as ProtoInput } from '@credit/contracts/credit/registry/v1/registry.js';
import type { EntityInput, EntityKind } from '../domain/index.js';
import type { StoredEntity } from '../app/model.js';

const KIND_TO_PROTO: Record<EntityKind, ProtoKind> = {
  legal_person: ProtoKind.ENTITY_KIND_LEGAL_PERSON,
  other_organization: ProtoKind.ENTITY_KIND_OTHER_ORGANIZATION,
  individual_business: ProtoKind.ENTITY_KIND_INDIVIDUAL_BUSINESS,
};

const KIND_FROM_PROTO = new Map<ProtoKind, EntityKind>(Object.entries(KIND_TO_PROTO).map(([k, v]) => [v, k as EntityKind]));

export function toEntityMessage(e: StoredEntity): Entity {
  return {
    uscc: e.uscc ?? '',
    name: e.name,
    kind: KIND_TO_PROTO[e.kind],
    registrationNumber: e.registrationNumber ?? '',
    organizationCode: e.organizationCode ?? '',
    divisionCode: e.divisionCode,
    legalRepresentative: e.legalRepresentative ?? '',
    address: e.address ?? '',
    establishedOn: e.establishedOn ?? '',
    reportingDepartment: e.reportingDepartment,
    version: e.version,
    registeredAt: e.registeredAt,
    updatedAt: e.updatedAt,
  };
}

// Proto3 has no "absent" for strings: empty means not given.
const given = (s: string): string | undefined => (s.trim() === '' ? undefined : s);

export function fromEntityInput(m: ProtoInput | undefined): EntityInput {
  return {
    uscc: given(m?.uscc ?? ''),
    name: m?.name ?? '',
    kind: m ? KIND_FROM_PROTO.get(m.kind) : undefined,
    registrationNumber: given(m?.registrationNumber ?? ''),
    legalRepresentative: given(m?.legalRepresentative ?? ''),
    address: given(m?.address ?? ''),
    establishedOn: given(m?.establishedOn ?? ''),
  };
}
