-- Named queries. Every block starts with "-- name: <name>". Parameters are bound ($name), never
-- formatted into the text. Member data is always filtered by the viewer:
--   ($all_members OR member_id = $member_id)

-- name: members
SELECT member_id, name, short_name, sector, sort_order
FROM members
WHERE ($all_members OR member_id = $member_id)
ORDER BY sort_order;

-- name: all_member_ids
SELECT member_id FROM members ORDER BY sort_order;

-- name: upsert_member
INSERT OR REPLACE INTO members VALUES ($member_id, $name, $short_name, $sector, $sort_order);

-- name: emissions_detail
-- [kWh] and [t CO2e] per member, year, carrier and scope (sites summed), on $basis ('standort' =
-- location-based BISKO, 'markt' = market-based Scope 2; view emissions_by_basis, migration 006).
-- In the network's order: member sort_order, year, carrier sort_order (as every table shows it).
SELECT e.member_id, e.year, e.carrier_id, e.scope,
       sum(e.kwh) AS kwh, sum(e.t_co2e) AS t_co2e,
       count(*) FILTER (WHERE e.t_co2e IS NULL) AS rows_without_factor
FROM emissions_by_basis e
JOIN members m USING (member_id)
JOIN carriers c USING (carrier_id)
WHERE e.basis = $basis AND ($all_members OR e.member_id = $member_id)
GROUP BY e.member_id, e.year, e.carrier_id, e.scope, m.sort_order, c.sort_order
ORDER BY m.sort_order, e.year, c.sort_order, e.scope;

-- name: network_totals
-- [t CO2e] of all members per year, with the number of members that reported (aggregate only).
SELECT year, sum(t_co2e) AS t_co2e, count(DISTINCT member_id) AS members_reporting
FROM emissions
GROUP BY year
ORDER BY year;

-- name: activity_table
SELECT a.member_id, m.short_name AS mitglied, a.year, a.carrier_id, c.name AS energietraeger,
       a.quantity,
       a.unit, a.site, a.remark, a.submission_id, s.file_name, s.submitted_at
FROM current_activity a
JOIN members m USING (member_id)
JOIN carriers c USING (carrier_id)
JOIN submissions s USING (submission_id)
WHERE ($all_members OR a.member_id = $member_id)
ORDER BY m.sort_order, a.year, c.sort_order, a.site;

-- name: data_as_of
-- "Stand": the newest submission behind the current data.
SELECT max(submitted_at) FROM active_submissions;

-- name: demo_flags
-- Whether any current data or target comes from the demo generator.
SELECT
    coalesce((SELECT bool_or(is_demo) FROM active_submissions), false)
    OR coalesce((SELECT bool_or(is_demo) FROM targets), false);

-- name: real_data
-- Whether any current submission, target or electricity contract is real: not from the demo generator and not entered
-- in the Demo-Modus (user starts with $demo_prefix, no login behind it). Targets taken from the
-- reference files ($network_file, $parent_file: published reference data, not member data) do
-- not count; a version the network management entered for them does.
SELECT
    EXISTS (
        SELECT 1 FROM active_submissions
        WHERE NOT is_demo AND NOT starts_with(submitted_by, $demo_prefix)
    )
    OR EXISTS (
        SELECT 1 FROM targets
        WHERE NOT is_demo
          AND coalesce(entered_by, '') NOT IN ($network_file, $parent_file)
          AND NOT starts_with(coalesce(entered_by, ''), $demo_prefix)
    )
    OR EXISTS (
        SELECT 1 FROM contract_uploads
        WHERE NOT is_demo AND NOT starts_with(entered_by, $demo_prefix)
    )
    OR EXISTS (  -- network work (migration 007): groups, meetings, decisions, actions, statuses
        SELECT 1 FROM (SELECT is_demo, created_by AS who FROM working_groups
                       UNION ALL SELECT is_demo, created_by FROM meetings
                       UNION ALL SELECT is_demo, created_by FROM decisions
                       UNION ALL SELECT is_demo, created_by FROM actions
                       UNION ALL SELECT is_demo, entered_by FROM action_status_log)
        WHERE NOT is_demo AND NOT starts_with(who, $demo_prefix)
    )
    OR EXISTS (  -- frozen annual reports (migration 010)
        SELECT 1 FROM report_freezes WHERE NOT is_demo AND NOT starts_with(frozen_by, $demo_prefix)
    )
    OR EXISTS (  -- measures (migration 008): every version
        SELECT 1 FROM measure_versions WHERE NOT is_demo AND NOT starts_with(entered_by, $demo_prefix)
    )
    OR EXISTS (  -- reporting rounds (migration 009): rounds, status entries, notes
        SELECT 1 FROM (SELECT is_demo, created_by AS who FROM report_rounds
                       UNION ALL SELECT is_demo, entered_by FROM round_status_log
                       UNION ALL SELECT is_demo, entered_by FROM round_notes)
        WHERE NOT is_demo AND NOT starts_with(who, $demo_prefix)
    );

-- name: carriers
SELECT carrier_id, name, scope, kind, sort_order FROM carriers ORDER BY sort_order;

-- name: factors
SELECT f.carrier_id, c.name, f.valid_from, f.g_co2e_per_kwh, f.status, f.derivation, f.source
FROM emission_factors f JOIN carriers c USING (carrier_id)
ORDER BY c.sort_order, f.valid_from;

