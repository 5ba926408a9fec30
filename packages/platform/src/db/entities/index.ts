import type { ClassRef } from '../class-ref.js';
import { AuditLogRow } from './audit-log-row.js';
import { DeadLetter } from './dead-letter.js';
import { InboxRow } from './inbox-row.js';
import { OutboxRow } from './outbox-row.js';

export { AuditLogRow, DeadLetter, InboxRow, OutboxRow };

/** The tables every service database carries, whatever the service. */
export const platformEntities: ClassRef[] = [OutboxRow, InboxRow, DeadLetter, AuditLogRow];
