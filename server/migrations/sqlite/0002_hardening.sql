-- scripto-server schema, version 2: second factors for code logins, a
-- per-account budget of failed second factors, one code per (address,
-- client), and a counter that tells the key cache about outside changes.

-- What a passed challenge finishes: a password login (a session) or an
-- e-mail code login (a key, with the name and expiry that login asked for).
ALTER TABLE mfa_challenges ADD COLUMN purpose TEXT NOT NULL DEFAULT 'session'
    CHECK (purpose IN ('session', 'key'));
ALTER TABLE mfa_challenges ADD COLUMN key_name TEXT;
ALTER TABLE mfa_challenges ADD COLUMN key_expires_in_days INTEGER;

-- Failed second factors, one row each, kept an hour: the per-account budget
-- holds across challenges, client IPs and restarts.
CREATE TABLE mfa_failures (
    user_id TEXT NOT NULL REFERENCES users(id),
    at      INTEGER NOT NULL
);
CREATE INDEX mfa_failures_by_user ON mfa_failures (user_id, at);
-- Told to the user, and reset, at the next successful login.
ALTER TABLE users ADD COLUMN mfa_failures_since_login INTEGER NOT NULL DEFAULT 0;

-- One live code per (address, client IP): a send from one client no longer
-- replaces the code another client is about to type. Live codes (10
-- minutes) are dropped by this upgrade.
DROP TABLE login_codes;
CREATE TABLE login_codes (
    email      TEXT NOT NULL,
    client     TEXT NOT NULL,
    code_hash  BLOB NOT NULL,
    expires_at INTEGER NOT NULL,
    failures   INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (email, client)
);

-- Bumped by every change that a cached key verification depends on (a
-- role, a key's row, a user or an organization going away), whoever makes
-- it: the server, `scripto-server users set-role` on the same file, or a
-- hand-run sqlite3. The server reads it at most every 250 ms.
CREATE TABLE auth_epoch (n INTEGER NOT NULL);
INSERT INTO auth_epoch (n) VALUES (0);
CREATE TRIGGER auth_epoch_user_update AFTER UPDATE OF role, org_id, email ON users
    BEGIN UPDATE auth_epoch SET n = n + 1; END;
CREATE TRIGGER auth_epoch_user_delete AFTER DELETE ON users
    BEGIN UPDATE auth_epoch SET n = n + 1; END;
CREATE TRIGGER auth_epoch_key_update AFTER UPDATE OF revoked_at, expires_at, scopes, project_ids, owner_id, org_id, digest ON api_keys
    BEGIN UPDATE auth_epoch SET n = n + 1; END;
CREATE TRIGGER auth_epoch_key_delete AFTER DELETE ON api_keys
    BEGIN UPDATE auth_epoch SET n = n + 1; END;
CREATE TRIGGER auth_epoch_org_update AFTER UPDATE ON orgs
    BEGIN UPDATE auth_epoch SET n = n + 1; END;
CREATE TRIGGER auth_epoch_org_delete AFTER DELETE ON orgs
    BEGIN UPDATE auth_epoch SET n = n + 1; END;
