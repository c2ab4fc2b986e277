-- The database's copy of the reference data in data/*.csv (kek_data/reference.py), reloaded in
-- one transaction when those files change. Members are upserted (submissions refer to them).

-- name: reference_clear
DELETE FROM carriers;
DELETE FROM carrier_aliases;
DELETE FROM unit_aliases;
DELETE FROM unit_conversions;
DELETE FROM emission_factors;

-- name: method_factors_clear
DELETE FROM residual_mix;
DELETE FROM climate_factors;

-- name: insert_carrier
INSERT INTO carriers VALUES ($carrier_id, $name, $scope, $kind, $sort_order);

-- name: insert_carrier_alias
INSERT INTO carrier_aliases VALUES ($alias_key, $carrier_id);

-- name: insert_unit_alias
INSERT OR REPLACE INTO unit_aliases VALUES ($alias_key, $unit);

-- name: insert_unit_conversion
INSERT INTO unit_conversions VALUES ($carrier_id, $unit, $factor, $target_unit, $derivation,
                                     $source);

-- name: insert_emission_factor
INSERT INTO emission_factors VALUES ($carrier_id, $valid_from, $g_co2e_per_kwh, $status,
                                     $derivation, $source);

-- name: insert_residual_mix
INSERT INTO residual_mix VALUES ($valid_from, $g_co2e_per_kwh, $status, $derivation, $source);

-- name: insert_climate_factor
INSERT INTO climate_factors VALUES ($year, $factor, $status, $source);

-- name: current_network_target
-- The newest network target taken from network_target.csv, with its (first) milestone, to compare
-- with the file. Versions the network management entered (kek_data/targets.py) are not compared:
-- they apply from a later valid_from, so a file version (valid from 2000) never overrides them.
SELECT t.base_year, t.neutrality_year, t.residual_pct, m.year, m.reduction_pct
FROM targets t LEFT JOIN target_milestones m USING (target_id)
WHERE t.owner = 'netzwerk' AND t.entered_by = $entered_by
ORDER BY t.target_id DESC
LIMIT 1;

-- name: file_vorgaben
-- The newest parent-body target (purpose 'vorgabe') per member and body taken from
-- parent_targets.csv, to compare with the file. Versions the network management entered apply from
-- a later valid_from; a file version (valid from 2000) never overrides them.
SELECT t.target_id, t.owner, t.body, t.base_year, t.neutrality_year, t.residual_pct, t.basis,
       t.source, t.verified
FROM targets t
WHERE t.purpose = 'vorgabe' AND t.entered_by = $entered_by
QUALIFY row_number() OVER (PARTITION BY t.owner, t.body ORDER BY t.target_id DESC) = 1;

-- name: file_vorgabe_milestones
SELECT year, reduction_pct FROM target_milestones WHERE target_id = $target_id ORDER BY year;
