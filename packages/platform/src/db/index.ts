export { type DatabaseOptions, openDatabase } from './database.js';
export { ensureDatabase } from './ensure-database.js';
export { type IsolationLevel, afterCommit, deferWrite, inTransaction } from './transaction.js';
export type { DeferredWrite } from './deferred-writes.js';
export { updateReturning } from './update-returning.js';
export { jsonParameter } from './json-parameter.js';
export { AuditLogRow, DeadLetter, InboxRow, OutboxRow, platformEntities } from './entities/index.js';
export { platformMigrations } from './migrations/index.js';
export type { ClassRef } from './class-ref.js';
