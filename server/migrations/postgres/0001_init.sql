-- scripto-server schema on PostgreSQL, version 1: the same tables as the
-- SQLite schema at its version 6 (migrations/sqlite), in PostgreSQL's types.
-- Times are unix seconds (UTC). Nothing secret is stored in the clear: keys,
-- session and MFA tokens are SHA-256 digests, one-time and backup codes are
-- keyed digests, passwords are Argon2id PHC strings, TOTP secrets are sealed
-- with the server key.

CREATE TABLE orgs (
    id         TEXT PRIMARY KEY,
    name       TEXT NOT NULL UNIQUE,
    plan       TEXT NOT NULL DEFAULT 'free',
    created_at BIGINT NOT NULL
);

CREATE TABLE users (
    id                       TEXT PRIMARY KEY,
    org_id                   TEXT NOT NULL REFERENCES orgs(id),
    email                    TEXT NOT NULL UNIQUE,
    name                     TEXT,
    role                     TEXT NOT NULL CHECK (role IN ('member', 'developer', 'admin')),
    password_hash            TEXT,
    totp_secret_enc          BYTEA,
    totp_last_step           BIGINT,
    created_at               BIGINT NOT NULL,
    mfa_failures_since_login BIGINT NOT NULL DEFAULT 0,
    removed_at               BIGINT
);

CREATE TABLE backup_codes (
    user_id   TEXT NOT NULL REFERENCES users(id),
    code_hash BYTEA NOT NULL,
    used_at   BIGINT,
    PRIMARY KEY (user_id, code_hash)
);

CREATE TABLE projects (
    seq        BIGSERIAL PRIMARY KEY,
    id         TEXT NOT NULL UNIQUE,
    org_id     TEXT NOT NULL REFERENCES orgs(id),
    name       TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    UNIQUE (org_id, name)
);

CREATE TABLE api_keys (
    seq          BIGSERIAL PRIMARY KEY,
    id           TEXT NOT NULL UNIQUE,
    digest       BYTEA NOT NULL UNIQUE,
    name         TEXT NOT NULL,
    start        TEXT NOT NULL,
    key_type     TEXT NOT NULL CHECK (key_type IN ('batch', 'realtime')),
    scopes       TEXT NOT NULL,
    project_ids  TEXT NOT NULL,
    owner_id     TEXT NOT NULL REFERENCES users(id),
    org_id       TEXT NOT NULL REFERENCES orgs(id),
    created_at   BIGINT NOT NULL,
    expires_at   BIGINT,
    last_used_at BIGINT,
    revoked_at   BIGINT,
    allowed_ips  TEXT NOT NULL DEFAULT '',
    replaces     TEXT,
    replaced_by  TEXT
);
CREATE INDEX api_keys_by_owner ON api_keys (owner_id, seq);
CREATE INDEX api_keys_by_org ON api_keys (org_id, seq);

CREATE TABLE login_codes (
    email      TEXT NOT NULL,
    client     TEXT NOT NULL,
    code_hash  BYTEA NOT NULL,
    expires_at BIGINT NOT NULL,
    failures   BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (email, client)
);

CREATE TABLE mfa_challenges (
    token_hash          BYTEA PRIMARY KEY,
    user_id             TEXT NOT NULL REFERENCES users(id),
    expires_at          BIGINT NOT NULL,
    failures            BIGINT NOT NULL DEFAULT 0,
    purpose             TEXT NOT NULL DEFAULT 'session' CHECK (purpose IN ('session', 'key')),
    key_name            TEXT,
    key_expires_in_days BIGINT
);

CREATE TABLE mfa_failures (
    user_id TEXT NOT NULL REFERENCES users(id),
    at      BIGINT NOT NULL
);
CREATE INDEX mfa_failures_by_user ON mfa_failures (user_id, at);

CREATE TABLE sessions (
    token_hash BYTEA PRIMARY KEY,
    id         TEXT NOT NULL UNIQUE,
    user_id    TEXT NOT NULL REFERENCES users(id),
    expires_at BIGINT NOT NULL
);

CREATE TABLE audit_events (
    seq              BIGSERIAL PRIMARY KEY,
    id               TEXT NOT NULL UNIQUE,
    created_at       BIGINT NOT NULL,
    type             TEXT NOT NULL,
    org_id           TEXT,
    actor_user_id    TEXT,
    actor_credential TEXT,
    ip               TEXT,
    target_type      TEXT,
    target_id        TEXT,
    subject_user_id  TEXT,
    outcome          TEXT NOT NULL,
    details          TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX audit_events_by_org ON audit_events (org_id, seq);
CREATE INDEX audit_events_by_time ON audit_events (created_at);

CREATE TABLE key_addresses (
    key_id     TEXT NOT NULL,
    ip         TEXT NOT NULL,
    first_seen BIGINT NOT NULL,
    PRIMARY KEY (key_id, ip)
);

-- Bumped by every change that a cached key verification depends on (a
-- role, a key's row, a user or an organization going away), whoever makes
-- it; and announced on the channel `scripto_auth`, which every instance
-- LISTENs on. The notification is delivered at commit; an instance that
-- missed one (its listening connection was down) still sees the counter
-- move within its next catch-up read.
CREATE TABLE auth_epoch (n BIGINT NOT NULL);
INSERT INTO auth_epoch (n) VALUES (0);

CREATE FUNCTION scripto_bump_auth_epoch() RETURNS trigger AS $$
BEGIN
    UPDATE auth_epoch SET n = n + 1;
    PERFORM pg_notify('scripto_auth', '');
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER auth_epoch_user_update AFTER UPDATE OF role, org_id, email, removed_at ON users
    FOR EACH STATEMENT EXECUTE FUNCTION scripto_bump_auth_epoch();
CREATE TRIGGER auth_epoch_user_delete AFTER DELETE ON users
    FOR EACH STATEMENT EXECUTE FUNCTION scripto_bump_auth_epoch();
CREATE TRIGGER auth_epoch_key_update AFTER UPDATE OF revoked_at, expires_at, scopes, project_ids, owner_id, org_id, digest ON api_keys
    FOR EACH STATEMENT EXECUTE FUNCTION scripto_bump_auth_epoch();
CREATE TRIGGER auth_epoch_key_delete AFTER DELETE ON api_keys
    FOR EACH STATEMENT EXECUTE FUNCTION scripto_bump_auth_epoch();
CREATE TRIGGER auth_epoch_org_update AFTER UPDATE ON orgs
    FOR EACH STATEMENT EXECUTE FUNCTION scripto_bump_auth_epoch();
CREATE TRIGGER auth_epoch_org_delete AFTER DELETE ON orgs
    FOR EACH STATEMENT EXECUTE FUNCTION scripto_bump_auth_epoch();
