-- Frozen annual reports (kek_data/frozen_reports.py, migration 010).

-- name: freeze_next_id
SELECT nextval('report_freeze_seq');

-- name: freeze_db_file
-- The file of the connection's main database (path of current_database()).
SELECT current_database(), path FROM duckdb_databases() WHERE database_name = current_database();

-- name: freeze_attach
ATTACH $path AS kek_freeze;

-- name: freeze_checkpoint
CHECKPOINT kek_freeze;

-- name: freeze_detach
DETACH kek_freeze;

-- name: freeze_mark_snapshot
INSERT INTO kek_freeze.frozen_stand (freeze_id, year, frozen_at, frozen_by, note)
VALUES ($freeze_id, $year, $frozen_at, $frozen_by, $note);

-- name: freeze_row_in_snapshot
-- The snapshot's own row (so that a reporting round in the snapshot reads "eingefroren"); no
-- checksum: a file cannot contain its own.
INSERT INTO kek_freeze.report_freezes (freeze_id, year, frozen_at, frozen_by, note, file_name,
                                       sha256, size_bytes, schema_version, figures_json, is_demo)
VALUES ($freeze_id, $year, $frozen_at, $frozen_by, $note, $file_name, '', 0, $schema_version,
        '{}', $is_demo);

-- name: freeze_insert
INSERT INTO report_freezes (freeze_id, year, frozen_at, frozen_by, note, file_name, sha256,
                            size_bytes, schema_version, figures_json, is_demo)
VALUES ($freeze_id, $year, $frozen_at, $frozen_by, $note, $file_name, $sha256, $size_bytes,
        $schema_version, $figures_json, $is_demo);

-- name: freeze_list
-- Every Berichtsstand, newest first (of the live database: not the snapshot's own row).
SELECT freeze_id, year, frozen_at, frozen_by, note, file_name, sha256, size_bytes,
       schema_version, figures_json, is_demo
FROM report_freezes
WHERE sha256 <> ''
ORDER BY frozen_at DESC, freeze_id DESC;

-- name: freeze_stand
SELECT freeze_id, year, frozen_at, frozen_by, note, drift FROM frozen_stand LIMIT 1;

-- name: freeze_set_drift
UPDATE frozen_stand SET drift = $drift;

-- name: freeze_active_submissions
-- Current submissions the viewer may see (own organisation, all for network and city).
SELECT submission_id, member_id, file_name, submitted_at, submitted_by
FROM active_submissions
WHERE $all_members OR member_id = $member_id;

-- name: freeze_targets
-- Every target version the viewer may read (own and the network's; all for network and city).
SELECT target_id, owner, coalesce(purpose, 'ziel') AS purpose, kind,
       coalesce(valid_from, CAST(set_at AS DATE)) AS valid_from, entered_by
FROM targets
WHERE owner = 'netzwerk' OR $all_members OR owner = $member_id;

-- name: freeze_factors
SELECT carrier_id, valid_from, g_co2e_per_kwh, status FROM emission_factors;

-- name: freeze_has_relation
SELECT count(*) > 0 FROM duckdb_tables() WHERE table_name = $name AND database_name = current_database()
UNION ALL
SELECT count(*) > 0 FROM duckdb_views() WHERE view_name = $name AND database_name = current_database();

-- name: freeze_measures
-- Current measures the viewer may see (own organisation, all for network and city).
SELECT measure_id, member_id, title, status FROM current_measures
WHERE $all_members OR member_id = $member_id;

-- name: freeze_copy
-- The whole database into the attached snapshot. COPY FROM DATABASE takes catalog names, no
-- bound parameters: {catalog} is replaced by the quoted name DuckDB reports for the connection's
-- own database (current_database(), frozen_reports._quoted), never by user input.
COPY FROM DATABASE {catalog} TO kek_freeze;

-- name: freeze_round_status
-- The newest recorded round status per year and member the viewer may see (migration 009).
SELECT year, member_id, status FROM round_status_log
WHERE $all_members OR member_id = $member_id
QUALIFY row_number() OVER (PARTITION BY year, member_id ORDER BY entered_at DESC, entry_id DESC) = 1;
