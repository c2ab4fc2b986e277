-- Schema version 10: frozen annual reports (Berichtsstände, kek_data/frozen_reports.py).
-- report_freezes: one row per freezing, append-only (a year frozen again is a new row; the newest
-- of a year is "the" Berichtsstand, older ones stay listed). The snapshot itself is a read-only
-- copy of the whole database in <db dir>/berichtsstaende/<file_name>, checked by its sha256.
CREATE SEQUENCE report_freeze_seq START 1;
CREATE TABLE report_freezes (
    freeze_id      BIGINT PRIMARY KEY,
    year           INTEGER NOT NULL,      -- the reporting year frozen [a]
    frozen_at      TIMESTAMP NOT NULL,
    frozen_by      VARCHAR NOT NULL,      -- the real user (login, cli:<user>, demo:<role>)
    note           VARCHAR NOT NULL DEFAULT '',
    file_name      VARCHAR NOT NULL,      -- inside the folder berichtsstaende/ next to the DB
    sha256         VARCHAR NOT NULL,      -- of the snapshot file; '' in the snapshot's own row
    size_bytes     BIGINT NOT NULL,
    schema_version INTEGER NOT NULL,      -- schema of the snapshot when it was written
    figures_json   VARCHAR NOT NULL,      -- key figures at freezing (cli.summary as JSON)
    is_demo        BOOLEAN NOT NULL DEFAULT false
);
-- The marker of a snapshot: empty in the live database, one row in a frozen report. ``drift``
-- is set only in a temporary, migrated copy of an older snapshot whose figures differ today.
CREATE TABLE frozen_stand (
    freeze_id  BIGINT NOT NULL,
    year       INTEGER NOT NULL,
    frozen_at  TIMESTAMP NOT NULL,
    frozen_by  VARCHAR NOT NULL,
    note       VARCHAR NOT NULL DEFAULT '',
    drift      VARCHAR
);
