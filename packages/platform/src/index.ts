// The service kit. One place for each mechanism two services would otherwise write twice.
export * from './errors.js';
export * from './config.js';
export * from './logger.js';
export * from './identity.js';
export * from './shutdown.js';
export * from './grpc/index.js';
export * from './db/index.js';
export * from './events/index.js';
export * from './audit.js';
export * from './idempotency.js';
export * from './tail.js';
export { timeOrderedId } from './time-ordered-id.js';
export * from './service/index.js';
