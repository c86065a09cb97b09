-- Secrets of this installation, made once at random (issue 14): `urgency_cell_key`, the key the
-- cell-key method perturbs released counts with. Never shown, never exported; a new installation
-- (or a deleted row) makes a new one.
CREATE TABLE install_secret (
    name  TEXT PRIMARY KEY,
    value BLOB NOT NULL
) WITHOUT ROWID;
