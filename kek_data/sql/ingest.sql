-- Named queries of the upload (kek_data/ingest). Every block starts with "-- name: <name>";
-- parameters are bound ($name). The temp tables upload_* live in the importing connection only.

-- name: upload_drop
DROP TABLE IF EXISTS upload_raw;
DROP TABLE IF EXISTS upload_lines;
DROP TABLE IF EXISTS upload_typed;
DROP TABLE IF EXISTS upload_errors;
DROP TABLE IF EXISTS upload_bad;
DROP VIEW IF EXISTS upload_valid;
DROP VIEW IF EXISTS upload_rows;

-- name: upload_file
-- The uploaded file as read_csv reads it (included in the blocks below by its name in double
-- braces): the dialect found by kek_data.ingest.reader, every field text, the header line
-- skipped (we parsed it).
read_csv($path, auto_detect = false, header = false, delim = $delim, quote = '"', escape = '"',
         skip = $skip, null_padding = true, parallel = $parallel, columns = $columns,
         max_line_size = 1048576)

-- name: upload_raw_from_csv
-- The file's fields as text (only re-read to list values in columns without a header).
CREATE TEMP TABLE upload_raw AS
SELECT * FROM {{upload_file}};

-- name: upload_lines_none
CREATE TEMP TABLE upload_lines (idx BIGINT, line_no INTEGER);

-- name: upload_lines_from_frame
CREATE TEMP TABLE upload_lines AS
SELECT CAST(idx AS BIGINT) AS idx, CAST(line_no AS INTEGER) AS line_no FROM upload_line_frame;

