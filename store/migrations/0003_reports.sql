-- wijkwerk store, schema version 3: resident reports (observation types, confirmations, abuse flags,
-- photos, idempotency keys, moderation provenance).

ALTER TABLE observations ADD COLUMN type_version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE observations ADD COLUMN tree_id TEXT;
ALTER TABLE observations ADD COLUMN updated_at INTEGER;
ALTER TABLE observations ADD COLUMN pii_suspected INTEGER NOT NULL DEFAULT 0;
ALTER TABLE observations ADD COLUMN merged_into INTEGER REFERENCES observations (id);
ALTER TABLE observations ADD COLUMN split_from INTEGER REFERENCES observations (id);
CREATE INDEX observations_reporter ON observations (reporter_id);
CREATE INDEX observations_status ON observations (status);

-- Types added by an admin (the shipped ones live in the binary). A new version supersedes.
CREATE TABLE observation_types (
    name        TEXT NOT NULL,
    version     INTEGER NOT NULL,
    definition  TEXT NOT NULL,
    created_at  INTEGER NOT NULL,
    PRIMARY KEY (name, version)
);

-- "Confirmed by n residents": one row per reporter who saw the same.
CREATE TABLE confirmations (
    observation_id  INTEGER NOT NULL REFERENCES observations (id) ON DELETE CASCADE,
    reporter_id     INTEGER NOT NULL REFERENCES reporters (id) ON DELETE CASCADE,
    at              INTEGER NOT NULL,
    via_merge_of    INTEGER,
    PRIMARY KEY (observation_id, reporter_id)
);

CREATE TABLE flags (
    observation_id  INTEGER NOT NULL REFERENCES observations (id) ON DELETE CASCADE,
    reporter_id     INTEGER NOT NULL REFERENCES reporters (id) ON DELETE CASCADE,
    reason          TEXT NOT NULL,
    at              INTEGER NOT NULL,
    PRIMARY KEY (observation_id, reporter_id)
);

-- Photos as re-encoded JPEG (no EXIF), at most three per report.
CREATE TABLE photos (
    id              INTEGER PRIMARY KEY,
    observation_id  INTEGER NOT NULL REFERENCES observations (id) ON DELETE CASCADE,
    jpeg            BLOB NOT NULL,
    width           INTEGER NOT NULL,
    height          INTEGER NOT NULL,
    created_at      INTEGER NOT NULL
);
CREATE INDEX photos_observation ON photos (observation_id);

-- A retried create with the same key returns the first result.
CREATE TABLE idempotency_keys (
    reporter_id     INTEGER NOT NULL,
    key             TEXT NOT NULL,
    observation_id  INTEGER NOT NULL REFERENCES observations (id) ON DELETE CASCADE,
    created_at      INTEGER NOT NULL,
    PRIMARY KEY (reporter_id, key)
);

-- What moderators did, append-only.
CREATE TABLE moderation_log (
    id              INTEGER PRIMARY KEY,
    observation_id  INTEGER NOT NULL,
    actor           TEXT NOT NULL,
    action          TEXT NOT NULL,
    detail          TEXT NOT NULL DEFAULT '',
    at              INTEGER NOT NULL
);
CREATE TRIGGER moderation_log_append_only BEFORE UPDATE ON moderation_log
BEGIN SELECT RAISE(ABORT, 'the moderation log is append-only'); END;
