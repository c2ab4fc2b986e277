-- Schema version 7: network work (kek_data/network.py) — working groups, meetings and events,
-- agenda items, decisions and agreed actions. Issue 12.

-- Working groups (Arbeitsgruppen): a measure may name one (measures.group_id, migration 008).
CREATE SEQUENCE working_group_seq START 1;
CREATE TABLE working_groups (
    group_id    BIGINT PRIMARY KEY DEFAULT nextval('working_group_seq'),
    name        VARCHAR NOT NULL,
    topic       VARCHAR NOT NULL DEFAULT '',
    created_at  TIMESTAMP NOT NULL,
    created_by  VARCHAR NOT NULL,
    is_demo     BOOLEAN NOT NULL DEFAULT false
);
-- members taking part in a working group
CREATE TABLE working_group_members (
    group_id   BIGINT NOT NULL,
    member_id  VARCHAR NOT NULL,
    PRIMARY KEY (group_id, member_id)
);

-- Meetings and events: a Netzwerktreffen, an Arbeitsgruppensitzung (group_id = the group) or an
-- öffentliche Veranstaltung, past or upcoming (kind: the list KINDS in kek_data/network.py).
CREATE SEQUENCE meeting_seq START 1;
CREATE TABLE meetings (
    meeting_id  BIGINT PRIMARY KEY DEFAULT nextval('meeting_seq'),
    held_on     DATE NOT NULL,
    kind        VARCHAR NOT NULL,
    title       VARCHAR NOT NULL,
    place       VARCHAR NOT NULL DEFAULT '',
    group_id    BIGINT,
    created_at  TIMESTAMP NOT NULL,
    created_by  VARCHAR NOT NULL,
    is_demo     BOOLEAN NOT NULL DEFAULT false
);
-- members taking part in a meeting
CREATE TABLE meeting_participants (
    meeting_id  BIGINT NOT NULL,
    member_id   VARCHAR NOT NULL,
    PRIMARY KEY (meeting_id, member_id)
);
-- agenda items (Tagesordnung) in their order
CREATE TABLE agenda_items (
    meeting_id  BIGINT NOT NULL,
    position    INTEGER NOT NULL,
    text        VARCHAR NOT NULL,
    PRIMARY KEY (meeting_id, position)
);
-- decisions (Beschlüsse) of a meeting in their order
CREATE SEQUENCE decision_seq START 1;
CREATE TABLE decisions (
    decision_id BIGINT PRIMARY KEY DEFAULT nextval('decision_seq'),
    meeting_id  BIGINT NOT NULL,
    text        VARCHAR NOT NULL,
    created_at  TIMESTAMP NOT NULL,
    created_by  VARCHAR NOT NULL,
    is_demo     BOOLEAN NOT NULL DEFAULT false
);
-- agreed actions (Aufgaben): owner = a member and/or a person, due date, optionally a measure
-- (measures.measure_id, migration 008). Never changed: the status lives in action_status_log.
CREATE SEQUENCE action_seq START 1;
CREATE TABLE actions (
    action_id       BIGINT PRIMARY KEY DEFAULT nextval('action_seq'),
    meeting_id      BIGINT NOT NULL,
    text            VARCHAR NOT NULL,
    owner_member_id VARCHAR,
    owner_person    VARCHAR NOT NULL DEFAULT '',
    due_on          DATE NOT NULL,
    measure_id      BIGINT,
    created_at      TIMESTAMP NOT NULL,
    created_by      VARCHAR NOT NULL,
    is_demo         BOOLEAN NOT NULL DEFAULT false
);
-- Append-only status log of an action: offen · erledigt · verschoben (with a new due date) on a
-- date, by whom, with a comment. Without an entry an action is „offen“ since its meeting.
CREATE SEQUENCE action_status_seq START 1;
CREATE TABLE action_status_log (
    entry_id    BIGINT PRIMARY KEY DEFAULT nextval('action_status_seq'),
    action_id   BIGINT NOT NULL,
    status      VARCHAR NOT NULL,
    status_on   DATE NOT NULL,
    new_due_on  DATE,
    comment     VARCHAR NOT NULL DEFAULT '',
    entered_by  VARCHAR NOT NULL,
    entered_at  TIMESTAMP NOT NULL,
    is_demo     BOOLEAN NOT NULL DEFAULT false
);
-- Every action agreed at a meeting held on or before day, with its status as of day: the newest
-- log entry dated on or before day ('offen' since the meeting without one), the due date after
-- the newest postponement up to then. A deck for a past meeting date shows that day's state.
CREATE MACRO actions_as_of(day) AS TABLE
WITH latest AS (
    SELECT *, row_number() OVER (PARTITION BY action_id ORDER BY status_on DESC, entry_id DESC) AS n
    FROM action_status_log
    WHERE status_on <= day
),
due AS (
    SELECT action_id, arg_max(new_due_on, entry_id) AS new_due_on
    FROM action_status_log
    WHERE new_due_on IS NOT NULL AND status_on <= day
    GROUP BY action_id
)
SELECT a.action_id, a.meeting_id, m.held_on, m.kind, m.title AS meeting_title, a.text,
       a.owner_member_id, a.owner_person, coalesce(d.new_due_on, a.due_on) AS due_on,
       a.measure_id, coalesce(l.status, 'offen') AS status,
       coalesce(l.status_on, m.held_on) AS status_on, coalesce(l.comment, '') AS comment
FROM actions a
JOIN meetings m USING (meeting_id)
LEFT JOIN latest l ON l.action_id = a.action_id AND l.n = 1
LEFT JOIN due d ON d.action_id = a.action_id
WHERE m.held_on <= day;
-- The current status of every action agreed so far (the same rule, as of today).
CREATE VIEW current_actions AS SELECT * FROM actions_as_of(current_date);
