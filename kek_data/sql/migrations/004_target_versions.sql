-- Schema version 4: target agreements as versions (kek_data/targets.py). The targets table stays
-- append-only: every edit is a new row; the version in force for an owner and purpose is the one
-- with the latest valid_from not after the day asked for (ties: the newest row).

-- 'ziel': the owner's agreed target, the one every figure is measured against.
-- 'vorgabe': a parent body's target that applies to the member (owner), for the Zielabgleich.
ALTER TABLE targets ADD COLUMN purpose VARCHAR DEFAULT 'ziel';
-- 'eigenes Ziel' · 'Vorgabe des Dachverbands' · 'SBTi-Pfad' · 'Netzwerkpfad'
ALTER TABLE targets ADD COLUMN kind VARCHAR DEFAULT 'eigenes Ziel';
-- the parent body of a 'vorgabe' (e.g. 'Deutscher Caritasverband'); NULL for an own target
ALTER TABLE targets ADD COLUMN body VARCHAR;
-- scopes covered: '1', '2' or '1+2'
ALTER TABLE targets ADD COLUMN scopes VARCHAR DEFAULT '1+2';
-- the day the target was agreed with the member (or published by the parent body)
ALTER TABLE targets ADD COLUMN agreed_on DATE;
-- the real user who entered the version (login subject or e-mail, cli:<user>, demo:<role>)
ALTER TABLE targets ADD COLUMN entered_by VARCHAR;
-- from this day on the version applies; reports of earlier days use the version valid then
ALTER TABLE targets ADD COLUMN valid_from DATE;
-- checked against the published source / confirmed by the network management
ALTER TABLE targets ADD COLUMN verified BOOLEAN DEFAULT false;

-- The file's network target (data/network_target.csv) applies from 2000-01-01, as the versions
-- kek_data/reference.py writes from the file later; so a changed file takes effect.
UPDATE targets SET
    valid_from = CASE
        WHEN owner = 'netzwerk' AND NOT is_demo THEN DATE '2000-01-01'
        ELSE CAST(set_at AS DATE)
    END,
    kind = CASE WHEN owner = 'netzwerk' THEN 'Netzwerkpfad' ELSE 'eigenes Ziel' END,
    entered_by = CASE
        WHEN is_demo THEN 'Demo-Generator'
        WHEN owner = 'netzwerk' THEN 'data/network_target.csv'
        ELSE 'unbekannt (vor Version 4)'
    END;
