-- Consent and login mapping (kek_data/access.py, kek_data/accounts.py). Append-only tables:
-- the newest row per key is the current state.

-- name: consent_current
SELECT m.member_id, coalesce(c.level, 'intern') AS level, c.set_at, coalesce(c.set_by, '') AS set_by,
       coalesce(c.note, '') AS note
FROM members m
LEFT JOIN (
    SELECT * FROM member_consent
    QUALIFY row_number() OVER (PARTITION BY member_id ORDER BY set_at DESC, rowid DESC) = 1
) c USING (member_id)
ORDER BY m.sort_order;

-- name: consent_history
SELECT member_id, level, set_at, set_by, note
FROM member_consent
WHERE $all_members OR member_id = $member_id
ORDER BY set_at DESC, rowid DESC;

-- name: insert_consent
INSERT INTO member_consent (member_id, level, set_at, set_by, note, is_demo)
VALUES ($member_id, $level, $set_at, $set_by, $note, $is_demo);

-- name: pseudonym_salt
SELECT value FROM meta WHERE key = 'pseudonym_salt';

-- name: user_role_current
SELECT role, member_id FROM user_roles
WHERE user_key IN ($sub_key, $email_key)
QUALIFY row_number() OVER (PARTITION BY user_key ORDER BY set_at DESC, rowid DESC) = 1
ORDER BY CASE WHEN user_key = $sub_key THEN 0 ELSE 1 END;

-- name: user_roles_current
SELECT user_key, role, member_id, set_at, set_by FROM user_roles
QUALIFY row_number() OVER (PARTITION BY user_key ORDER BY set_at DESC, rowid DESC) = 1
ORDER BY user_key;

-- name: insert_user_role
INSERT INTO user_roles VALUES ($user_key, $role, $member_id, $set_at, $set_by);
