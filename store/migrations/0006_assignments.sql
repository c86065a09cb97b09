-- Assignments (opdrachten) from system partners: offered, answered, planned, delivered, paid.

-- A new staff role, `partner`, with the organisation it acts for. SQLite cannot change a CHECK,
-- so the role table is rebuilt with the same rows.
CREATE TABLE user_roles_new (
    user_id  INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    role     TEXT NOT NULL CHECK (role IN ('resident', 'volunteer', 'communitybuilder',
                                           'wijkondernemer', 'gemeente', 'partner', 'admin')),
    scope    TEXT NOT NULL,
    PRIMARY KEY (user_id, role, scope)
);
INSERT INTO user_roles_new (user_id, role, scope) SELECT user_id, role, scope FROM user_roles;
DROP TABLE user_roles;
ALTER TABLE user_roles_new RENAME TO user_roles;

-- The organisation a partner acts for (a housing corporation, an energy cooperative, …); empty
-- for everyone else.
ALTER TABLE users ADD COLUMN organisation TEXT NOT NULL DEFAULT '';

-- An assignment as it stands now; every change is also an event below.
CREATE TABLE assignment (
    id             INTEGER PRIMARY KEY,
    organisation   TEXT    NOT NULL,
    offered_by     INTEGER REFERENCES users (id) ON DELETE SET NULL,
    title          TEXT    NOT NULL,
    kind           TEXT    NOT NULL,
    -- A CBS code (gemeente, wijk or buurt).
    area           TEXT    NOT NULL,
    -- CQL2 text over the fields of the kind's target, narrowing the work items; '' for all.
    criteria       TEXT    NOT NULL DEFAULT '',
    units          INTEGER NOT NULL CHECK (units > 0),
    -- Euro cents per unit delivered.
    fee_cents      INTEGER NOT NULL CHECK (fee_cents >= 0),
    -- Euro cents at most, or NULL for units × fee.
    budget_cents   INTEGER CHECK (budget_cents IS NULL OR budget_cents >= 0),
    -- YYYY-MM-DD.
    deadline       TEXT    NOT NULL,
    -- What counts as one delivered unit, in the partner's words.
    delivered_when TEXT    NOT NULL,
    status         TEXT    NOT NULL CHECK (status IN ('offered', 'changes_proposed', 'accepted',
                                                      'declined', 'withdrawn', 'completed')),
    created_at     INTEGER NOT NULL,
    updated_at     INTEGER NOT NULL
);
CREATE INDEX assignment_organisation ON assignment (organisation, id);

-- What happened to an assignment (append-only): offered, changes proposed (with a note),
-- revised, accepted, declined, withdrawn, completed.
CREATE TABLE assignment_event (
    id            INTEGER PRIMARY KEY,
    assignment_id INTEGER NOT NULL REFERENCES assignment (id) ON DELETE CASCADE,
    action        TEXT    NOT NULL,
    at            INTEGER NOT NULL,
    by_user       INTEGER REFERENCES users (id) ON DELETE SET NULL,
    note          TEXT    NOT NULL DEFAULT ''
);
CREATE INDEX assignment_event_of ON assignment_event (assignment_id, id);

-- The work items planned under an accepted assignment.
CREATE TABLE assignment_item (
    assignment_id INTEGER NOT NULL REFERENCES assignment (id) ON DELETE CASCADE,
    target_kind   TEXT    NOT NULL CHECK (target_kind IN ('pand', 'verblijfsobject', 'public_space')),
    target_id     INTEGER NOT NULL,
    -- The CBS buurt of the target, for statements per buurt.
    buurt         TEXT    NOT NULL DEFAULT '',
    PRIMARY KEY (assignment_id, target_kind, target_id)
);

-- A unit delivered: one planned work item done, with its evidence; the partner accepts or
-- rejects it.
CREATE TABLE delivery (
    id            INTEGER PRIMARY KEY,
    assignment_id INTEGER NOT NULL REFERENCES assignment (id) ON DELETE CASCADE,
    target_kind   TEXT    NOT NULL,
    target_id     INTEGER NOT NULL,
    buurt         TEXT    NOT NULL DEFAULT '',
    at            INTEGER NOT NULL,
    by_user       INTEGER REFERENCES users (id) ON DELETE SET NULL,
    -- What shows the work was done: a report (its id in `evidence_ref`), a confirmation of one,
    -- a visit, a photo of a report, or the team's note.
    evidence      TEXT    NOT NULL CHECK (evidence IN ('report', 'confirmation', 'visit', 'photo', 'note')),
    evidence_ref  INTEGER,
    note          TEXT    NOT NULL DEFAULT '',
    status        TEXT    NOT NULL DEFAULT 'delivered' CHECK (status IN ('delivered', 'accepted', 'rejected')),
    decided_at    INTEGER,
    decided_by    INTEGER REFERENCES users (id) ON DELETE SET NULL,
    UNIQUE (assignment_id, target_kind, target_id)
);
