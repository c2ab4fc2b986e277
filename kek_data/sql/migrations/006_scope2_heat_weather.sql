-- Schema version 6: market-based Scope 2, district-heat factors per network and year, climate
-- factors for the weather-corrected view. Location-based figures (the BISKO default) are
-- unchanged except for Fernwärme of members the network management assigned to a local network
-- that has a factor (kek_data/district_heat.py); all others keep the German average, marked.

-- Sonstige Emissionen in plain "kg" were read as kg CO2e until version 5; new uploads must write
-- kg CO2e (rule sonstige_masse), and data/unit_conversions.csv no longer lists plain kg for them.
-- Stored rows keep their meaning under the unit that says it.
UPDATE activity SET unit = 'kg CO₂e' WHERE carrier_id = 'sonstige' AND unit = 'kg';

-- Reference data (data/residual_mix.csv, data/climate_factors.csv; kek_data/reference.py).
-- Residual mix [g CO2e/kWh]: the emission factor of electricity not covered by contracts with
-- proof (GHG Protocol Scope 2 Guidance, market-based method, hierarchy step "residual mix").
CREATE TABLE residual_mix (
    valid_from     INTEGER PRIMARY KEY,
    g_co2e_per_kwh DOUBLE NOT NULL,
    status         VARCHAR NOT NULL,
    derivation     VARCHAR,
    source         VARCHAR NOT NULL
);
-- Climate factor [-] per year for Dortmund: heating energy x factor = weather-corrected energy.
CREATE TABLE climate_factors (
    year       INTEGER PRIMARY KEY,
    factor     DOUBLE NOT NULL,
    status     VARCHAR NOT NULL,
    source     VARCHAR NOT NULL
);

-- Electricity contracts with a supplier-specific factor and proof, per member and year
-- (kek_data/scope2.py). An upload covers the years it lists; for each member and year the newest
-- upload covering the year is current (an upload without rows for a year withdraws its contracts).
CREATE SEQUENCE contract_upload_seq START 1;
CREATE TABLE contract_uploads (
    upload_id   BIGINT PRIMARY KEY DEFAULT nextval('contract_upload_seq'),
    member_id   VARCHAR NOT NULL,
    years       INTEGER[] NOT NULL,
    file_name   VARCHAR NOT NULL,
    sha256      VARCHAR,
    entered_by  VARCHAR NOT NULL,
    entered_at  TIMESTAMP NOT NULL,
    is_demo     BOOLEAN NOT NULL DEFAULT false
);
CREATE TABLE contracts (
    upload_id      BIGINT NOT NULL,
    line_no        INTEGER NOT NULL,   -- line in the uploaded file (header = 1)
    member_id      VARCHAR NOT NULL,
    year           INTEGER NOT NULL,
    kwh            DOUBLE NOT NULL,    -- [kWh] delivered under the contract in year
    g_co2e_per_kwh DOUBLE NOT NULL,    -- [g CO2e/kWh] supplier-specific (0 with Herkunftsnachweisen)
    proof          VARCHAR NOT NULL,   -- e.g. "Herkunftsnachweise (HKNR)", "Stromkennzeichnung 2024"
    supplier       VARCHAR NOT NULL DEFAULT '',
    product        VARCHAR NOT NULL DEFAULT '',
    remark         VARCHAR
);
CREATE VIEW current_contracts AS
WITH covered AS (
    SELECT member_id, unnest(years) AS year, upload_id FROM contract_uploads
),
latest AS (
    SELECT member_id, year, max(upload_id) AS upload_id FROM covered GROUP BY member_id, year
)
SELECT c.*
FROM contracts c
JOIN latest l USING (member_id, year, upload_id);

