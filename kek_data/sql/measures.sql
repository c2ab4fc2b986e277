-- Measures (Maßnahmen), kek_data/measures.py. Members are filtered in Python by the viewer's
-- visibility (own, other members' public ones by consent); $all_members / $member_id narrow first.

-- name: insert_measure
INSERT INTO measures (member_id, created_at, created_by, is_demo)
VALUES ($member_id, $created_at, $created_by, $is_demo)
RETURNING measure_id;

-- name: insert_measure_version
INSERT INTO measure_versions (measure_id, version_no, entered_at, entered_by, comment, title,
    description, field, status, start_year, end_year, completion_pct, saving_t_per_year,
    saving_quantity, saving_unit, saving_carrier_id, responsible, group_id, visibility, is_demo)
VALUES ($measure_id, $version_no, $entered_at, $entered_by, $comment, $title, $description, $field,
    $status, $start_year, $end_year, $completion_pct, $saving_t_per_year, $saving_quantity,
    $saving_unit, $saving_carrier_id, $responsible, $group_id, $visibility, $is_demo);

-- name: measure_owner
-- The member a measure belongs to and its newest version number (no row: unknown measure).
SELECT m.member_id, max(v.version_no) AS version_no
FROM measures m JOIN measure_versions v USING (measure_id)
WHERE m.measure_id = $measure_id
GROUP BY m.member_id;

-- name: measure_versions
-- Every version of one measure, oldest first.
SELECT * FROM measure_versions WHERE measure_id = $measure_id ORDER BY version_no;

-- name: all_measure_versions
-- Every version of every measure (the append-only check of the tests), in order.
SELECT * FROM measure_versions ORDER BY measure_id, version_no;

-- name: current_measures_rows
-- The versions in force, with the working group's name; members narrowed by the viewer's params.
SELECT cm.*, wg.name AS group_name
FROM current_measures cm
LEFT JOIN working_groups wg USING (group_id)
LEFT JOIN members mem ON mem.member_id = cm.member_id
WHERE ($all_members OR cm.member_id = $member_id OR cm.visibility = 'öffentlich')
ORDER BY mem.sort_order, cm.member_id, cm.measure_id;

-- name: measure_savings
-- Per measure in force (narrowed as current_measures_rows) the saving [t CO2e/a]: given, or the
-- energy [saving_unit/a] -> [kWh] (unit_conversions) x the emission factor valid in effect_year
-- = end_year + 1, the first full year of the saving: the member's district-heat network factor
-- as the view `emissions` picks it (migration 006), else emission_factors; formula macros of
-- migration 002. n_records: the carrier's factor records (>1: a year series, carried years marked).
WITH m AS (
    SELECT cm.*, cm.end_year + 1 AS effect_year, wg.name AS group_name,
           mem.sort_order AS member_order
    FROM current_measures cm
    LEFT JOIN working_groups wg USING (group_id)
    LEFT JOIN members mem ON mem.member_id = cm.member_id
    WHERE ($all_members OR cm.member_id = $member_id OR cm.visibility = 'öffentlich')
),
assigned AS (
    SELECT m.*, ha.network_id
    FROM m
    ASOF LEFT JOIN current_heat_assignments ha
        ON ha.member_id = m.member_id AND m.effect_year >= ha.valid_from
),
local AS (
    SELECT a.*, hf.valid_from AS heat_year, hf.g_co2e_per_kwh AS heat_g, hf.status AS heat_status
    FROM assigned a
    ASOF LEFT JOIN current_heat_factors hf
        ON hf.carrier_id = a.saving_carrier_id AND hf.network_id = a.network_id
       AND a.effect_year >= hf.valid_from
),
converted AS (
    SELECT l.*, uc.factor AS conversion, uc.target_unit, c.name AS carrier_name
    FROM local l
    LEFT JOIN unit_conversions uc
        ON uc.carrier_id = l.saving_carrier_id AND uc.unit = l.saving_unit
    LEFT JOIN carriers c ON c.carrier_id = l.saving_carrier_id
),
factored AS (
    SELECT cv.*, ef.valid_from AS ef_year, ef.g_co2e_per_kwh AS ef_g, ef.status AS ef_status
    FROM converted cv
    ASOF LEFT JOIN emission_factors ef
        ON ef.carrier_id = cv.saving_carrier_id AND cv.effect_year >= ef.valid_from
)
SELECT f.* EXCLUDE (ef_year, ef_g, ef_status, heat_year, heat_g, heat_status, network_id),
       activity_kwh(f.saving_quantity, f.conversion, f.target_unit) AS saving_kwh,
       coalesce(f.heat_g, f.ef_g) AS g_co2e_per_kwh,
       CASE WHEN f.heat_g IS NOT NULL THEN f.heat_year ELSE f.ef_year END AS factor_year,
       CASE WHEN f.heat_g IS NOT NULL THEN f.heat_status ELSE f.ef_status END AS factor_status,
       CASE WHEN f.heat_g IS NOT NULL THEN 'netz' ELSE 'bund' END AS factor_origin,
       CASE WHEN f.heat_g IS NOT NULL THEN f.network_id ELSE '' END AS heat_network,
       coalesce(n.n_records, 0) AS n_records,
       CASE WHEN f.saving_t_per_year IS NOT NULL THEN f.saving_t_per_year
            ELSE activity_t_co2e(f.saving_quantity, f.conversion, f.target_unit,
                                 coalesce(f.heat_g, f.ef_g)) END AS saving_t
FROM factored f
LEFT JOIN (SELECT carrier_id, count(*) AS n_records FROM emission_factors GROUP BY carrier_id) n
    ON n.carrier_id = f.saving_carrier_id
ORDER BY f.member_order, f.member_id, f.measure_id;

-- name: measure_units
-- Carriers a saving can be given in (kind 'energie') with their units, in the carriers' order.
SELECT c.carrier_id, c.name, uc.unit
FROM carriers c JOIN unit_conversions uc USING (carrier_id)
WHERE c.kind = 'energie' AND uc.target_unit = 'kWh'
ORDER BY c.sort_order, uc.factor;

-- name: working_group_names
-- Working groups (migration 007) by id.
SELECT group_id, name FROM working_groups ORDER BY name;
