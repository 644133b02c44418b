-- Sessions of the web console: the digest of the cookie's token, when the
-- session began (its absolute lifetime counts from there) and when it was
-- last used (its idle lifetime counts from there).
CREATE TABLE web_sessions (
    token_hash   BLOB PRIMARY KEY,
    id           TEXT NOT NULL UNIQUE,
    user_id      TEXT NOT NULL REFERENCES users(id),
    created_at   INTEGER NOT NULL,
    last_seen_at INTEGER NOT NULL,
    expires_at   INTEGER NOT NULL
);
CREATE INDEX web_sessions_user ON web_sessions (user_id);
