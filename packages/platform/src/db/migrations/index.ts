import type { ClassRef } from '../class-ref.js';
import { RequestLogTable1764000000500 } from '../../idempotency.js';
import { PlatformTables1764000000000 } from './1764000000000-platform-tables.js';
import { AuditChainedAfterCommit1764000000600 } from './1764000000600-audit-chained-after-commit.js';

/** Platform migrations, oldest first; they run before any service migration. */
export const platformMigrations: ClassRef[] = [PlatformTables1764000000000, RequestLogTable1764000000500, AuditChainedAfterCommit1764000000600];
