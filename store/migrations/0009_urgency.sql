-- Urgency (issue 14): who knocked on a door (for the rule that at least k distinct volunteers
-- stand behind a count derived from visits), whether the household signed up, and the daily
-- snapshots of the released indicator values.
ALTER TABLE visit_door ADD COLUMN by_user INTEGER REFERENCES users (id) ON DELETE SET NULL;
ALTER TABLE visit_door ADD COLUMN signed_up INTEGER NOT NULL DEFAULT 0 CHECK (signed_up IN (0, 1));

-- One row per day, level, cell and indicator: only what was released that day (suppressed cells
-- are stored as suppressed, without numbers). Aggregates only; no address, no person.
CREATE TABLE urgency_snapshot (
    day         TEXT    NOT NULL,   -- YYYY-MM-DD (UTC)
    level       TEXT    NOT NULL,
    cell        TEXT    NOT NULL,
    indicator   TEXT    NOT NULL,
    suppressed  INTEGER NOT NULL CHECK (suppressed IN (0, 1)),
    numerator   INTEGER,
    denominator INTEGER,
    value       REAL,
    PRIMARY KEY (indicator, level, cell, day)
) WITHOUT ROWID;

-- The weights an analyst gave the indicators of the combined urgency index (JSON object of
-- indicator name to weight), one row per account.
CREATE TABLE urgency_weights (
    user_id    INTEGER PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    weights    TEXT    NOT NULL,
    updated_at INTEGER NOT NULL
);
