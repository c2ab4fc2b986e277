-- Schema version 5: the view `emissions` names the factor record each row is computed with.
-- Same formula and values as version 2 (the macros of migration 002); two columns added:
-- factor_year = valid_from of the factor record the as-of join picked (a year before the
-- activity year when the series has no record of its own for that year, e.g. 1990's Strom factor
-- for 1991-2014 or 2024's for 2025), factor_status = its status ('vorläufig', 'Schätzung', ...).
-- kek_data/factor_years.py turns them into "Faktor aus 2024 übertragen" / "vorläufig".

CREATE OR REPLACE VIEW emissions AS
SELECT
    ca.member_id,
    ca.year,
    ca.carrier_id,
    c.scope,
    ca.site,
    ca.submission_id,
    activity_kwh(ca.quantity, uc.factor, uc.target_unit) AS kwh,
    activity_t_co2e(ca.quantity, uc.factor, uc.target_unit, ef.g_co2e_per_kwh) AS t_co2e,
    ef.valid_from AS factor_year,
    ef.status AS factor_status
FROM current_activity ca
JOIN carriers c ON c.carrier_id = ca.carrier_id
JOIN unit_conversions uc ON uc.carrier_id = ca.carrier_id AND uc.unit = ca.unit
ASOF LEFT JOIN emission_factors ef
    ON ef.carrier_id = ca.carrier_id AND ca.year >= ef.valid_from;