-- name: upload_cells
-- One row per record of the file, in file order, straight from read_csv (all fields text; the
-- header line is skipped, we parsed it): the typed cells every rule of upload_rules.sql reads.
-- Blank flags, trimmed site and remark, the year, carrier and canonical unit (lookups in maps
-- from carrier_aliases / unit_aliases, NFC second chance; traeger_key = the carrier cell in lower
-- case, for rules on one spelling such as "Kältemittel"), whether the unit fits the carrier
-- (map carrier -> units of unit_conversions), the quantity [unit] when the cell matches
-- kek_data.numbers.GERMAN_NUMBER_REGEX (menge_kind 1 = plain "1.234,5" converted with two
-- replacements, 2 = other separators or padding), text in columns without a header (Excel's
-- trailing columns; $has_x = false marks a canonical name that only pads), and "bad": some row
-- rule hits (@rule_bad@, put in by kek_data.ingest.rules). Used by the full check
-- (upload_typed) and the direct import (upload_direct_insert) alike.
WITH r AS (
    SELECT *, concat_ws('', *COLUMNS('^x[0-9]+$')) AS x_text
    FROM {{upload_file}}
),
c AS (
    SELECT
        NOT $has_jahr OR CASE WHEN coalesce(r.jahr, '') = '' THEN true
             WHEN ascii(r.jahr) IN (9, 10, 13, 32, 160, 8239) THEN trim(r.jahr, $trim) = ''
             ELSE false END AS jahr_blank,
        NOT $has_traeger OR CASE WHEN coalesce(r.energietraeger, '') = '' THEN true
             WHEN ascii(r.energietraeger) IN (9, 10, 13, 32, 160, 8239) THEN trim(r.energietraeger, $trim) = ''
             ELSE false END AS traeger_blank,
        NOT $has_menge OR CASE WHEN coalesce(r.menge, '') = '' THEN true
             WHEN ascii(r.menge) IN (9, 10, 13, 32, 160, 8239) THEN trim(r.menge, $trim) = ''
             ELSE false END AS menge_blank,
        NOT $has_einheit OR CASE WHEN coalesce(r.einheit, '') = '' THEN true
             WHEN ascii(r.einheit) IN (9, 10, 13, 32, 160, 8239) THEN trim(r.einheit, $trim) = ''
             ELSE false END AS einheit_blank,
        CASE WHEN NOT $has_standort OR coalesce(r.standort, '') = '' THEN ''
             WHEN ascii(r.standort) IN (9, 10, 13, 32, 160, 8239) OR ascii(right(r.standort, 1)) IN (9, 10, 13, 32, 160, 8239)
                 THEN trim(r.standort, $trim)
             ELSE r.standort END AS site,
        CASE WHEN NOT $has_bemerkung OR coalesce(r.bemerkung, '') = '' THEN NULL
             WHEN ascii(r.bemerkung) IN (9, 10, 13, 32, 160, 8239) OR ascii(right(r.bemerkung, 1)) IN (9, 10, 13, 32, 160, 8239)
                 THEN nullif(trim(r.bemerkung, $trim), '')
             ELSE r.bemerkung END AS remark,
        CASE WHEN regexp_full_match(r.jahr, '[0-9]{4}') THEN CAST(r.jahr AS INTEGER)
             WHEN regexp_full_match(r.jahr, $year_regex)
                 THEN TRY_CAST(trim(r.jahr, $trim) AS INTEGER) END AS year,
        coalesce(map_extract_value(MAP($carrier_keys, $carrier_ids), lower(r.energietraeger)),
                 map_extract_value(MAP($carrier_keys, $carrier_ids),
                                   lower(nfc_normalize(trim(r.energietraeger, $trim)))))
            AS carrier_id,
        lower(r.energietraeger) AS traeger_key,
        coalesce(map_extract_value(MAP($unit_keys, $unit_ids), lower(r.einheit)),
                 map_extract_value(MAP($unit_keys, $unit_ids),
                                   lower(nfc_normalize(trim(r.einheit, $trim))))) AS unit,
        CASE WHEN regexp_full_match(r.menge, $simple_number) THEN 1
             WHEN regexp_full_match(r.menge, $number_regex) THEN 2
             ELSE 0 END AS menge_kind,
        concat_ws('', r.x_text,
                  CASE WHEN NOT $has_jahr THEN r.jahr END,
                  CASE WHEN NOT $has_traeger THEN r.energietraeger END,
                  CASE WHEN NOT $has_menge THEN r.menge END,
                  CASE WHEN NOT $has_einheit THEN r.einheit END,
                  CASE WHEN NOT $has_standort THEN r.standort END,
                  CASE WHEN NOT $has_bemerkung THEN r.bemerkung END) AS extra_text,
        r.menge
    FROM r
),
q AS (
    SELECT c.* EXCLUDE (extra_text, menge),
           CASE WHEN extra_text = '' THEN false ELSE trim(extra_text, $trim) <> '' END
               AS has_extra,
           coalesce(starts_with(remark, $example_prefix), false) AS is_example,
           coalesce(list_contains(map_extract_value(MAP($fit_carriers, $fit_units), carrier_id),
                                  unit), false) AS unit_fits,
           CASE menge_kind
               WHEN 1 THEN TRY_CAST(replace(replace(menge, '.', ''), ',', '.') AS DOUBLE)
               WHEN 2 THEN TRY_CAST(replace(replace(replace(replace(replace(replace(
                   trim(menge, $trim), '.', ''), ' ', ''), chr(160), ''), chr(8239), ''),
                   ',', '.'), chr(8722), '-') AS DOUBLE)
           END AS quantity
    FROM c
),
e AS (
    SELECT q.*,
           jahr_blank AND traeger_blank AND menge_blank AND einheit_blank AND site = ''
               AND remark IS NULL AND NOT has_extra AS is_empty
    FROM q
)
SELECT e.*, NOT is_empty AND (@rule_bad@) AS bad
FROM e

-- name: upload_typed
-- The full check's table of every record (rowid = record index), with its line (set below).
CREATE TEMP TABLE upload_typed AS
SELECT NULL::INTEGER AS line_no, t.*
FROM ({{upload_cells}}) t;

-- name: upload_rows_from_typed
-- The records the set rules of upload_rules.sql look at: the full check's ...
CREATE OR REPLACE TEMP VIEW upload_rows AS
SELECT line_no, year, carrier_id, site FROM upload_typed
WHERE NOT is_empty AND year IS NOT NULL AND carrier_id IS NOT NULL;

-- name: upload_rows_from_pending
-- ... or the rows the direct import appended (rowid stands for the line: only counted there).
CREATE OR REPLACE TEMP VIEW upload_rows AS
SELECT rowid AS line_no, year, carrier_id, site FROM activity WHERE submission_id = -1;

-- name: upload_rule_condition
-- One row rule's condition in "bad" (kek_data.ingest.rules joins them with OR; NULL = no hit).
coalesce((@condition@), false)

-- name: upload_rule_none
false

-- name: upload_rule_list
-- The row rules' results of one record (kek_data.ingest.rules fills in one item per rule).
[@items@]

-- name: upload_rule_hit
-- One row rule's result for one record: whether it hits, its number and column, the quoted
-- value and a detail for the message.
{'hit': coalesce((@condition@), false), 'rule': @rule@, 'col': @col@,
 'value': CAST((@value@) AS VARCHAR), 'detail': CAST((@detail@) AS VARCHAR)}

