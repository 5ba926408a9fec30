import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** An event waiting in (or already relayed from) the transactional outbox. Written with raw SQL by `Outbox.add`. */
@Entity('outbox')
export class OutboxRow {
  // bigint comes back from pg as a string: ids beyond 2^53 must not lose precision.
  @PrimaryGeneratedColumn({ type: 'bigint' }) id!: string;
  @Index({ unique: true }) @Column({ name: 'event_id', type: 'uuid' }) eventId!: string;
  @Column({ type: 'text' }) source!: string;
  @Column({ type: 'text' }) type!: string;
  @Column({ type: 'text' }) subject!: string;
  @Column({ type: 'text' }) entity!: string;
  @Column({ type: 'bytea' }) data!: Buffer;
  @Column({ type: 'text', nullable: true }) traceparent!: string | null;
  @Column({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
  @Column({ type: 'int' }) attempts!: number;
  @Column({ name: 'next_attempt_at', type: 'timestamptz' }) nextAttemptAt!: Date;
  @Column({ name: 'last_error', type: 'text', nullable: true }) lastError!: string | null;
  @Column({ name: 'published_at', type: 'timestamptz', nullable: true }) publishedAt!: Date | null;
}
