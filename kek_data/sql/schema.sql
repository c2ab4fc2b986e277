-- Bookkeeping of the schema itself (kek_data/db.py): which migrations of sql/migrations/ a
-- database file already has. Runs before any migration, so it may not rely on them.

-- name: schema_version_table_exists
SELECT count(*) FROM information_schema.tables WHERE table_name = 'schema_version';

-- name: schema_version_current
SELECT max(version) FROM schema_version;

-- name: schema_version_create
CREATE TABLE IF NOT EXISTS schema_version
    (version INTEGER PRIMARY KEY, applied_at TIMESTAMP NOT NULL);

-- name: schema_version_insert
INSERT INTO schema_version VALUES ($version, current_timestamp::TIMESTAMP);
