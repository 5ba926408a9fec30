import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Marks an event as processed by one consumer, so a redelivery changes nothing. */
@Entity('inbox')
export class InboxRow {
  @PrimaryColumn({ type: 'text' }) consumer!: string;
  @PrimaryColumn({ name: 'event_id', type: 'uuid' }) eventId!: string;
  @Column({ name: 'processed_at', type: 'timestamptz' }) processedAt!: Date;
}
