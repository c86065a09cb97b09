-- wijkwerk store, schema version 2: people and the privacy rules (accounts, roles × areas, sessions,
-- sign-in codes, reporters apart from their contact details, observations, the opt-out register,
-- the consent ledger, address verification, the append-only audit log, retention runs).
-- Times are Unix seconds (UTC). Secrets (session tokens, sign-in codes, letter codes) are stored
-- only as SHA-256 hashes; passwords only as argon2id PHC strings.

CREATE TABLE users (
    id              INTEGER PRIMARY KEY,
    email           TEXT NOT NULL UNIQUE COLLATE NOCASE,
    display_name    TEXT NOT NULL DEFAULT '',
    password_hash   TEXT,
    totp_secret     TEXT,
    totp_pending    TEXT,
    totp_last_step  INTEGER,
    disabled        INTEGER NOT NULL DEFAULT 0,
    created_at      INTEGER NOT NULL
);

-- A role held in a scope: 'all', a CBS code (GM…, WK…, BU…) or 'polygon:{custom_areas.id}'.
CREATE TABLE user_roles (
    user_id  INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    role     TEXT NOT NULL CHECK (role IN ('resident', 'volunteer', 'communitybuilder',
                                           'wijkondernemer', 'gemeente', 'admin')),
    scope    TEXT NOT NULL,
    PRIMARY KEY (user_id, role, scope)
);

-- Areas drawn by an admin, WKB (WGS84).
CREATE TABLE custom_areas (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL,
    geometry    BLOB NOT NULL,
    created_at  INTEGER NOT NULL
);

-- Pseudonymous reporters. A device reporter has no account (user_id NULL).
CREATE TABLE reporters (
    id          INTEGER PRIMARY KEY,
    user_id     INTEGER UNIQUE REFERENCES users (id) ON DELETE SET NULL,
    created_at  INTEGER NOT NULL
);

-- Contact details of a reporter, kept apart from observations; read only with permission (audited).
CREATE TABLE reporter_contacts (
    reporter_id  INTEGER PRIMARY KEY REFERENCES reporters (id) ON DELETE CASCADE,
    name         TEXT,
    email        TEXT,
    phone        TEXT,
    updated_at   INTEGER NOT NULL
);

CREATE TABLE sessions (
    token_hash    BLOB PRIMARY KEY,
    user_id       INTEGER REFERENCES users (id) ON DELETE CASCADE,
    reporter_id   INTEGER REFERENCES reporters (id) ON DELETE CASCADE,
    csrf          TEXT NOT NULL,
    created_at    INTEGER NOT NULL,
    last_seen_at  INTEGER NOT NULL,
    expires_at    INTEGER NOT NULL,
    CHECK ((user_id IS NULL) <> (reporter_id IS NULL))
);
CREATE INDEX sessions_user ON sessions (user_id);

-- One-time sign-in link and code, sent by e-mail.
CREATE TABLE login_tokens (
    id          INTEGER PRIMARY KEY,
    email       TEXT NOT NULL COLLATE NOCASE,
    link_hash   BLOB NOT NULL UNIQUE,
    code_hash   BLOB NOT NULL,
    attempts    INTEGER NOT NULL DEFAULT 0,
    created_at  INTEGER NOT NULL,
    expires_at  INTEGER NOT NULL,
    used_at     INTEGER
);
CREATE INDEX login_tokens_email ON login_tokens (email);

-- The code of the verification letter of an address (one live code per address).
CREATE TABLE address_codes (
    address_id  INTEGER PRIMARY KEY,
    code_hash   BLOB NOT NULL UNIQUE,
    created_at  INTEGER NOT NULL,
    expires_at  INTEGER NOT NULL
);

-- Residents who proved, by the letter code, that they live at an address.
CREATE TABLE address_residents (
    user_id      INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    address_id   INTEGER NOT NULL,
    verified_at  INTEGER NOT NULL,
    PRIMARY KEY (user_id, address_id)
);

-- The opt-out / do-not-knock register, per address and purpose.
CREATE TABLE opt_outs (
    address_id  INTEGER NOT NULL,
    purpose     TEXT NOT NULL,
    created_at  INTEGER NOT NULL,
    PRIMARY KEY (address_id, purpose)
);

-- The consent ledger: append-only; the newest entry per (user, purpose) is the current state.
CREATE TABLE consents (
    id        INTEGER PRIMARY KEY,
    user_id   INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    purpose   TEXT NOT NULL,
    given     INTEGER NOT NULL CHECK (given IN (0, 1)),
    at        INTEGER NOT NULL
);
CREATE INDEX consents_user ON consents (user_id, purpose, id);
CREATE TRIGGER consents_append_only BEFORE UPDATE ON consents
BEGIN SELECT RAISE(ABORT, 'the consent ledger is append-only'); END;

-- Observations. The reporter is a pseudonymous id; identity lives in reporter_contacts.
CREATE TABLE observations (
    id           INTEGER PRIMARY KEY,
    type         TEXT NOT NULL,
    building_id  INTEGER,
    address_id   INTEGER,
    lon          REAL NOT NULL,
    lat          REAL NOT NULL,
    buurtcode    TEXT,
    observed_at  INTEGER NOT NULL,
    created_at   INTEGER NOT NULL,
    source       TEXT NOT NULL CHECK (source IN ('resident', 'volunteer', 'import')),
    reporter_id  INTEGER NOT NULL REFERENCES reporters (id),
    status       TEXT NOT NULL DEFAULT 'new',
    closed_at    INTEGER,
    answers      TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX observations_building ON observations (building_id);
CREATE INDEX observations_address ON observations (address_id);
CREATE INDEX observations_buurt ON observations (buurtcode, type);

-- A resident's objection to an observation about their verified address.
CREATE TABLE contests (
    id              INTEGER PRIMARY KEY,
    observation_id  INTEGER NOT NULL REFERENCES observations (id) ON DELETE CASCADE,
    user_id         INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    address_id      INTEGER NOT NULL,
    reason          TEXT NOT NULL,
    status          TEXT NOT NULL DEFAULT 'open',
    created_at      INTEGER NOT NULL
);

-- The audit log: append-only. Rows can be deleted only by retention, which opens the gate inside
-- its own transaction.
CREATE TABLE audit_log (
    id      INTEGER PRIMARY KEY,
    at      INTEGER NOT NULL,
    actor   TEXT NOT NULL,
    action  TEXT NOT NULL,
    target  TEXT NOT NULL DEFAULT '',
    detail  TEXT NOT NULL DEFAULT ''
);
CREATE TABLE retention_gate (open INTEGER NOT NULL);
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
WHEN NOT EXISTS (SELECT 1 FROM retention_gate)
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;

-- What retention removed: metadata only.
CREATE TABLE retention_runs (
    id       INTEGER PRIMARY KEY,
    at       INTEGER NOT NULL,
    kind     TEXT NOT NULL,
    cutoff   INTEGER NOT NULL,
    removed  INTEGER NOT NULL
);
