import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The platform's own tables. Its timestamp is older than any service migration, so it always runs first.
 * Never edit it once released: add a new migration instead.
 */
export class PlatformTables1764000000000 implements MigrationInterface {
  name = 'PlatformTables1764000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE outbox (
        id              bigserial PRIMARY KEY,
        event_id        uuid NOT NULL UNIQUE,
        source          text NOT NULL,
        type            text NOT NULL,
        subject         text NOT NULL,
        entity          text NOT NULL,
        data            bytea NOT NULL,
        traceparent     text,
        created_at      timestamptz NOT NULL DEFAULT now(),
        attempts        int NOT NULL DEFAULT 0,
        next_attempt_at timestamptz NOT NULL DEFAULT now(),
        last_error      text,
        published_at    timestamptz
      )`);
    // The relay's query touches only pending rows; published ones (almost all of them) stay out of this index.
    await q.query(`CREATE INDEX outbox_pending ON outbox (id) WHERE published_at IS NULL`);
    // Purging by age on an append-only table: a BRIN index costs almost nothing on insert.
    await q.query(`CREATE INDEX outbox_created_at_brin ON outbox USING brin (created_at)`);

    await q.query(`
      CREATE TABLE inbox (
        consumer     text NOT NULL,
        event_id     uuid NOT NULL,
        processed_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (consumer, event_id)
      )`);

    await q.query(`
      CREATE TABLE dead_letter (
        id         bigserial PRIMARY KEY,
        consumer   text NOT NULL,
        event_id   text,
        subject    text NOT NULL,
        type       text,
        headers    jsonb NOT NULL,
        data       bytea NOT NULL,
        error      text NOT NULL,
        deliveries int NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX dead_letter_consumer ON dead_letter (consumer, id)`);

    await q.query(`
      CREATE TABLE audit_log (
        seq              bigint PRIMARY KEY,
        at               timestamptz NOT NULL,
        actor_department text NOT NULL,
        actor_role       text NOT NULL,
        actor_subject    text NOT NULL,
        request_id       text NOT NULL,
        trace_id         text,
        command          text NOT NULL,
        target           text NOT NULL,
        before           jsonb,
        after            jsonb,
        prev_hash        text NOT NULL,
        hash             text NOT NULL
      )`);
    await q.query(`CREATE INDEX audit_log_target ON audit_log (target, seq)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE audit_log`);
    await q.query(`DROP TABLE dead_letter`);
    await q.query(`DROP TABLE inbox`);
    await q.query(`DROP TABLE outbox`);
  }
}
