import type { MigrationInterface, QueryRunner } from 'typeorm';

// The deadline of an entry's undecided objection as a column of its own, so the supervision list of overdue
// objections is an index range scan rather than a walk over every objected entry's JSON.
export class OverdueObjections1764400000003 implements MigrationInterface {
  name = 'OverdueObjections1764400000003';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE list_entry ADD COLUMN pending_objection_decide_by timestamptz`);
    await q.query(`
      UPDATE list_entry SET pending_objection_decide_by = (objection->>'decideBy')::timestamptz
       WHERE state = 'objected' AND objection IS NOT NULL AND objection->>'outcome' IS NULL`);
    await q.query(`
      CREATE INDEX list_entry_objection_due ON list_entry (pending_objection_decide_by, id) WHERE state = 'objected'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX list_entry_objection_due`);
    await q.query(`ALTER TABLE list_entry DROP COLUMN pending_objection_decide_by`);
  }
}