-- name: upload_set_rule_errors
-- The hits of one set rule as problems of the full check.
INSERT INTO upload_errors
SELECT line_no, @col@, @rule@, value, detail FROM (@query@);

-- name: upload_set_rule_count
-- Whether one set rule hits the rows of the direct import (then the full check explains).
SELECT count(*) FROM (@query@);

-- name: upload_bad_text
-- The cell texts of the bad rows (for messages and the preview), from the file re-read into
-- upload_raw with the same column names; rid = rowid of upload_typed.
CREATE TEMP TABLE upload_bad AS
SELECT t.rid, r.jahr AS v_jahr, r.energietraeger AS v_traeger, r.menge AS v_menge,
       r.einheit AS v_einheit
FROM (SELECT rowid AS rid, bad FROM upload_typed) t POSITIONAL JOIN upload_raw r
WHERE t.bad;
DROP TABLE upload_raw;

-- name: upload_bad_none
CREATE TEMP TABLE upload_bad (rid BIGINT, v_jahr VARCHAR, v_traeger VARCHAR, v_menge VARCHAR,
                              v_einheit VARCHAR);

-- name: upload_set_lines_simple
-- Simple files: record i (rowid) is on line $first_line + i.
UPDATE upload_typed SET line_no = rowid + $first_line;

-- name: upload_set_lines_mapped
-- Files with blank lines, quoted line breaks or sheet rows: the line map (upload_lines).
UPDATE upload_typed SET line_no = l.line_no
FROM upload_lines l
WHERE l.idx = upload_typed.rowid;

-- name: upload_errors
-- Every problem of a row rule as (line, column position, rule number, value, detail); columns
-- the file lacks are skipped by the rules ($has_* = false) because the header error names them.
CREATE TEMP TABLE upload_errors AS
WITH b AS (
    SELECT t.*, x.v_jahr, x.v_traeger, x.v_menge, x.v_einheit
    FROM (SELECT rowid AS rid, * FROM upload_typed WHERE bad) t
    LEFT JOIN upload_bad x USING (rid)
),
h AS (
    SELECT line_no, list_filter(@rule_hits@, lambda x: x.hit) AS hits FROM b
),
u AS (
    SELECT line_no, unnest(hits) AS x FROM h
)
SELECT line_no, x.col AS col, x.rule AS rule, x.value AS value, x.detail AS detail FROM u;

-- name: upload_extra_errors
-- Values in columns without a header (Excel's trailing columns must be empty); upload_raw is
-- the file re-read with every position beyond the header named x<position>.
INSERT INTO upload_errors
SELECT line_no, 100 + CAST(substr(col, 2) AS INTEGER), $rule, val, col
FROM (
    UNPIVOT (SELECT t.line_no, COLUMNS('^x[0-9]+$')
             FROM (SELECT line_no FROM upload_typed) t POSITIONAL JOIN upload_raw r)
    ON COLUMNS('^x[0-9]+$') INTO NAME col VALUE val
)
WHERE trim(val, $trim) <> '';

-- name: upload_error_count
SELECT count(*) FROM upload_errors;

-- name: upload_error_rows
-- The first $limit problems in reading order: by line, then by the column's position in the
-- file ($positions[col] for the canonical columns 1..6, col - 100 for columns without header).
SELECT line_no, col, rule, value, detail
FROM upload_errors
ORDER BY line_no, CASE WHEN col >= 100 THEN col - 100 ELSE $positions[col] END, col, rule
LIMIT $limit;

-- name: upload_counts
-- Data rows (empty lines skipped) and the years they cover.
SELECT count(*), list(DISTINCT year ORDER BY year) FILTER (WHERE year IS NOT NULL)
FROM upload_typed WHERE NOT is_empty;

-- name: upload_preview
-- The first $limit data rows plus the rows in $lines: parsed values (cell text for bad rows),
-- [kWh] (net calorific value) and [t CO2e] with the factor valid in the row's year.
WITH p AS (
    SELECT t.*, x.v_jahr, x.v_traeger, x.v_menge, x.v_einheit
    FROM (SELECT rowid AS rid, * FROM upload_typed) t
    LEFT JOIN upload_bad x USING (rid)
    WHERE NOT is_empty
      AND (line_no <= (SELECT max(line_no) FROM (
              SELECT line_no FROM upload_typed WHERE NOT is_empty ORDER BY line_no LIMIT $limit))
           OR list_contains($lines, line_no))
)
SELECT p.line_no,
       coalesce(trim(p.v_jahr, $trim), CAST(p.year AS VARCHAR)) AS jahr,
       coalesce(trim(p.v_traeger, $trim), c.name) AS traeger,
       trim(p.v_menge, $trim) AS menge_text,
       p.quantity,
       coalesce(trim(p.v_einheit, $trim), p.unit) AS einheit,
       p.site AS standort, p.remark AS bemerkung, p.carrier_id, p.bad,
       activity_kwh(p.quantity, uc.factor, uc.target_unit) AS kwh,
       activity_t_co2e(p.quantity, uc.factor, uc.target_unit, ef.g_co2e_per_kwh) AS t_co2e
FROM p
LEFT JOIN carriers c ON c.carrier_id = p.carrier_id
LEFT JOIN unit_conversions uc ON uc.carrier_id = p.carrier_id AND uc.unit = p.unit
ASOF LEFT JOIN emission_factors ef ON ef.carrier_id = p.carrier_id AND p.year >= ef.valid_from
ORDER BY p.line_no;

-- name: upload_valid_from_typed
-- The rows to import (upload_year_summary, upload_years_with_data, insert_activity_from_upload):
-- the valid rows of upload_typed (full check) ...
CREATE OR REPLACE TEMP VIEW upload_valid AS
SELECT line_no, year, carrier_id, quantity, unit, site, remark FROM upload_typed
WHERE NOT is_empty AND NOT bad AND year IS NOT NULL;

-- name: upload_valid_from_staged
-- ... or the rows the page's check kept (kek_data.ingest.upload.Preview.staged, registered as
-- upload_staged) ...
CREATE OR REPLACE TEMP VIEW upload_valid AS
SELECT line_no, year, carrier_id, quantity, unit, site, remark FROM upload_staged;

