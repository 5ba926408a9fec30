export * from './field-spec.js';
export * from './item.js';
export * from './permissions.js';
export * from './workflow.js';
export * from './publication.js';
export * from './standard-schemas.js';
export * from './responsibility-list.js';
export * from './double-publicity.js';
