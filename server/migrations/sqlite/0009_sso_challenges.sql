-- A second factor asked after a single sign-on finishes only in the web
-- console: a purpose of its own. SQLite cannot widen a CHECK in place, so
-- the table is made again with its rows (challenges live 5 minutes; none
-- is lost).
CREATE TABLE mfa_challenges_new (
    token_hash          BLOB PRIMARY KEY,
    user_id             TEXT NOT NULL REFERENCES users(id),
    expires_at          INTEGER NOT NULL,
    failures            INTEGER NOT NULL DEFAULT 0,
    purpose             TEXT NOT NULL DEFAULT 'session'
        CHECK (purpose IN ('session', 'key', 'sso_session')),
    key_name            TEXT,
    key_expires_in_days INTEGER
);
INSERT INTO mfa_challenges_new
    (token_hash, user_id, expires_at, failures, purpose, key_name, key_expires_in_days)
    SELECT token_hash, user_id, expires_at, failures, purpose, key_name, key_expires_in_days
    FROM mfa_challenges;
DROP TABLE mfa_challenges;
ALTER TABLE mfa_challenges_new RENAME TO mfa_challenges;
