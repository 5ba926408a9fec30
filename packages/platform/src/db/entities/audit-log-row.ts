import { Column, Entity, PrimaryColumn } from 'typeorm';

/** One link of the tamper-evident audit chain (see audit.ts). */
@Entity('audit_log')
export class AuditLogRow {
  // The order of insertion; the chain's order is seq.
  @PrimaryColumn({ type: 'bigint' }) id!: string;
  // Assigned by the chainer under a lock right after commit, gap-free: a missing number is itself evidence of a
  // deleted row. NULL until then.
  @Column({ type: 'bigint', nullable: true }) seq!: string | null;
  @Column({ type: 'timestamptz' }) at!: Date;
  @Column({ name: 'actor_department', type: 'text' }) actorDepartment!: string;
  @Column({ name: 'actor_role', type: 'text' }) actorRole!: string;
  @Column({ name: 'actor_subject', type: 'text' }) actorSubject!: string;
  @Column({ name: 'request_id', type: 'text' }) requestId!: string;
  @Column({ name: 'trace_id', type: 'text', nullable: true }) traceId!: string | null;
  @Column({ type: 'text' }) command!: string;
  @Column({ type: 'text' }) target!: string;
  @Column({ type: 'jsonb', nullable: true }) before!: unknown;
  @Column({ type: 'jsonb', nullable: true }) after!: unknown;
  @Column({ name: 'prev_hash', type: 'text', nullable: true }) prevHash!: string | null;
  @Column({ type: 'text', nullable: true }) hash!: string | null;
}