-- name: conversions
SELECT u.carrier_id, c.name, u.unit, u.factor, u.target_unit, u.derivation, u.source
FROM unit_conversions u JOIN carriers c USING (carrier_id)
ORDER BY c.sort_order, u.factor, u.unit;

-- name: current_targets
-- The version in force on $as_of of every owner's target of $purpose ('ziel' or 'vorgabe'):
-- latest valid_from not after $as_of, ties by the newest row (members filtered by viewer;
-- 'netzwerk' always visible). A row without valid_from applies from the day it was set.
SELECT t.*
FROM targets t
WHERE coalesce(t.purpose, 'ziel') = $purpose
  -- a frozen report (migration 010, frozen_stand) reads the versions valid on its freezing day
  AND coalesce(t.valid_from, CAST(t.set_at AS DATE))
      <= least($as_of, coalesce((SELECT min(CAST(frozen_at AS DATE)) FROM frozen_stand), $as_of))
  AND (t.owner = 'netzwerk' OR $all_members OR t.owner = $member_id)
QUALIFY row_number() OVER (
    PARTITION BY t.owner
    ORDER BY coalesce(t.valid_from, CAST(t.set_at AS DATE)) DESC, t.target_id DESC
) = 1
ORDER BY t.owner;

-- name: milestones
SELECT target_id, year, reduction_pct FROM target_milestones ORDER BY target_id, year;

-- name: insert_target
INSERT INTO targets (owner, set_at, base_year, base_value_t, neutrality_year, residual_pct,
                     basis, source, is_demo, purpose, kind, body, scopes, agreed_on, entered_by,
                     valid_from, verified)
VALUES ($owner, $set_at, $base_year, $base_value_t, $neutrality_year, $residual_pct,
        $basis, $source, $is_demo, $purpose, $kind, $body, $scopes, $agreed_on, $entered_by,
        $valid_from, $verified)
RETURNING target_id;

-- name: insert_milestone
INSERT INTO target_milestones VALUES ($target_id, $year, $reduction_pct);

-- name: insert_submission
INSERT INTO submissions (member_id, submitted_by, submitted_at, file_name, sha256, size_bytes,
                         n_rows, status, is_demo, errors)
VALUES ($member_id, $submitted_by, $submitted_at, $file_name, $sha256, $size_bytes,
        $n_rows, $status, $is_demo, $errors)
RETURNING submission_id;

-- name: has_submissions
-- Whether any upload (or demo submission) was ever recorded: demo data never mixes with real ones.
SELECT count(*) > 0 FROM submissions;

-- name: insert_demo_activity
INSERT INTO activity (submission_id, line_no, member_id, year, carrier_id, quantity, unit, site,
                      remark)
VALUES ($submission_id, $line_no, $member_id, $year, $carrier_id, $quantity, $unit, '', NULL);

-- name: meta_get
SELECT value FROM meta WHERE key = $key;

-- name: meta_set
INSERT OR REPLACE INTO meta VALUES ($key, $value);

-- name: completeness
-- Per member and year: carriers present vs expected (= every carrier the member ever reported).
WITH present AS (
    SELECT DISTINCT member_id, year, carrier_id
    FROM current_activity
    WHERE ($all_members OR member_id = $member_id)
),
expected AS (SELECT DISTINCT member_id, carrier_id FROM present),
years AS (
    SELECT range AS year
    FROM range((SELECT min(year) FROM present), (SELECT max(year) FROM present) + 1)
),
grid AS (
    SELECT e.member_id, y.year, e.carrier_id, p.carrier_id IS NOT NULL AS ok
    FROM expected e CROSS JOIN years y
    LEFT JOIN present p USING (member_id, year, carrier_id)
)
SELECT g.member_id, g.year::INTEGER AS year,
       CASE WHEN bool_and(ok) THEN 'vollständig' WHEN bool_or(ok) THEN 'teilweise'
            ELSE 'fehlt' END AS status,
       count(*) FILTER (WHERE ok) AS present,
       count(*) AS expected,
       coalesce(string_agg(c.name, ', ' ORDER BY c.sort_order) FILTER (WHERE NOT ok), '')
           AS missing_carriers
FROM grid g
JOIN carriers c USING (carrier_id)
JOIN members m USING (member_id)
GROUP BY g.member_id, g.year, m.sort_order
ORDER BY m.sort_order, g.year;

-- name: factor_years
-- Per year and energy carrier with data (members filtered by viewer) the factor record the view
-- `emissions` used: factor_year (its valid_from; NULL = "Faktor fehlt"), factor_status, how
-- many factor records the carrier has (1 = one factor for all years, e.g. the BISKO fuel values),
-- and where the factor comes from: factor_origin 'netz' (district-heat network heat_network,
-- a year series of its own) or 'bund' (emission_factors).
-- With $by_member, one row per member too (member_id; else NULL): members on different
-- district-heat networks get different marks in the same year.
SELECT DISTINCT e.year, e.carrier_id, c.name, c.kind, e.factor_year, e.factor_status,
       coalesce(n.n_records, 0) AS n_records, e.factor_origin, coalesce(e.heat_network, '')
           AS heat_network, CASE WHEN $by_member THEN e.member_id END AS member_id, c.sort_order
FROM emissions e
JOIN carriers c USING (carrier_id)
LEFT JOIN (SELECT carrier_id, count(*) AS n_records FROM emission_factors GROUP BY carrier_id) n
    USING (carrier_id)
WHERE ($all_members OR e.member_id = $member_id)
ORDER BY e.year, c.sort_order, e.factor_origin, heat_network;
