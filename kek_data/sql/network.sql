-- Network work: working groups, meetings and events, agenda, decisions, actions and their status
-- log (kek_data/network.py; tables and view current_actions: migrations/007_network_work.sql).

-- name: insert_working_group
INSERT INTO working_groups (name, topic, created_at, created_by, is_demo)
VALUES ($name, $topic, $created_at, $created_by, $is_demo)
RETURNING group_id;

-- name: insert_working_group_member
INSERT INTO working_group_members (group_id, member_id) VALUES ($group_id, $member_id);

-- name: network_groups
-- Every group with its members (ids in the network's order) as a list.
SELECT g.group_id, g.name, g.topic,
       list(w.member_id ORDER BY m.sort_order) FILTER (WHERE w.member_id IS NOT NULL) AS members
FROM working_groups g
LEFT JOIN working_group_members w USING (group_id)
LEFT JOIN members m ON m.member_id = w.member_id
GROUP BY g.group_id, g.name, g.topic
ORDER BY g.name, g.group_id;

-- name: insert_meeting
INSERT INTO meetings (held_on, kind, title, place, group_id, created_at, created_by, is_demo)
VALUES ($held_on, $kind, $title, $place, $group_id, $created_at, $created_by, $is_demo)
RETURNING meeting_id;

-- name: insert_participant
INSERT INTO meeting_participants (meeting_id, member_id) VALUES ($meeting_id, $member_id)
ON CONFLICT DO NOTHING;

-- name: insert_agenda_item
INSERT INTO agenda_items (meeting_id, position, text)
VALUES ($meeting_id, (SELECT coalesce(max(position), 0) + 1 FROM agenda_items
                      WHERE meeting_id = $meeting_id), $text);

-- name: insert_decision
INSERT INTO decisions (meeting_id, text, created_at, created_by, is_demo)
VALUES ($meeting_id, $text, $created_at, $created_by, $is_demo);

-- name: insert_action
INSERT INTO actions (meeting_id, text, owner_member_id, owner_person, due_on, measure_id,
                     created_at, created_by, is_demo)
VALUES ($meeting_id, $text, $owner_member_id, $owner_person, $due_on, $measure_id, $created_at,
        $created_by, $is_demo)
RETURNING action_id;

-- name: insert_action_status
INSERT INTO action_status_log (action_id, status, status_on, new_due_on, comment, entered_by,
                               entered_at, is_demo)
VALUES ($action_id, $status, $status_on, $new_due_on, $comment, $entered_by, $entered_at,
        $is_demo);

-- name: network_meetings
-- Every meeting with its group's name, participants (ids in the network's order), agenda items
-- and decisions (in their order); oldest first.
SELECT mt.meeting_id, mt.held_on, mt.kind, mt.title, mt.place, mt.group_id,
       coalesce(g.name, '') AS group_name,
       coalesce((SELECT list(p.member_id ORDER BY m.sort_order) FROM meeting_participants p
                 JOIN members m USING (member_id) WHERE p.meeting_id = mt.meeting_id),
                []::VARCHAR[]) AS participants,
       coalesce((SELECT list(a.text ORDER BY a.position) FROM agenda_items a
                 WHERE a.meeting_id = mt.meeting_id), []::VARCHAR[]) AS agenda,
       coalesce((SELECT list(d.text ORDER BY d.decision_id) FROM decisions d
                 WHERE d.meeting_id = mt.meeting_id), []::VARCHAR[]) AS decisions
FROM meetings mt
LEFT JOIN working_groups g USING (group_id)
ORDER BY mt.held_on, mt.meeting_id;

-- name: actions_as_of
-- Every action agreed on or before $as_of with its status on that day (table macro
-- actions_as_of, migration 007), oldest meeting first.
SELECT * FROM actions_as_of($as_of::DATE) ORDER BY held_on, action_id;

-- name: action_log
-- The status log of one action, oldest first (every entry kept).
SELECT entry_id, status, status_on, new_due_on, comment, entered_by, entered_at
FROM action_status_log
WHERE action_id = $action_id
ORDER BY status_on, entry_id;

-- name: action_owner
SELECT a.owner_member_id, m.held_on FROM actions a JOIN meetings m USING (meeting_id)
WHERE a.action_id = $action_id;

-- name: network_has_relation
-- Whether a table or view of that name exists (the measures of migration 008 may be missing).
SELECT count(*) > 0 FROM information_schema.tables WHERE table_name = $name;

-- name: network_measures
-- The measures in force (view current_measures of migration 008; asked only once it exists).
SELECT * FROM current_measures;

-- name: network_action_ids
-- The actions of one meeting in the order they were agreed.
SELECT action_id FROM actions WHERE meeting_id = $meeting_id ORDER BY action_id;
