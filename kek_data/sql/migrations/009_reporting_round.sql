-- Schema version 9: the reporting round (Berichtsrunde, kek_data/rounds.py). Issue 12.
-- Every table is append-only: a change is a new row, the newest row wins; nothing is overwritten.

-- A round per reporting year: due date and the share above which a change against the year
-- before is flagged as a jump. An edit of the round is a new row (view current_rounds).
CREATE SEQUENCE report_round_seq START 1;
CREATE TABLE report_rounds (
    round_id    BIGINT PRIMARY KEY DEFAULT nextval('report_round_seq'),
    year        INTEGER NOT NULL,           -- the reporting year asked for [a]
    due_on      DATE NOT NULL,              -- reports due on this day
    jump_pct    DOUBLE NOT NULL,            -- jump threshold [% of the year before]
    created_at  TIMESTAMP NOT NULL,
    created_by  VARCHAR NOT NULL,           -- the real user (login, cli:<user>, demo:<role>)
    is_demo     BOOLEAN NOT NULL DEFAULT false
);
CREATE VIEW current_rounds AS
SELECT * EXCLUDE (rn) FROM (
    SELECT *, row_number() OVER (PARTITION BY year ORDER BY created_at DESC, round_id DESC) AS rn
    FROM report_rounds
) WHERE rn = 1;

-- The status of a member-year: angefragt → eingereicht → geprüft → freigegeben (a set-back is
-- a new row with a comment). No row yet = angefragt since the round was opened.
CREATE SEQUENCE round_status_seq START 1;
CREATE TABLE round_status_log (
    entry_id    BIGINT PRIMARY KEY DEFAULT nextval('round_status_seq'),
    year        INTEGER NOT NULL,
    member_id   VARCHAR NOT NULL,
    status      VARCHAR NOT NULL,           -- kek_data.rounds.STATUSES
    comment     VARCHAR NOT NULL DEFAULT '',
    entered_at  TIMESTAMP NOT NULL,
    entered_by  VARCHAR NOT NULL,
    is_demo     BOOLEAN NOT NULL DEFAULT false
);

-- Notes of a member-year, kept in history: 'sprung' (a flagged jump confirmed or corrected,
-- subject = 'gesamt' or a carrier id, figure = the value confirmed), 'begruendung' (reason for
-- being behind the own path; the newest one counts), 'frage' (question of the network
-- management) and 'antwort' (reply_to = the question's note_id).
CREATE SEQUENCE round_note_seq START 1;
CREATE TABLE round_notes (
    note_id     BIGINT PRIMARY KEY DEFAULT nextval('round_note_seq'),
    year        INTEGER NOT NULL,
    member_id   VARCHAR NOT NULL,
    kind        VARCHAR NOT NULL,           -- sprung · begruendung · frage · antwort
    subject     VARCHAR NOT NULL DEFAULT '',
    resolution  VARCHAR NOT NULL DEFAULT '',  -- 'bestätigt' or 'korrigiert' (sprung only)
    figure      DOUBLE,                     -- sprung: the current value confirmed [kWh or t CO₂e]
    reply_to    BIGINT,                     -- antwort: note_id of the question
    text        VARCHAR NOT NULL,
    entered_at  TIMESTAMP NOT NULL,
    entered_by  VARCHAR NOT NULL,
    is_demo     BOOLEAN NOT NULL DEFAULT false
);
