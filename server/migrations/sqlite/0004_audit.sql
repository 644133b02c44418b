-- The audit log: who did what to which key or user, from where, and how it
-- ended. Written in the transaction of the change it describes. Never holds
-- a secret.
CREATE TABLE audit_events (
    seq              INTEGER PRIMARY KEY AUTOINCREMENT,
    id               TEXT NOT NULL UNIQUE,
    created_at       INTEGER NOT NULL,
    type             TEXT NOT NULL,
    -- NULL for events about no known organization (a login to an unknown
    -- address); those are in the server log only.
    org_id           TEXT,
    actor_user_id    TEXT,
    -- key_…, ses_… or `admin-command`.
    actor_credential TEXT,
    ip               TEXT,
    target_type      TEXT,
    target_id        TEXT,
    -- The user the event is about (a key's owner, a changed user), so that
    -- everyone sees the events about themselves and their own keys.
    subject_user_id  TEXT,
    outcome          TEXT NOT NULL,
    details          TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX audit_events_by_org ON audit_events (org_id, seq);
CREATE INDEX audit_events_by_time ON audit_events (created_at);

-- Addresses each key has been used from, to tell a first use from a new one.
CREATE TABLE key_addresses (
    key_id     TEXT NOT NULL,
    ip         TEXT NOT NULL,
    first_seen INTEGER NOT NULL,
    PRIMARY KEY (key_id, ip)
) WITHOUT ROWID;
