import type { ClassRef } from '../class-ref.js';
import { RequestLogTable1764000000500 } from '../../idempotency.js';
import { PlatformTables1764000000000 } from './1764000000000-platform-tables.js';

/** Platform migrations, oldest first; they run before any service migration. */
export const platformMigrations: ClassRef[] = [PlatformTables1764000000000, RequestLogTable1764000000500];
