import type { MigrationInterface, QueryRunner } from 'typeorm';

// The core tables of the lists service. Other pieces of this service (ratings, cases, the credit check) read
// list_type, measure and list_entry by these column names, so they are part of the service's inner contract.
export class ListsTables1764400000001 implements MigrationInterface {
  name = 'ListsTables1764400000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE list_type (
        code                   text PRIMARY KEY,
        name                   text NOT NULL,
        colour                 text NOT NULL CHECK (colour IN ('red', 'black')),
        owner_department       text NOT NULL,
        criteria               text NOT NULL DEFAULT '',
        legal_basis            text NOT NULL DEFAULT '',
        validity_days          int  NOT NULL DEFAULT 0,
        notice_working_days    int  NOT NULL DEFAULT 0,
        objection_working_days int  NOT NULL DEFAULT 0,
        feedback_working_days  int  NOT NULL DEFAULT 0,
        updated_at             timestamptz NOT NULL
      )`);
    await q.query(`
      CREATE TABLE measure (
        code                    text PRIMARY KEY,
        name                    text NOT NULL,
        kind                    text NOT NULL CHECK (kind IN ('reward', 'punishment')),
        implementing_department text NOT NULL,
        list_types              text[] NOT NULL DEFAULT '{}',
        -- [{ "sector": "tax", "grades": ["A"] }]
        ratings                 jsonb NOT NULL DEFAULT '[]',
        activities              text[] NOT NULL DEFAULT '{}',
        legal_basis             text NOT NULL DEFAULT '',
        updated_at              timestamptz NOT NULL
      )`);
    await q.query(`CREATE INDEX measure_list_types ON measure USING gin (list_types)`);
    // The durables provisioned for sector systems; re-ensured at every start.
    await q.query(`
      CREATE TABLE sector_subscription (
        durable        text PRIMARY KEY,
        department     text NOT NULL,
        list_type      text,
        rating_sector  text,
        filter_subject text NOT NULL,
        created_at     timestamptz NOT NULL,
        CHECK ((list_type IS NULL) <> (rating_sector IS NULL))
      )`);
    await q.query(`CREATE INDEX sector_subscription_department ON sector_subscription (department)`);
    await q.query(`
      CREATE TABLE list_entry (
        id                 uuid PRIMARY KEY,
        list_type          text NOT NULL REFERENCES list_type (code),
        colour             text NOT NULL,
        owner_department   text NOT NULL,
        entity_code        text NOT NULL,
        entity_name        text NOT NULL,
        state              text NOT NULL CHECK (state IN ('proposed', 'notified', 'effective', 'objected', 'removed')),
        facts              text NOT NULL,
        decision_document  text NOT NULL,
        legal_basis        text NOT NULL,
        decided_at         timestamptz NOT NULL,
        notice_ends_at     timestamptz,
        effective_at       timestamptz,
        valid_until        timestamptz,
        objection          jsonb,
        removed_at         timestamptz,
        removal_reason     text,
        version            int NOT NULL,
        created_at         timestamptz NOT NULL,
        updated_at         timestamptz NOT NULL,
        UNIQUE (list_type, entity_code, decision_document)
      )`);
    await q.query(`CREATE INDEX list_entry_newest ON list_entry (created_at DESC, id DESC)`);
    await q.query(`CREATE INDEX list_entry_entity ON list_entry (entity_code)`);
    // What the sweeper looks for: notice periods ending and validity running out.
    await q.query(`CREATE INDEX list_entry_notice_due ON list_entry (notice_ends_at) WHERE state = 'notified'`);
    await q.query(`CREATE INDEX list_entry_expiry_due ON list_entry (valid_until) WHERE effective_at IS NOT NULL AND state IN ('effective', 'objected')`);
    await q.query(`
      CREATE TABLE entry_transition (
        seq              bigserial PRIMARY KEY,
        entry_id         uuid NOT NULL REFERENCES list_entry (id),
        from_state       text,
        to_state         text NOT NULL,
        action           text NOT NULL,
        actor_department text NOT NULL,
        actor            text NOT NULL,
        reason           text NOT NULL DEFAULT '',
        at               timestamptz NOT NULL
      )`);
    await q.query(`CREATE INDEX entry_transition_entry ON entry_transition (entry_id, seq)`);
    // 跟踪问效: one expected response per entry, measure and phase.
    await q.query(`
      CREATE TABLE measure_response (
        id                      uuid PRIMARY KEY,
        entry_id                uuid NOT NULL REFERENCES list_entry (id),
        measure_code            text NOT NULL,
        implementing_department text NOT NULL,
        phase                   text NOT NULL CHECK (phase IN ('impose', 'lift')),
        due_at                  timestamptz NOT NULL,
        outcome                 text,
        reference               text NOT NULL DEFAULT '',
        note                    text NOT NULL DEFAULT '',
        reported_at             timestamptz,
        UNIQUE (entry_id, measure_code, phase)
      )`);
    await q.query(`CREATE INDEX measure_response_overdue ON measure_response (due_at, id) WHERE outcome IS NULL`);
    await q.query(`
      CREATE TABLE feedback_report (
        seq         bigserial PRIMARY KEY,
        response_id uuid NOT NULL REFERENCES measure_response (id),
        outcome     text NOT NULL,
        reference   text NOT NULL,
        note        text NOT NULL,
        reporter    text NOT NULL,
        request_id  text NOT NULL,
        reported_at timestamptz NOT NULL
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of ['feedback_report', 'measure_response', 'entry_transition', 'list_entry', 'sector_subscription', 'measure', 'list_type']) {
      await q.query(`DROP TABLE ${t}`);
    }
  }
}