-- name: upload_staged_rows
-- The valid rows of a checked file, kept by the preview for the import (no second parse).
SELECT line_no, year, carrier_id, quantity, unit, site, remark FROM upload_valid;

-- name: upload_valid_from_pending
-- ... or the rows the direct import appended under the placeholder submission_id -1
-- (kek_data.ingest.direct.PENDING), visible only inside its transaction.
CREATE OR REPLACE TEMP VIEW upload_valid AS
SELECT line_no, year, carrier_id, quantity, unit, site, remark FROM activity
WHERE submission_id = -1;

-- name: upload_year_summary
-- Per year of the file: rows, [kWh] and [t CO2e] of the file next to the member's current data
-- (quantities summed per year x carrier x unit first, then converted with the factor).
WITH f AS (
    SELECT year, carrier_id, unit, count(*) AS rows, sum(quantity) AS quantity
    FROM upload_valid
    GROUP BY ALL
),
g AS (
    SELECT f.year, sum(f.rows) AS rows,
           sum(activity_kwh(f.quantity, uc.factor, uc.target_unit)) AS kwh,
           sum(activity_t_co2e(f.quantity, uc.factor, uc.target_unit, ef.g_co2e_per_kwh))
               AS t_co2e
    FROM f
    LEFT JOIN unit_conversions uc USING (carrier_id, unit)
    ASOF LEFT JOIN emission_factors ef
        ON ef.carrier_id = f.carrier_id AND f.year >= ef.valid_from
    GROUP BY f.year
),
cur AS (
    SELECT year, sum(t_co2e) AS t_co2e_now, count(*) AS rows_now
    FROM emissions WHERE member_id = $member_id GROUP BY year
)
SELECT g.year, g.rows, g.kwh, g.t_co2e, cur.rows_now, cur.t_co2e_now
FROM g LEFT JOIN cur USING (year)
ORDER BY g.year;

-- name: upload_years_with_data
-- Years of the file for which the member already has current data (replacing needs consent).
SELECT DISTINCT year FROM current_activity
WHERE member_id = $member_id
  AND year IN (SELECT year FROM upload_valid)
ORDER BY year;

-- name: insert_activity_from_upload
INSERT INTO activity (submission_id, line_no, member_id, year, carrier_id, quantity, unit, site,
                      remark)
SELECT $submission_id, line_no, $member_id, year, carrier_id, quantity, unit, site, remark
FROM upload_valid;

-- name: submission_by_id
SELECT s.submission_id, s.member_id, s.status, s.sha256, s.file_name,
       EXISTS (SELECT 1 FROM submission_events e
               WHERE e.submission_id = s.submission_id AND e.event = 'rolled_back')
FROM submissions s WHERE s.submission_id = $submission_id;

-- name: insert_submission_event
INSERT INTO submission_events VALUES ($submission_id, $event, $event_at, $event_by, $note);

