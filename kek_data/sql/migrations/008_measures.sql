-- Schema version 8: measures (Maßnahmen) per member, append-only (kek_data/measures.py). Issue 12.
-- A measure is a row of `measures` (who created it, for which member); everything it says lives in
-- `measure_versions`: every edit inserts version_no + 1 with who, when and a comment, nothing is
-- ever updated. The view `current_measures` picks the newest version; the log of what changed is
-- derived from consecutive versions (kek_data/measures.py::log).
CREATE SEQUENCE measure_seq START 1;
CREATE TABLE measures (
    measure_id  BIGINT PRIMARY KEY DEFAULT nextval('measure_seq'),
    member_id   VARCHAR NOT NULL,
    created_at  TIMESTAMP NOT NULL,
    created_by  VARCHAR NOT NULL,
    is_demo     BOOLEAN NOT NULL DEFAULT false
);
-- The expected saving is either saving_t_per_year [t CO2e/a] or an energy per year:
-- saving_quantity [saving_unit] of carrier saving_carrier_id (converted with unit_conversions and
-- the emission factor valid in the year the measure takes full effect, end_year + 1).
CREATE TABLE measure_versions (
    measure_id        BIGINT NOT NULL,
    version_no        INTEGER NOT NULL,
    entered_at        TIMESTAMP NOT NULL,
    entered_by        VARCHAR NOT NULL,
    comment           VARCHAR NOT NULL DEFAULT '',
    title             VARCHAR NOT NULL,
    description       VARCHAR NOT NULL DEFAULT '',
    field             VARCHAR NOT NULL,    -- Handlungsfeld (kek_data/measures.py FIELDS)
    status            VARCHAR NOT NULL,    -- geplant · beschlossen · in Umsetzung · umgesetzt · verworfen
    start_year        INTEGER NOT NULL,
    end_year          INTEGER NOT NULL,
    completion_pct    DOUBLE NOT NULL,     -- [%] 0-100
    saving_t_per_year DOUBLE,              -- [t CO2e/a]
    saving_quantity   DOUBLE,              -- [saving_unit/a]
    saving_unit       VARCHAR,
    saving_carrier_id VARCHAR,
    responsible       VARCHAR NOT NULL DEFAULT '',
    group_id          BIGINT,              -- working_groups (migration 007), optional
    visibility        VARCHAR NOT NULL,    -- intern · öffentlich
    is_demo           BOOLEAN NOT NULL DEFAULT false,
    PRIMARY KEY (measure_id, version_no)
);
CREATE VIEW current_measures AS
SELECT v.measure_id, m.member_id, v.version_no, v.entered_at, v.entered_by, v.comment, v.title,
       v.description, v.field, v.status, v.start_year, v.end_year, v.completion_pct,
       v.saving_t_per_year, v.saving_quantity, v.saving_unit, v.saving_carrier_id, v.responsible,
       v.group_id, v.visibility, m.created_at, m.created_by, m.is_demo OR v.is_demo AS is_demo
FROM measure_versions v
JOIN measures m USING (measure_id)
QUALIFY row_number() OVER (PARTITION BY v.measure_id ORDER BY v.version_no DESC) = 1;
