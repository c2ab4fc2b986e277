-- Schema version 1: members, reference data, append-only submissions and activity, targets.
-- Emissions are never stored: the view `emissions` (002_emission_formula.sql) derives them.

CREATE TABLE meta (
    key   VARCHAR PRIMARY KEY,
    value VARCHAR NOT NULL
);

CREATE TABLE members (
    member_id  VARCHAR PRIMARY KEY,
    name       VARCHAR NOT NULL,
    short_name VARCHAR NOT NULL,
    sector     VARCHAR NOT NULL,
    sort_order INTEGER NOT NULL
);

-- Reference data, reloaded from data/*.csv when those files change (see reference.py).
CREATE TABLE carriers (
    carrier_id VARCHAR PRIMARY KEY,
    name       VARCHAR NOT NULL,
    scope      INTEGER NOT NULL,
    kind       VARCHAR NOT NULL,      -- 'energie' (kWh x factor) or 'direkt' (already t CO2e)
    sort_order INTEGER NOT NULL
);
CREATE TABLE carrier_aliases (
    alias_key  VARCHAR PRIMARY KEY,   -- lower-case, trimmed spelling
    carrier_id VARCHAR NOT NULL
);
CREATE TABLE unit_aliases (
    alias_key VARCHAR PRIMARY KEY,
    unit      VARCHAR NOT NULL
);
CREATE TABLE unit_conversions (
    carrier_id  VARCHAR NOT NULL,
    unit        VARCHAR NOT NULL,
    factor      DOUBLE NOT NULL,      -- quantity [unit] x factor = quantity [target_unit]
    target_unit VARCHAR NOT NULL,     -- 'kWh' (net calorific value) or 't CO₂e'
    derivation  VARCHAR NOT NULL,
    source      VARCHAR NOT NULL,
    PRIMARY KEY (carrier_id, unit)
);
CREATE TABLE emission_factors (
    carrier_id     VARCHAR NOT NULL,
    valid_from     INTEGER NOT NULL,  -- valid from this year until the next record [a]
    g_co2e_per_kwh DOUBLE NOT NULL,   -- [g CO2e/kWh], net calorific value, incl. upstream chain
    status         VARCHAR NOT NULL,
    derivation     VARCHAR NOT NULL,
    source         VARCHAR NOT NULL,
    PRIMARY KEY (carrier_id, valid_from)
);

-- Every upload, accepted or rejected, is appended here; nothing is updated or deleted.
CREATE SEQUENCE submission_seq START 1;
CREATE TABLE submissions (
    submission_id BIGINT PRIMARY KEY DEFAULT nextval('submission_seq'),
    member_id     VARCHAR NOT NULL,
    submitted_by  VARCHAR NOT NULL,
    submitted_at  TIMESTAMP NOT NULL,
    file_name     VARCHAR NOT NULL,
    sha256        VARCHAR NOT NULL,
    size_bytes    BIGINT NOT NULL,
    n_rows        INTEGER NOT NULL,
    status        VARCHAR NOT NULL,   -- 'imported' or 'rejected'
    is_demo       BOOLEAN NOT NULL DEFAULT false,
    errors        VARCHAR             -- German error lines of a rejected file, newline separated
);
-- Later state changes of a submission (e.g. 'rolled_back'), append-only.
CREATE TABLE submission_events (
    submission_id BIGINT NOT NULL,
    event         VARCHAR NOT NULL,
    event_at      TIMESTAMP NOT NULL,
    event_by      VARCHAR NOT NULL,
    note          VARCHAR
);
CREATE TABLE activity (
    submission_id BIGINT NOT NULL,
    line_no       INTEGER NOT NULL,   -- line in the uploaded file (header = 1)
    member_id     VARCHAR NOT NULL,
    year          INTEGER NOT NULL,
    carrier_id    VARCHAR NOT NULL,
    quantity      DOUBLE NOT NULL,    -- [unit]
    unit          VARCHAR NOT NULL,
    site          VARCHAR NOT NULL DEFAULT '',
    remark        VARCHAR
);

-- Targets: owner is a member_id or 'netzwerk'. A newer target of the same owner supersedes the older.
CREATE SEQUENCE target_seq START 1;
CREATE TABLE targets (
    target_id       BIGINT PRIMARY KEY DEFAULT nextval('target_seq'),
    owner           VARCHAR NOT NULL,
    set_at          TIMESTAMP NOT NULL,
    base_year       INTEGER NOT NULL,
    base_value_t    DOUBLE,           -- [t CO2e]; NULL = derived from the emissions of base_year
    neutrality_year INTEGER,
    residual_pct    DOUBLE NOT NULL DEFAULT 0,  -- [% of base] left in the neutrality year
    basis           VARCHAR NOT NULL,
    source          VARCHAR NOT NULL,
    is_demo         BOOLEAN NOT NULL DEFAULT false
);
CREATE TABLE target_milestones (
    target_id     BIGINT NOT NULL,
    year          INTEGER NOT NULL,
    reduction_pct DOUBLE NOT NULL,    -- [%] below the base value
    PRIMARY KEY (target_id, year)
);

-- Current data: per member and year, the newest imported submission that was not rolled back.
CREATE VIEW active_submissions AS
SELECT s.*
FROM submissions s
WHERE s.status = 'imported'
  AND NOT EXISTS (
      SELECT 1 FROM submission_events e
      WHERE e.submission_id = s.submission_id AND e.event = 'rolled_back'
  );

CREATE VIEW current_activity AS
WITH latest AS (
    SELECT a.member_id, a.year, max(a.submission_id) AS submission_id
    FROM activity a
    JOIN active_submissions s USING (submission_id)
    GROUP BY a.member_id, a.year
)
SELECT a.*
FROM activity a
JOIN latest l USING (member_id, year, submission_id);

-- The view `emissions` (activity x conversion x factor) is defined in 002_emission_formula.sql,
-- the one place of the formula; files created at version 1 had a copy here that 002 replaces.