-- name: submission_history
-- A member's submissions, newest first, with the years they cover and their current state:
-- 'aktuell' (some year still shows its rows), 'ersetzt', 'zurückgenommen' or 'abgelehnt'.
WITH years AS (
    SELECT submission_id, list(DISTINCT year ORDER BY year) AS years, count(*) AS rows
    FROM activity WHERE member_id = $member_id GROUP BY submission_id
),
shown AS (SELECT DISTINCT submission_id FROM current_activity WHERE member_id = $member_id),
rolled AS (
    SELECT submission_id, max(event_at) AS rolled_back_at, arg_max(event_by, event_at) AS by
    FROM submission_events WHERE event = 'rolled_back' GROUP BY submission_id
)
SELECT s.submission_id, s.submitted_at, s.submitted_by, s.file_name, s.size_bytes, s.n_rows,
       s.sha256, s.status, s.is_demo, s.errors, y.years, r.rolled_back_at, r.by AS rolled_back_by,
       CASE WHEN s.status = 'rejected' THEN 'abgelehnt'
            WHEN r.submission_id IS NOT NULL THEN 'zurückgenommen'
            WHEN sh.submission_id IS NOT NULL THEN 'aktuell'
            ELSE 'ersetzt' END AS state
FROM submissions s
LEFT JOIN years y USING (submission_id)
LEFT JOIN shown sh USING (submission_id)
LEFT JOIN rolled r USING (submission_id)
WHERE s.member_id = $member_id
ORDER BY s.submission_id DESC;

-- name: recorded_files
-- Every recorded submission with its file hash (for the start-up store check).
SELECT submission_id, sha256, file_name, size_bytes, is_demo FROM submissions ORDER BY submission_id;

-- name: upload_direct_insert
-- Direct import of a simple file (kek_data.ingest.direct): every record straight from read_csv
-- into activity, in file order, under the placeholder submission_id $pending (line_no is set by
-- upload_direct_finish), typed by the same upload_cells as the full check. A record that some
-- row rule hits, or an empty record, makes error() abort the statement; the transaction is
-- rolled back and the full check runs and explains. Returns the rows appended.
INSERT INTO activity (submission_id, line_no, member_id, year, carrier_id, quantity, unit, site,
                      remark)
SELECT $pending, 0, $member_id, year, carrier_id,
       CASE WHEN bad OR is_empty THEN error('kek: direkter Import nicht möglich')
            ELSE quantity END,
       unit, site, remark
FROM ({{upload_cells}}) t;

-- name: upload_direct_finish
-- The appended rows get their submission and their line: record i of the file (in insertion
-- order, rowid) is on line $first_line + i, because the file has no blank line and no quote.
UPDATE activity
SET submission_id = $submission_id,
    line_no = rowid - (SELECT min(rowid) FROM activity WHERE submission_id = $pending)
              + $first_line
WHERE submission_id = $pending;

-- name: upload_carrier_aliases
-- Spellings of the carriers (lower case) and units, bound as lookup lists of upload_cells.
SELECT alias_key, carrier_id FROM carrier_aliases;

-- name: upload_unit_aliases
SELECT alias_key, unit FROM unit_aliases;

-- name: upload_carrier_names
SELECT carrier_id, name FROM carriers;

-- name: upload_units_of_carriers
-- Per carrier the units with a conversion, smallest factor first (unit fit and its message).
SELECT carrier_id, list(unit ORDER BY factor, unit) FROM unit_conversions GROUP BY carrier_id;

-- name: upload_lines_count
SELECT count(*) FROM upload_lines;

-- name: upload_any_bad
SELECT coalesce(bool_or(bad), false), coalesce(bool_or(has_extra), false) FROM upload_typed;

-- name: upload_begin
BEGIN TRANSACTION;

-- name: upload_commit
COMMIT;

-- name: upload_reset_memory_limit
RESET memory_limit;

-- name: set_memory_limit
-- DuckDB's memory cap for this instance, e.g. '256MiB' (the command line's direct import).
SET memory_limit = $limit;

-- name: bench_duckdb_table
-- The floors of bench/bench_import.py: DuckDB's own read of the file into a table (sniffing,
-- typing), the same with every column as text, and parsing only.
CREATE TABLE t AS SELECT * FROM read_csv($p);

-- name: bench_duckdb_varchar
CREATE TABLE t AS SELECT * FROM read_csv($p, delim = ';', header = true, all_varchar = true);

-- name: bench_duckdb_count
SELECT count(*) FROM read_csv($p);
