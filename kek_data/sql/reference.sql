-- The database's copy of the reference data in data/*.csv (kek_data/reference.py), reloaded in
-- one transaction when those files change. Members are upserted (submissions refer to them).

-- name: reference_clear
DELETE FROM carriers;
DELETE FROM carrier_aliases;
DELETE FROM unit_aliases;
DELETE FROM unit_conversions;
DELETE FROM emission_factors;

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

-- name: current_network_target
-- The newest network target with its (first) milestone, to compare with network_target.csv.
SELECT t.base_year, t.neutrality_year, t.residual_pct, m.year, m.reduction_pct
FROM targets t LEFT JOIN target_milestones m USING (target_id)
WHERE t.owner = 'netzwerk'
ORDER BY t.target_id DESC
LIMIT 1;
