-- Schema version 2: the emission formula, written once.
-- quantity [unit] x conversion factor = [kWh] (net calorific value) for energy carriers, or
-- directly [t CO2e] for carriers reported as emissions (target_unit 't CO₂e');
-- [t CO2e] = [kWh] x emission factor [g CO2e/kWh] / 1e6 (factor valid in the activity year).
-- Every place that turns activity into kWh or t CO2e calls these macros: the view `emissions`
-- below and the upload preview and year summary in sql/ingest.sql.

CREATE OR REPLACE MACRO activity_kwh(quantity, conversion_factor, target_unit) AS
    CASE WHEN target_unit = 'kWh' THEN quantity * conversion_factor END;

CREATE OR REPLACE MACRO activity_t_co2e(quantity, conversion_factor, target_unit, g_co2e_per_kwh) AS
    CASE
        WHEN target_unit = 'kWh' THEN quantity * conversion_factor * g_co2e_per_kwh / 1e6
        ELSE quantity * conversion_factor
    END;

CREATE OR REPLACE VIEW emissions AS
SELECT
    ca.member_id,
    ca.year,
    ca.carrier_id,
    c.scope,
    ca.site,
    ca.submission_id,
    activity_kwh(ca.quantity, uc.factor, uc.target_unit) AS kwh,
    activity_t_co2e(ca.quantity, uc.factor, uc.target_unit, ef.g_co2e_per_kwh) AS t_co2e
FROM current_activity ca
JOIN carriers c ON c.carrier_id = ca.carrier_id
JOIN unit_conversions uc ON uc.carrier_id = ca.carrier_id AND uc.unit = ca.unit
ASOF LEFT JOIN emission_factors ef
    ON ef.carrier_id = ca.carrier_id AND ca.year >= ef.valid_from;
