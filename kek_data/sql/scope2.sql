-- Market-based Scope 2 per member and year (kek_data/scope2.py). The formula is the view
-- emissions_market (migration 006); this query only lays its parts side by side.

-- name: scope2_years
WITH location AS (
    SELECT member_id, year, sum(t_co2e) AS location_t
    FROM emissions
    WHERE carrier_id = 'strom' AND ($all_members OR member_id = $member_id)
    GROUP BY member_id, year
),
proofs AS (
    SELECT member_id, year, string_agg(DISTINCT proof, ', ' ORDER BY proof) AS proofs
    FROM current_contracts
    GROUP BY member_id, year
)
SELECT me.member_id, me.year, me.kwh, me.contract_kwh, me.contract_t, me.rest_kwh,
       me.residual_g, me.residual_year, me.residual_status, l.location_t, me.t_co2e, p.proofs
FROM market_electricity me
JOIN location l USING (member_id, year)
JOIN members m USING (member_id)
LEFT JOIN proofs p USING (member_id, year)
ORDER BY m.sort_order, me.year;

-- name: scope2_orphans
SELECT DISTINCT c.member_id, c.year
FROM current_contracts c
LEFT JOIN (SELECT DISTINCT member_id, year FROM emissions WHERE carrier_id = 'strom') s
    USING (member_id, year)
WHERE s.member_id IS NULL AND ($all_members OR c.member_id = $member_id)
ORDER BY c.member_id, c.year;

-- name: insert_contract_upload
INSERT INTO contract_uploads (member_id, years, file_name, sha256, entered_by, entered_at, is_demo)
VALUES ($member_id, $years, $file_name, $sha256, $entered_by, $entered_at, $is_demo)
RETURNING upload_id;

-- name: insert_contract
INSERT INTO contracts VALUES ($upload_id, $line_no, $member_id, $year, $kwh, $g, $proof,
                              $supplier, $product, $remark);

-- name: current_contracts
-- The contracts in force per member and year, with the upload they came from.
SELECT c.member_id, c.year, c.kwh, c.g_co2e_per_kwh, c.proof, c.supplier, c.product, c.remark,
       u.file_name, u.entered_by, u.entered_at, c.line_no
FROM current_contracts c
JOIN contract_uploads u USING (upload_id, member_id)
JOIN members m USING (member_id)
WHERE ($all_members OR c.member_id = $member_id)
ORDER BY m.sort_order, c.year, c.line_no;

-- name: demo_strom_kwh
-- [kWh] of electricity per member and year (the demo generator's contracts are shares of it).
SELECT member_id, year, sum(kwh) FROM emissions WHERE carrier_id = 'strom' GROUP BY ALL;

-- name: residual_mix_first_year
SELECT min(valid_from) FROM residual_mix;

-- name: residual_years
-- Per year with electricity at the residual mix (members filtered by viewer; from the first
-- residual-mix year, as market-based figures start there) the record used (kek_data.factor_years).
SELECT DISTINCT year, residual_year, residual_status
FROM market_electricity
WHERE rest_kwh > 0 AND year >= (SELECT min(valid_from) FROM residual_mix)
  AND ($all_members OR member_id = $member_id)
ORDER BY year;