-- District-heat networks and their factors per year (kek_data/district_heat.py), set by the
-- network management with source and allocation method (e.g. AGFW FW 309-6). Append-only: the
-- newest row per network and valid_from is current; g_co2e_per_kwh NULL withdraws that record.
CREATE TABLE heat_networks (
    network_id  VARCHAR PRIMARY KEY,
    name        VARCHAR NOT NULL,
    operator    VARCHAR NOT NULL DEFAULT '',
    note        VARCHAR
);
CREATE SEQUENCE heat_factor_seq START 1;
CREATE TABLE heat_network_factors (
    factor_id      BIGINT PRIMARY KEY DEFAULT nextval('heat_factor_seq'),
    network_id     VARCHAR NOT NULL,
    valid_from     INTEGER NOT NULL,   -- [a] valid from this year until the network's next record
    g_co2e_per_kwh DOUBLE,             -- [g CO2e/kWh] final energy; NULL = withdrawn
    method         VARCHAR NOT NULL,   -- allocation method, e.g. "AGFW FW 309-6 (Carnot)"
    source         VARCHAR NOT NULL,
    status         VARCHAR NOT NULL DEFAULT '',
    entered_by     VARCHAR NOT NULL,
    entered_at     TIMESTAMP NOT NULL,
    is_demo        BOOLEAN NOT NULL DEFAULT false
);
CREATE VIEW current_heat_factors AS
SELECT 'fernwaerme' AS carrier_id, network_id, valid_from, g_co2e_per_kwh, method, source, status
FROM (
    SELECT * FROM heat_network_factors
    QUALIFY row_number() OVER (PARTITION BY network_id, valid_from ORDER BY factor_id DESC) = 1
)
WHERE g_co2e_per_kwh IS NOT NULL;
-- Which network a member draws its district heat from, from valid_from on (NULL: none known,
-- the German average applies). Newest row per member and valid_from is current.
CREATE SEQUENCE heat_assignment_seq START 1;
CREATE TABLE member_heat_networks (
    assignment_id BIGINT PRIMARY KEY DEFAULT nextval('heat_assignment_seq'),
    member_id     VARCHAR NOT NULL,
    network_id    VARCHAR,
    valid_from    INTEGER NOT NULL,
    entered_by    VARCHAR NOT NULL,
    entered_at    TIMESTAMP NOT NULL,
    is_demo       BOOLEAN NOT NULL DEFAULT false
);
CREATE VIEW current_heat_assignments AS
SELECT member_id, network_id, valid_from
FROM member_heat_networks
QUALIFY row_number() OVER (PARTITION BY member_id, valid_from ORDER BY assignment_id DESC) = 1;

-- The view `emissions` (location-based, BISKO): as version 5, and Fernwärme of a member assigned
-- to a network with a factor valid in the year uses that factor. factor_origin names where the
-- factor comes from: 'netz' (local network, heat_network = its id) or 'bund' (data/
-- emission_factors.csv; for Fernwärme the German average, marked as fallback).
CREATE OR REPLACE VIEW emissions AS
WITH base AS (
    SELECT ca.member_id, ca.year, ca.carrier_id, c.scope, ca.site, ca.submission_id,
           ca.quantity, uc.factor AS conversion, uc.target_unit
    FROM current_activity ca
    JOIN carriers c ON c.carrier_id = ca.carrier_id
    JOIN unit_conversions uc ON uc.carrier_id = ca.carrier_id AND uc.unit = ca.unit
),
assigned AS (
    SELECT b.*, ha.network_id
    FROM base b
    ASOF LEFT JOIN current_heat_assignments ha
        ON ha.member_id = b.member_id AND b.year >= ha.valid_from
),
local AS (
    SELECT a.*, hf.valid_from AS heat_year, hf.g_co2e_per_kwh AS heat_g, hf.status AS heat_status
    FROM assigned a
    ASOF LEFT JOIN current_heat_factors hf
        ON hf.carrier_id = a.carrier_id AND hf.network_id = a.network_id
       AND a.year >= hf.valid_from
)
SELECT
    l.member_id,
    l.year,
    l.carrier_id,
    l.scope,
    l.site,
    l.submission_id,
    activity_kwh(l.quantity, l.conversion, l.target_unit) AS kwh,
    activity_t_co2e(l.quantity, l.conversion, l.target_unit,
                    coalesce(l.heat_g, ef.g_co2e_per_kwh)) AS t_co2e,
    CASE WHEN l.heat_g IS NOT NULL THEN l.heat_year ELSE ef.valid_from END AS factor_year,
    CASE WHEN l.heat_g IS NOT NULL THEN l.heat_status ELSE ef.status END AS factor_status,
    CASE WHEN l.heat_g IS NOT NULL THEN 'netz' ELSE 'bund' END AS factor_origin,
    CASE WHEN l.heat_g IS NOT NULL THEN l.network_id END AS heat_network
