import type { NewEvent } from '@credit/platform';
import { EntityRegistered, EntityUpdated, LegacyCodeMapped } from '@credit/contracts/credit/registry/v1/events.js';
import { toEntityMessage } from '../grpc/entity-message.js';
import type { StoredEntity } from '../app/model.js';

// Subjects carry the division code so a prefecture or county can subscribe to its own area with a wildcard.
const subject = (event: string, e: StoredEntity) => `credit.registry.v1.${event}.${e.divisionCode}`;
const codeOf = (e: StoredEntity) => e.uscc ?? e.registrationNumber ?? e.id;

export function entityRegistered(e: StoredEntity): NewEvent {
  return {
    type: 'credit.registry.v1.EntityRegistered',
    subject: subject('entity_registered', e),
    entity: codeOf(e),
    data: EntityRegistered.encode({ entity: toEntityMessage(e) }).finish(),
  };
}

export function entityUpdated(e: StoredEntity, previous: StoredEntity): NewEvent {
  return {
    type: 'credit.registry.v1.EntityUpdated',
    subject: subject('entity_updated', e),
    entity: codeOf(e),
    data: EntityUpdated.encode({ entity: toEntityMessage(e), previous: toEntityMessage(previous) }).finish(),
  };
}

export function legacyCodeMapped(e: StoredEntity, registrationNumber: string): NewEvent {
  return {
    type: 'credit.registry.v1.LegacyCodeMapped',
    subject: subject('legacy_code_mapped', e),
    entity: codeOf(e),
    data: LegacyCodeMapped.encode({ registrationNumber, uscc: e.uscc ?? '', entity: toEntityMessage(e) }).finish(),
  };
}
