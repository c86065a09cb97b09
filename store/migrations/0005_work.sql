-- The status history of work items (append-only). A work item is derived by a rule (its `kind`)
-- for a target (a pand, a verblijfsobject or a spot in public space); it is `open` until a row
-- here says otherwise, and the newest row per (kind, target) is its status.
CREATE TABLE work_status (
    id          INTEGER PRIMARY KEY,
    kind        TEXT    NOT NULL,
    target_kind TEXT    NOT NULL CHECK (target_kind IN ('pand', 'verblijfsobject', 'public_space')),
    target_id   INTEGER NOT NULL,
    status      TEXT    NOT NULL CHECK (status IN ('open', 'planned', 'in_progress', 'done', 'not_wanted', 'not_applicable')),
    at          INTEGER NOT NULL,
    -- The account that changed it; NULL for the system.
    by_user     INTEGER REFERENCES users (id) ON DELETE SET NULL,
    -- A short note for the team (never about a resident).
    note        TEXT    NOT NULL DEFAULT '',
    -- The evidence when the status was set, as JSON (register facts and observation ids).
    evidence    TEXT    NOT NULL DEFAULT '{}'
);
CREATE INDEX work_status_item ON work_status (kind, target_kind, target_id, id);

-- The rule files the wijkondernemer loaded (append-only): the newest is in use unless the server
-- is started with --rules FILE.
CREATE TABLE work_rules (
    id      INTEGER PRIMARY KEY,
    text    TEXT    NOT NULL,
    at      INTEGER NOT NULL,
    by_user INTEGER REFERENCES users (id) ON DELETE SET NULL
);
