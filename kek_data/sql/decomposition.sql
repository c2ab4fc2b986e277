-- The factor records behind the decomposition "eigene Minderung und Strommix"
-- (kek_data/decomposition.py): the base year's factor of a carrier the base year's rows do not
-- show (e.g. a carrier new since the base year). A record is valid from valid_from until the next.

-- name: decomposition_factors
-- [g CO2e/kWh] per carrier and first year of validity, net calorific value (as the view uses them).
SELECT carrier_id, valid_from, g_co2e_per_kwh, status
FROM emission_factors
ORDER BY carrier_id, valid_from;
