-- One-time links to set a password (issue 11): an admin asks for one for an account, the
-- account's address gets it by mail. They live beside the sign-in links, with a purpose, so the
-- same retention rule removes both once expired, and a password link never signs anyone in.
ALTER TABLE login_tokens ADD COLUMN purpose TEXT NOT NULL DEFAULT 'sign_in'
    CHECK (purpose IN ('sign_in', 'password'));