FROM local l
ASOF LEFT JOIN emission_factors ef
    ON ef.carrier_id = l.carrier_id AND l.year >= ef.valid_from;

-- Market-based Scope 2 (GHG Protocol Scope 2 Guidance): electricity per member and year =
-- contracted kWh x supplier factor + the rest x residual mix (market_electricity, its parts side by
-- side); emissions_market: every other carrier as `emissions`, electricity from market_electricity.
-- Contracts above the reported electricity are scaled down to it (flagged by kek_data/scope2.py).
-- factor_origin: 'vertrag' (all electricity under contracts), 'reststrommix' (some or all at the
-- residual mix; factor_year/status are the residual mix record's).
CREATE VIEW market_electricity AS
WITH strom AS (
    SELECT member_id, year, min(scope) AS scope, sum(kwh) AS kwh,
           max(submission_id) AS submission_id
    FROM emissions
    WHERE carrier_id = 'strom'
    GROUP BY member_id, year
),
contracted AS (
    SELECT member_id, year, sum(kwh) AS kwh,
           sum(activity_t_co2e(kwh, 1, 'kWh', g_co2e_per_kwh)) AS t_co2e
    FROM current_contracts
    GROUP BY member_id, year
),
split AS (
    SELECT s.*, coalesce(c.kwh, 0) AS contract_kwh,
           CASE WHEN coalesce(c.kwh, 0) > 0 THEN c.t_co2e * least(s.kwh / c.kwh, 1) ELSE 0 END
               AS contract_t,
           greatest(s.kwh - coalesce(c.kwh, 0), 0) AS rest_kwh
    FROM strom s
    LEFT JOIN contracted c USING (member_id, year)
)
SELECT sp.member_id, sp.year, sp.scope, sp.submission_id, sp.kwh, sp.contract_kwh,
       sp.contract_t, sp.rest_kwh,
       rm.g_co2e_per_kwh AS residual_g, rm.valid_from AS residual_year, rm.status AS residual_status,
       sp.contract_t + CASE WHEN sp.rest_kwh > 0
                            THEN activity_t_co2e(sp.rest_kwh, 1, 'kWh', rm.g_co2e_per_kwh)
                            ELSE 0 END AS t_co2e
FROM split sp
ASOF LEFT JOIN residual_mix rm ON sp.year >= rm.valid_from;

CREATE VIEW emissions_market AS
SELECT member_id, year, carrier_id, scope, site, submission_id, kwh, t_co2e, factor_year,
       factor_status, factor_origin, heat_network
FROM emissions
WHERE carrier_id <> 'strom'
UNION ALL
SELECT
    member_id,
    year,
    'strom' AS carrier_id,
    scope,
    '' AS site,
    submission_id,
    kwh,
    t_co2e,
    CASE WHEN rest_kwh > 0 THEN residual_year ELSE year END AS factor_year,
    CASE WHEN rest_kwh > 0 THEN residual_status ELSE '' END AS factor_status,
    CASE WHEN rest_kwh > 0 THEN 'reststrommix' ELSE 'vertrag' END AS factor_origin,
    NULL AS heat_network
FROM market_electricity;

-- Both bases in one view: basis 'standort' (BISKO, the default of every figure) or 'markt'.
CREATE VIEW emissions_by_basis AS
SELECT 'standort' AS basis, * FROM emissions
UNION ALL
SELECT 'markt' AS basis, * FROM emissions_market;
