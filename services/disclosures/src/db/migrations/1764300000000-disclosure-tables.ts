import type { MigrationInterface, QueryRunner } from 'typeorm';

export class DisclosureTables1764300000000 implements MigrationInterface {
  name = 'DisclosureTables1764300000000';

  async up(q: QueryRunner): Promise<void> {
    // One row per licence or penalty, in its current revision. The identity (kind, authority, folded document
    // number) is unique: a resubmitted batch can never store a record twice.
    await q.query(`
      CREATE TABLE disclosure_record (
        id                   bigserial PRIMARY KEY,
        kind                 text NOT NULL CHECK (kind IN ('licence', 'penalty')),
        identity_key         text NOT NULL UNIQUE,
        item_code            text NOT NULL,
        catalog_version      int NOT NULL,
        department           text NOT NULL,
        division_code        char(6) NOT NULL,
        counterparty_code    text NOT NULL,
        counterparty_name    text NOT NULL,
        decision_date        date NOT NULL,
        received_at          timestamptz NOT NULL,
        working_days         int NOT NULL,
        late                 boolean NOT NULL,
        state                text NOT NULL CHECK (state IN ('public', 'not_public', 'publicity_ended', 'revoked')),
        publicity_ends_on    date,
        repair_possible_from date,
        fields               jsonb NOT NULL,
        revision             int NOT NULL DEFAULT 1,
        updated_at           timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX disclosure_by_counterparty ON disclosure_record (counterparty_code, decision_date DESC, id DESC)`);
    // The publicity sweeper's only question: which public penalties are due to leave publicity?
    await q.query(`CREATE INDEX disclosure_publicity_due ON disclosure_record (publicity_ends_on) WHERE state = 'public'`);

    // Corrections keep every earlier revision.
    await q.query(`
      CREATE TABLE disclosure_revision (
        record_id  bigint NOT NULL REFERENCES disclosure_record (id),
        revision   int NOT NULL,
        fields     jsonb NOT NULL,
        reason     text NOT NULL,
        actor      text NOT NULL,
        at         timestamptz NOT NULL,
        PRIMARY KEY (record_id, revision)
      )`);

    // Assessment (考核) counters, kept per department, catalog item, division and day of receipt in the same
    // transaction as the records, so a report over 10^7 records reads thousands of rows, not millions.
    await q.query(`
      CREATE TABLE assessment_counter (
        department    text NOT NULL,
        item_code     text NOT NULL,
        division_code char(6) NOT NULL,
        day           date NOT NULL,
        accepted      bigint NOT NULL DEFAULT 0,
        late          bigint NOT NULL DEFAULT 0,
        rejected      bigint NOT NULL DEFAULT 0,
        PRIMARY KEY (department, item_code, division_code, day)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE assessment_counter`);
    await q.query(`DROP TABLE disclosure_revision`);
    await q.query(`DROP TABLE disclosure_record`);
  }
}
