import type { MigrationInterface, QueryRunner } from 'typeorm';

// Audit entries are written by the command's transaction without a place in the chain; the chainer gives them one
// (seq, prev_hash, hash) right after commit. Rows keep an insertion id; existing rows keep their seq as their id.
export class AuditChainedAfterCommit1764000000600 implements MigrationInterface {
  name = 'AuditChainedAfterCommit1764000000600';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE audit_log DROP CONSTRAINT audit_log_pkey`);
    await q.query(`ALTER TABLE audit_log ADD COLUMN id bigint`);
    await q.query(`UPDATE audit_log SET id = seq`);
    await q.query(`CREATE SEQUENCE audit_log_id_seq OWNED BY audit_log.id`);
    await q.query(`SELECT setval('audit_log_id_seq', coalesce((SELECT max(id) FROM audit_log), 0) + 1, false)`);
    await q.query(`ALTER TABLE audit_log ALTER COLUMN id SET DEFAULT nextval('audit_log_id_seq'), ALTER COLUMN id SET NOT NULL`);
    await q.query(`ALTER TABLE audit_log ADD PRIMARY KEY (id)`);
    await q.query(`
      ALTER TABLE audit_log ALTER COLUMN seq DROP NOT NULL, ALTER COLUMN prev_hash DROP NOT NULL,
                            ALTER COLUMN hash DROP NOT NULL`);
    await q.query(`CREATE UNIQUE INDEX audit_log_seq ON audit_log (seq)`);
    await q.query(`CREATE INDEX audit_log_unchained ON audit_log (id) WHERE seq IS NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DELETE FROM audit_log WHERE seq IS NULL`);
    await q.query(`DROP INDEX audit_log_unchained`);
    await q.query(`DROP INDEX audit_log_seq`);
    await q.query(`ALTER TABLE audit_log DROP CONSTRAINT audit_log_pkey`);
    await q.query(`ALTER TABLE audit_log DROP COLUMN id`);
    await q.query(`
      ALTER TABLE audit_log ALTER COLUMN seq SET NOT NULL, ALTER COLUMN prev_hash SET NOT NULL,
                            ALTER COLUMN hash SET NOT NULL`);
    await q.query(`ALTER TABLE audit_log ADD PRIMARY KEY (seq)`);
  }
}
