import type { ValidEntity } from '../domain/index.js';

/** An entity as the registry holds it: the validated details plus who reported it and its version. */
export interface StoredEntity extends ValidEntity {
  id: string;
  reportingDepartment: string;
  version: number;
  registeredAt: Date;
  updatedAt: Date;
}

export type EntityKey =
  | { by: 'uscc'; value: string }
  | { by: 'organization_code'; value: string }
  | { by: 'registration_number'; value: string };

export interface EntityChanges {
  name: string;
  legalRepresentative: string | null;
  address: string | null;
}
