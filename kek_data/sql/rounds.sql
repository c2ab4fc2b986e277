-- The reporting round (Berichtsrunde): rounds, status log and notes of each member-year
-- (kek_data/rounds.py; tables: migrations/009_reporting_round.sql; frozen years: 010).

-- name: insert_round
INSERT INTO report_rounds (year, due_on, jump_pct, created_at, created_by, is_demo)
VALUES ($year, $due_on, $jump_pct, $created_at, $created_by, $is_demo);

-- name: current_rounds
-- The version in force of every year's round, with the time of its first version (opened_at).
SELECT c.year, c.due_on, c.jump_pct, c.created_at, c.created_by, o.opened_at, c.is_demo
FROM current_rounds c
JOIN (SELECT year, min(created_at) AS opened_at FROM report_rounds GROUP BY year) o USING (year)
ORDER BY c.year;

-- name: insert_round_status
INSERT INTO round_status_log (year, member_id, status, comment, entered_at, entered_by, is_demo)
VALUES ($year, $member_id, $status, $comment, $entered_at, $entered_by, $is_demo);

-- name: round_status_log
-- Every status entry of a year, oldest first, for the members the viewer may see.
SELECT entry_id, member_id, status, comment, entered_at, entered_by
FROM round_status_log
WHERE year = $year AND ($all_members OR member_id = $member_id)
ORDER BY entered_at, entry_id;

-- name: insert_round_note
INSERT INTO round_notes (year, member_id, kind, subject, resolution, figure, reply_to, text,
                         entered_at, entered_by, is_demo)
VALUES ($year, $member_id, $kind, $subject, $resolution, $figure, $reply_to, $text,
        $entered_at, $entered_by, $is_demo)
RETURNING note_id;

-- name: round_notes
-- Every note of a year, oldest first, for the members the viewer may see.
SELECT note_id, member_id, kind, subject, resolution, figure, reply_to, text, entered_at,
       entered_by
FROM round_notes
WHERE year = $year AND ($all_members OR member_id = $member_id)
ORDER BY entered_at, note_id;

-- name: round_submitted
-- Per member: the newest active submission that holds rows of the year (derived "eingereicht").
SELECT a.member_id, max(s.submitted_at) AS submitted_at
FROM activity a
JOIN active_submissions s USING (submission_id)
WHERE a.year = $year
GROUP BY a.member_id;

-- name: round_frozen
-- Whether the year is frozen (a Berichtsstand exists, migration 010).
SELECT EXISTS (SELECT 1 FROM report_freezes WHERE year = $year);
