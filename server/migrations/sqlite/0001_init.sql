-- scripto-server schema, version 1. Times are unix seconds (UTC).
-- Nothing secret is stored in the clear: keys, session and MFA tokens are
-- SHA-256 digests, one-time and backup codes are keyed digests, passwords are
-- Argon2id PHC strings, TOTP secrets are sealed with the server key.

CREATE TABLE orgs (
    id         TEXT PRIMARY KEY,
    name       TEXT NOT NULL UNIQUE,
    plan       TEXT NOT NULL DEFAULT 'free',
    created_at INTEGER NOT NULL
);

CREATE TABLE users (
    id              TEXT PRIMARY KEY,
    org_id          TEXT NOT NULL REFERENCES orgs(id),
    email           TEXT NOT NULL UNIQUE,
    name            TEXT,
    role            TEXT NOT NULL CHECK (role IN ('member', 'developer', 'admin')),
    password_hash   TEXT,
    totp_secret_enc BLOB,
    totp_last_step  INTEGER,
    created_at      INTEGER NOT NULL
);

CREATE TABLE backup_codes (
    user_id   TEXT NOT NULL REFERENCES users(id),
    code_hash BLOB NOT NULL,
    used_at   INTEGER,
    PRIMARY KEY (user_id, code_hash)
);

CREATE TABLE projects (
    seq        INTEGER PRIMARY KEY AUTOINCREMENT,
    id         TEXT NOT NULL UNIQUE,
    org_id     TEXT NOT NULL REFERENCES orgs(id),
    name       TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    UNIQUE (org_id, name)
);

CREATE TABLE api_keys (
    seq          INTEGER PRIMARY KEY AUTOINCREMENT,
    id           TEXT NOT NULL UNIQUE,
    digest       BLOB NOT NULL UNIQUE,
    name         TEXT NOT NULL,
    start        TEXT NOT NULL,
    key_type     TEXT NOT NULL CHECK (key_type IN ('batch', 'realtime')),
    scopes       TEXT NOT NULL,
    project_ids  TEXT NOT NULL,
    owner_id     TEXT NOT NULL REFERENCES users(id),
    org_id       TEXT NOT NULL REFERENCES orgs(id),
    created_at   INTEGER NOT NULL,
    expires_at   INTEGER,
    last_used_at INTEGER,
    revoked_at   INTEGER
);
CREATE INDEX api_keys_by_owner ON api_keys (owner_id, seq);
CREATE INDEX api_keys_by_org ON api_keys (org_id, seq);

-- One live code per address: a new send replaces the previous code.
CREATE TABLE login_codes (
    email      TEXT PRIMARY KEY,
    code_hash  BLOB NOT NULL,
    expires_at INTEGER NOT NULL,
    failures   INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE mfa_challenges (
    token_hash BLOB PRIMARY KEY,
    user_id    TEXT NOT NULL REFERENCES users(id),
    expires_at INTEGER NOT NULL,
    failures   INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE sessions (
    token_hash BLOB PRIMARY KEY,
    id         TEXT NOT NULL UNIQUE,
    user_id    TEXT NOT NULL REFERENCES users(id),
    expires_at INTEGER NOT NULL
);
