-- Register trees are a work target (issue 12): `tree` joins the target kinds wherever work items
-- are kept. SQLite changes a CHECK constraint by rebuilding the table (foreign keys are off while
-- migrations run, and every reference is checked before the commit).

CREATE TABLE work_status_new (
    id          INTEGER PRIMARY KEY,
    kind        TEXT    NOT NULL,
    target_kind TEXT    NOT NULL CHECK (target_kind IN ('pand', 'verblijfsobject', 'public_space', 'tree')),
    target_id   INTEGER NOT NULL,
    status      TEXT    NOT NULL CHECK (status IN ('open', 'planned', 'in_progress', 'done', 'not_wanted', 'not_applicable')),
    at          INTEGER NOT NULL,
    -- The account that changed it; NULL for the system (or after retention thinned it).
    by_user     INTEGER REFERENCES users (id) ON DELETE SET NULL,
    -- A short note for the team (never about a resident).
    note        TEXT    NOT NULL DEFAULT '',
    -- The evidence when the status was set, as JSON (register facts and observation ids).
    evidence    TEXT    NOT NULL DEFAULT '{}'
);
INSERT INTO work_status_new SELECT id, kind, target_kind, target_id, status, at, by_user, note, evidence FROM work_status;
DROP TABLE work_status;
ALTER TABLE work_status_new RENAME TO work_status;
CREATE INDEX work_status_item ON work_status (kind, target_kind, target_id, id);

CREATE TABLE assignment_item_new (
    assignment_id INTEGER NOT NULL REFERENCES assignment (id) ON DELETE CASCADE,
    target_kind   TEXT    NOT NULL CHECK (target_kind IN ('pand', 'verblijfsobject', 'public_space', 'tree')),
    target_id     INTEGER NOT NULL,
    -- The CBS buurt of the target, for statements per buurt.
    buurt         TEXT    NOT NULL DEFAULT '',
    PRIMARY KEY (assignment_id, target_kind, target_id)
);
INSERT INTO assignment_item_new SELECT assignment_id, target_kind, target_id, buurt FROM assignment_item;
DROP TABLE assignment_item;
ALTER TABLE assignment_item_new RENAME TO assignment_item;

CREATE TABLE talent_invitation_new (
    id            INTEGER PRIMARY KEY,
    user_id       INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    -- The work item: its kind and target, or all NULL.
    kind          TEXT,
    target_kind   TEXT CHECK (target_kind IS NULL OR target_kind IN ('pand', 'verblijfsobject', 'public_space', 'tree')),
    target_id     INTEGER,
    assignment_id INTEGER REFERENCES assignment (id) ON DELETE SET NULL,
    -- The CBS code access is decided on: the item's buurt, or the assignment's area.
    area          TEXT    NOT NULL,
    note          TEXT    NOT NULL DEFAULT '',
    invited_by    INTEGER REFERENCES users (id) ON DELETE SET NULL,
    status        TEXT    NOT NULL CHECK (status IN ('invited', 'accepted', 'declined', 'withdrawn', 'done')),
    created_at    INTEGER NOT NULL,
    answered_at   INTEGER,
    -- When it ended (declined, withdrawn, done): retention counts from here.
    closed_at     INTEGER,
    CHECK ((kind IS NULL) = (target_kind IS NULL) AND (kind IS NULL) = (target_id IS NULL)),
    CHECK (kind IS NOT NULL OR assignment_id IS NOT NULL)
);
INSERT INTO talent_invitation_new
    SELECT id, user_id, kind, target_kind, target_id, assignment_id, area, note, invited_by,
           status, created_at, answered_at, closed_at
    FROM talent_invitation;
DROP TABLE talent_invitation;
ALTER TABLE talent_invitation_new RENAME TO talent_invitation;
CREATE INDEX talent_invitation_user ON talent_invitation (user_id, id);
CREATE INDEX talent_invitation_assignment ON talent_invitation (assignment_id);
-- At most one live invitation per person and work item.
CREATE UNIQUE INDEX talent_invitation_live ON talent_invitation (user_id, kind, target_kind, target_id)
    WHERE status IN ('invited', 'accepted') AND kind IS NOT NULL;
