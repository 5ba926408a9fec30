import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** A message a consumer gave up on (poison or out of deliveries), kept whole so an operator can inspect or replay it. */
@Entity('dead_letter')
export class DeadLetter {
  @PrimaryGeneratedColumn({ type: 'bigint' }) id!: string;
  @Column({ type: 'text' }) consumer!: string;
  // Text, not uuid: a malformed envelope may carry an id that is no uuid at all, and it must still be recorded.
  @Column({ name: 'event_id', type: 'text', nullable: true }) eventId!: string | null;
  @Column({ type: 'text' }) subject!: string;
  @Column({ type: 'text', nullable: true }) type!: string | null;
  @Column({ type: 'jsonb' }) headers!: Record<string, string[]>;
  @Column({ type: 'bytea' }) data!: Buffer;
  @Column({ type: 'text' }) error!: string;
  @Column({ type: 'int' }) deliveries!: number;
  @Column({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
}
