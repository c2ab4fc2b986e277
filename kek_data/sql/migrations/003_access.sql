-- Schema version 3: who may see what. Both tables are append-only: the newest row per key wins,
-- older rows stay as the record of who changed what and when (kek_data/access.py, accounts.py).

-- Publication consent per member: 'namentlich' (figures with the name), 'gesamt' (counted in
-- totals, shown to others as "Mitglied A"), 'intern' (only network management and city).
-- A member without a row is 'intern'.
CREATE TABLE member_consent (
    member_id VARCHAR NOT NULL,
    level     VARCHAR NOT NULL CHECK (level IN ('namentlich', 'gesamt', 'intern')),
    set_at    TIMESTAMP NOT NULL,
    set_by    VARCHAR NOT NULL,     -- the real user who set it (subject or e-mail)
    note      VARCHAR NOT NULL DEFAULT '',
    is_demo   BOOLEAN NOT NULL DEFAULT false
);

-- Login mapping: the ID token's subject or e-mail -> role and member. Role 'none' revokes.
CREATE TABLE user_roles (
    user_key  VARCHAR NOT NULL,     -- 'sub:<subject>' or 'email:<lower-case address>'
    role      VARCHAR NOT NULL CHECK (role IN ('netzwerk', 'stadt', 'mitglied', 'none')),
    member_id VARCHAR,              -- for role 'mitglied'
    set_at    TIMESTAMP NOT NULL,
    set_by    VARCHAR NOT NULL
);

-- Salt of the pseudonyms ("Mitglied A"): their order must not follow the public member list.
INSERT INTO meta VALUES ('pseudonym_salt', uuid()::VARCHAR);
