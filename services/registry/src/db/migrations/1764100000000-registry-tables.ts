import type { MigrationInterface, QueryRunner } from 'typeorm';

// Designed for 10^7 entities: every lookup has its index; name search goes through a GIN index of the name's
// unigrams and bigrams (pg_trgm's word splitting depends on the server's locale and drops CJK text in the C locale,
// so the tokens are computed in the domain instead).
export class RegistryTables1764100000000 implements MigrationInterface {
  name = 'RegistryTables1764100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE entity (
        id                   bigserial PRIMARY KEY,
        uscc                 char(18) UNIQUE,
        registration_number  varchar(15) UNIQUE,
        organization_code    char(9),
        name                 text NOT NULL,
        name_tokens          text[] NOT NULL,
        kind                 text NOT NULL,
        division_code        char(6) NOT NULL,
        legal_representative text,
        address              text,
        established_on       date,
        reporting_department text NOT NULL,
        version              integer NOT NULL DEFAULT 1,
        registered_at        timestamptz NOT NULL DEFAULT now(),
        updated_at           timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT entity_has_a_code CHECK (uscc IS NOT NULL OR registration_number IS NOT NULL)
      )`);
    await q.query(`CREATE INDEX entity_organization_code ON entity (organization_code)`);
    await q.query(`CREATE INDEX entity_name_tokens ON entity USING gin (name_tokens)`);
    await q.query(`CREATE INDEX entity_name_keyset ON entity (name, id)`);
    // 重错码 statistics: one row per reporting department and day, so the report never scans submissions.
    await q.query(`
      CREATE TABLE code_quality_daily (
        department text NOT NULL,
        day        date NOT NULL,
        submitted  bigint NOT NULL DEFAULT 0,
        erroneous  bigint NOT NULL DEFAULT 0,
        duplicate  bigint NOT NULL DEFAULT 0,
        PRIMARY KEY (department, day)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE code_quality_daily`);
    await q.query(`DROP TABLE entity`);
  }
}
