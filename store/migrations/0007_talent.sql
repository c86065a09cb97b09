-- Capacity and talent: what residents offer to do, the invitations to work they get, and the
-- hours they log. Personal data (AVG/GDPR), processed for the purpose `talent` only while the
-- resident consents (the consent ledger); withdrawing deletes the offer.

-- One offer per account, as it stands now (changing it replaces it).
CREATE TABLE talent_offer (
    user_id         INTEGER PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    -- Skill keys, comma-separated (the list in work/src/talent.rs).
    skills          TEXT    NOT NULL,
    -- Anything else they can do, in their words.
    other           TEXT    NOT NULL DEFAULT '',
    hours_per_week  INTEGER NOT NULL CHECK (hours_per_week BETWEEN 1 AND 40),
    -- Day-part keys, comma-separated.
    day_parts       TEXT    NOT NULL,
    -- A CBS code (buurt, wijk or gemeente): where they want to work.
    area            TEXT    NOT NULL,
    -- YYYY-MM-DD, or NULL for until further notice.
    available_until TEXT,
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL
);
CREATE INDEX talent_offer_area ON talent_offer (area);

-- An invitation to a resident who offered help: to one work item, or to an assignment as a
-- whole (then the team says where in its note).
CREATE TABLE talent_invitation (
    id            INTEGER PRIMARY KEY,
    user_id       INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    -- The work item: its kind and target, or all NULL.
    kind          TEXT,
    target_kind   TEXT CHECK (target_kind IS NULL OR target_kind IN ('pand', 'verblijfsobject', 'public_space')),
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
CREATE INDEX talent_invitation_user ON talent_invitation (user_id, id);
CREATE INDEX talent_invitation_assignment ON talent_invitation (assignment_id);
-- At most one live invitation per person and work item.
CREATE UNIQUE INDEX talent_invitation_live ON talent_invitation (user_id, kind, target_kind, target_id)
    WHERE status IN ('invited', 'accepted') AND kind IS NOT NULL;

-- Hours worked under an accepted invitation, logged by the resident.
CREATE TABLE talent_hours (
    id            INTEGER PRIMARY KEY,
    invitation_id INTEGER NOT NULL REFERENCES talent_invitation (id) ON DELETE CASCADE,
    -- YYYY-MM-DD.
    day           TEXT    NOT NULL,
    minutes       INTEGER NOT NULL CHECK (minutes BETWEEN 1 AND 1440),
    -- Paid from the assignment's fee (1) or volunteered (0), as decided when logged.
    paid          INTEGER NOT NULL CHECK (paid IN (0, 1)),
    created_at    INTEGER NOT NULL
);
CREATE INDEX talent_hours_invitation ON talent_hours (invitation_id);

-- Per assignment, the wijkondernemer decides whether residents' hours on it are paid from its
-- fee or volunteered.
ALTER TABLE assignment ADD COLUMN helpers_paid INTEGER NOT NULL DEFAULT 0 CHECK (helpers_paid IN (0, 1));
