import type { MigrationInterface, QueryRunner } from 'typeorm';

// Ratings (current grade per entity and sector, plus every change), reported cases, and the audit log of credit
// checks. No foreign key to list_entry: a case's entry is checked when it is reported, and the core tables belong
// to another migration.
export class RatingsCasesChecks1764400000002 implements MigrationInterface {
  name = 'RatingsCasesChecks1764400000002';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE rating (
        entity_code text NOT NULL,
        sector      text NOT NULL,
        grade       text NOT NULL,
        rated_at    timestamptz NOT NULL,
        valid_until timestamptz,
        rated_by    text NOT NULL,
        PRIMARY KEY (entity_code, sector)
      )`);
    await q.query(`
      CREATE TABLE rating_history (
        id             bigserial PRIMARY KEY,
        entity_code    text NOT NULL,
        sector         text NOT NULL,
        grade          text NOT NULL,
        previous_grade text,
        rated_at       timestamptz NOT NULL,
        valid_until    timestamptz,
        rated_by       text NOT NULL
      )`);
    await q.query(`CREATE INDEX rating_history_entity ON rating_history (entity_code, sector, id)`);
    await q.query(`
      CREATE TABLE credit_case (
        id           uuid PRIMARY KEY,
        department   text NOT NULL,
        kind         text NOT NULL CHECK (kind IN ('reward', 'punishment')),
        title        text NOT NULL,
        summary      text NOT NULL,
        entity_code  text,
        entry_id     uuid,
        occurred_on  date NOT NULL,
        year         integer NOT NULL,
        quarter      integer NOT NULL CHECK (quarter BETWEEN 1 AND 4),
        reported_at  timestamptz NOT NULL,
        reported_by  text NOT NULL
      )`);
    await q.query(`CREATE INDEX credit_case_quarter ON credit_case (year, quarter, department)`);
    // Append-only audit of who checked whom; written in batches off the answer path.
    await q.query(`
      CREATE TABLE credit_check_log (
        check_id      uuid PRIMARY KEY,
        checked_at    timestamptz NOT NULL,
        department    text NOT NULL,
        role          text NOT NULL,
        subject       text NOT NULL,
        entity_code   text NOT NULL,
        activity      text NOT NULL,
        measure_codes text[] NOT NULL,
        position      bigint NOT NULL
      )`);
    await q.query(`CREATE INDEX credit_check_log_entity ON credit_check_log (entity_code, checked_at)`);
    await q.query(`CREATE INDEX credit_check_log_department ON credit_check_log (department, checked_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE credit_check_log`);
    await q.query(`DROP TABLE credit_case`);
    await q.query(`DROP TABLE rating_history`);
    await q.query(`DROP TABLE rating`);
  }
}
