-- District-heat networks, their factors per year and the members' assignments
-- (kek_data/district_heat.py; tables and views: migrations/006_scope2_heat_weather.sql).

-- name: heat_networks
SELECT network_id, name, operator, coalesce(note, '') AS note
FROM heat_networks
ORDER BY network_id;

-- name: upsert_heat_network
INSERT INTO heat_networks (network_id, name, operator, note)
VALUES ($network_id, $name, $operator, $note)
ON CONFLICT (network_id) DO UPDATE SET
    name = excluded.name, operator = excluded.operator, note = excluded.note;

-- name: insert_heat_factor
-- One record: a value [g CO2e/kWh final energy] or NULL (withdraws the network's record of
-- valid_from); the newest record per network and valid_from is current (current_heat_factors).
INSERT INTO heat_network_factors (network_id, valid_from, g_co2e_per_kwh, method, source, status,
                                  entered_by, entered_at, is_demo)
VALUES ($network_id, $valid_from, $value, $method, $source, $status, $entered_by, $entered_at,
        $is_demo);

-- name: heat_factors_current
-- The factors in force, per network and valid_from (withdrawn records left out).
SELECT network_id, valid_from, g_co2e_per_kwh, method, source, status
FROM current_heat_factors
ORDER BY network_id, valid_from;

-- name: heat_factor_history
-- Every record ever entered, newest first within a network and year; current = the record
-- current_heat_factors takes (withdrawals included: a current NULL record withdraws).
SELECT factor_id, network_id, valid_from, g_co2e_per_kwh, method, source, status, entered_by,
       entered_at,
       row_number() OVER (PARTITION BY network_id, valid_from ORDER BY factor_id DESC) = 1
           AS current
FROM heat_network_factors
ORDER BY network_id, valid_from, factor_id DESC;

-- name: insert_heat_assignment
-- A member draws its district heat from network_id (NULL: none known, German average) from
-- valid_from on; the newest record per member and valid_from is current.
INSERT INTO member_heat_networks (member_id, network_id, valid_from, entered_by, entered_at,
                                  is_demo)
VALUES ($member_id, $network_id, $valid_from, $entered_by, $entered_at, $is_demo);

-- name: heat_assignments_current
-- The assignments in force of the members the viewer may see (own organisation, or all).
SELECT a.member_id, a.network_id, a.valid_from
FROM current_heat_assignments a
JOIN members m USING (member_id)
WHERE ($all_members OR a.member_id = $member_id)
ORDER BY m.sort_order, a.valid_from;

-- name: heat_factors_used
-- Per member (viewer-filtered) and year with district heat: which factor the view `emissions`
-- used — origin 'netz' (network heat_network, record valid_from = factor_year) or 'bund' (the
-- German average of emission_factors) — its value [g CO2e/kWh], and the year's kWh and t CO2e.
WITH used AS (
    SELECT member_id, year, factor_origin, heat_network, factor_year, factor_status,
           sum(kwh) AS kwh, sum(t_co2e) AS t_co2e
    FROM emissions
    WHERE carrier_id = $carrier_id AND ($all_members OR member_id = $member_id)
    GROUP BY ALL
)
SELECT u.member_id, u.year, u.factor_origin, u.heat_network, u.factor_year, u.factor_status,
       CASE WHEN u.factor_origin = 'netz' THEN hf.g_co2e_per_kwh ELSE ef.g_co2e_per_kwh END
           AS g_co2e_per_kwh,
       u.kwh, u.t_co2e
FROM used u
JOIN members m USING (member_id)
LEFT JOIN current_heat_factors hf
    ON hf.network_id = u.heat_network AND hf.valid_from = u.factor_year
LEFT JOIN emission_factors ef
    ON ef.carrier_id = $carrier_id AND ef.valid_from = u.factor_year
ORDER BY m.sort_order, u.year;
