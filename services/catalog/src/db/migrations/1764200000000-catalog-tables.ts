import type { MigrationInterface, QueryRunner } from 'typeorm';

// Items hold their current revision; a published version copies the confirmed revisions into version_item, where a
// trigger refuses every change, so "published versions are immutable" holds even against a careless UPDATE.
export class CatalogTables1764200000000 implements MigrationInterface {
  name = 'CatalogTables1764200000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE catalog_item (
        code              text PRIMARY KEY,
        name              text NOT NULL,
        owner_department  text NOT NULL,
        level             text NOT NULL,
        category          text NOT NULL,
        fields            jsonb NOT NULL,
        disclosure        text NOT NULL,
        update_frequency  text NOT NULL,
        legal_basis       text NOT NULL,
        state             text NOT NULL CHECK (state IN ('draft', 'submitted', 'confirmed')),
        revision          integer NOT NULL,
        confirmed_by      text,
        confirmed_at      timestamptz,
        published_version integer,
        return_reason     text,
        created_at        timestamptz NOT NULL,
        updated_at        timestamptz NOT NULL
      )`);
    // Keyset pages by code under each filter; publication reads the confirmed items.
    await q.query(`CREATE INDEX catalog_item_owner ON catalog_item (owner_department, code)`);
    await q.query(`CREATE INDEX catalog_item_state ON catalog_item (state, code)`);
    await q.query(`CREATE INDEX catalog_item_category ON catalog_item (category, code)`);
    await q.query(`
      CREATE TABLE catalog_version (
        version      integer PRIMARY KEY,
        label        text NOT NULL UNIQUE,
        published_at timestamptz NOT NULL,
        published_by text NOT NULL,
        item_count   integer NOT NULL
      )`);
    await q.query(`
      CREATE TABLE catalog_version_item (
        version          integer NOT NULL REFERENCES catalog_version (version),
        code             text NOT NULL,
        revision         integer NOT NULL,
        name             text NOT NULL,
        owner_department text NOT NULL,
        level            text NOT NULL,
        category         text NOT NULL,
        fields           jsonb NOT NULL,
        disclosure       text NOT NULL,
        update_frequency text NOT NULL,
        legal_basis      text NOT NULL,
        confirmed_by     text NOT NULL,
        confirmed_at     timestamptz NOT NULL,
        PRIMARY KEY (version, code)
      )`);
    await q.query(`
      CREATE FUNCTION catalog_version_is_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'published catalog versions are immutable';
      END $$`);
    for (const table of ['catalog_version', 'catalog_version_item']) {
      await q.query(`
        CREATE TRIGGER ${table}_immutable BEFORE UPDATE OR DELETE ON ${table}
        FOR EACH ROW EXECUTE FUNCTION catalog_version_is_immutable()`);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE catalog_version_item`);
    await q.query(`DROP TABLE catalog_version`);
    await q.query(`DROP FUNCTION catalog_version_is_immutable()`);
    await q.query(`DROP TABLE catalog_item`);
  }
}
