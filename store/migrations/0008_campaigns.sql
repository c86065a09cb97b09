-- Door-to-door campaigns: the selection, its turfs (doors in walking order), who holds a turf,
-- and the visits. Outcomes are an append-only log of operations (`visit_op`); an outcome is kept
-- per address only with the resident's consent (`visit_outcome`), otherwise only as counts per
-- turf; answers to sensitive questions only ever as counts per turf.

CREATE TABLE campaign (
    id            INTEGER PRIMARY KEY,
    title         TEXT    NOT NULL,
    topic         TEXT    NOT NULL DEFAULT '',
    -- A CBS code (gemeente, wijk or buurt).
    area          TEXT    NOT NULL,
    -- CQL2 text over the fields of an address (verblijfsobject); '' for every address.
    criteria      TEXT    NOT NULL DEFAULT '',
    -- Only addresses with open work of this kind (its pand's, or their own); NULL for any.
    work_kind     TEXT,
    assignment_id INTEGER REFERENCES assignment (id) ON DELETE SET NULL,
    -- The questions at the door: a JSON array (see server/src/routes/campaigns).
    questions     TEXT    NOT NULL DEFAULT '[]',
    turf_size     INTEGER NOT NULL CHECK (turf_size > 0),
    -- YYYY-MM-DD.
    starts_on     TEXT    NOT NULL,
    ends_on       TEXT    NOT NULL,
    created_by    INTEGER REFERENCES users (id) ON DELETE SET NULL,
    created_at    INTEGER NOT NULL,
    -- Doors left out at creation because their household opted out of canvassing.
    opted_out     INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE turf (
    id          INTEGER PRIMARY KEY,
    campaign_id INTEGER NOT NULL REFERENCES campaign (id) ON DELETE CASCADE,
    number      INTEGER NOT NULL,
    -- The CBS buurt most of its doors lie in.
    buurt       TEXT    NOT NULL DEFAULT '',
    -- Who walks it now (locked while held).
    holder      INTEGER REFERENCES users (id) ON DELETE SET NULL,
    held_since  INTEGER,
    UNIQUE (campaign_id, number)
);

-- The doors of a turf in walking order.
CREATE TABLE turf_door (
    turf_id    INTEGER NOT NULL REFERENCES turf (id) ON DELETE CASCADE,
    position   INTEGER NOT NULL,
    address_id INTEGER NOT NULL,
    PRIMARY KEY (turf_id, position)
);
CREATE INDEX turf_door_address ON turf_door (address_id);

-- That a door was knocked on in a campaign, and whether someone answered: each door counts once.
-- Not what was said.
CREATE TABLE visit_door (
    campaign_id INTEGER NOT NULL REFERENCES campaign (id) ON DELETE CASCADE,
    address_id  INTEGER NOT NULL,
    answered    INTEGER NOT NULL CHECK (answered IN (0, 1)),
    attempts    INTEGER NOT NULL DEFAULT 1,
    at          INTEGER NOT NULL,
    PRIMARY KEY (campaign_id, address_id)
);

-- The operation log the phones send: one row per idempotency key, with the result the server
-- gave (a replay gets the same). No address, no answers.
CREATE TABLE visit_op (
    campaign_id INTEGER NOT NULL REFERENCES campaign (id) ON DELETE CASCADE,
    key         TEXT    NOT NULL,
    turf_id     INTEGER NOT NULL,
    result      TEXT    NOT NULL,
    at          INTEGER NOT NULL,
    by_user     INTEGER REFERENCES users (id) ON DELETE SET NULL,
    PRIMARY KEY (campaign_id, key)
);
CREATE TRIGGER visit_op_append_only BEFORE UPDATE ON visit_op
BEGIN SELECT RAISE(ABORT, 'the visit log is append-only'); END;

-- An outcome per address, only where the resident consented (or signed up).
CREATE TABLE visit_outcome (
    id          INTEGER PRIMARY KEY,
    campaign_id INTEGER NOT NULL REFERENCES campaign (id) ON DELETE CASCADE,
    turf_id     INTEGER NOT NULL,
    address_id  INTEGER NOT NULL,
    outcome     TEXT    NOT NULL,
    -- Answers to questions that are not sensitive, as JSON.
    answers     TEXT    NOT NULL DEFAULT '{}',
    note        TEXT    NOT NULL DEFAULT '',
    at          INTEGER NOT NULL,
    by_user     INTEGER REFERENCES users (id) ON DELETE SET NULL
);
CREATE INDEX visit_outcome_address ON visit_outcome (campaign_id, address_id);
CREATE TRIGGER visit_outcome_append_only BEFORE UPDATE ON visit_outcome
BEGIN SELECT RAISE(ABORT, 'the outcome log is append-only'); END;

-- Counts per turf: every visit by outcome, and every answer by question and value.
CREATE TABLE turf_count (
    turf_id INTEGER NOT NULL REFERENCES turf (id) ON DELETE CASCADE,
    outcome TEXT    NOT NULL,
    n       INTEGER NOT NULL,
    PRIMARY KEY (turf_id, outcome)
);
CREATE TABLE turf_answer_count (
    turf_id  INTEGER NOT NULL REFERENCES turf (id) ON DELETE CASCADE,
    question TEXT    NOT NULL,
    answer   TEXT    NOT NULL,
    n        INTEGER NOT NULL,
    PRIMARY KEY (turf_id, question, answer)
);
