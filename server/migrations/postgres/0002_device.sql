-- scripto-server schema, PostgreSQL version 2: device login (RFC 8628). One row per
-- `POST /v1/auth/device`: only keyed digests of the device code (what the
-- CLI polls with) and of the user code (what the person types) are kept.
-- `group_hash` is the digest of the user code's first half: a wrong entry
-- that gets that half right counts against the code, which burns after a
-- few. The row is deleted when the key is minted, the login denied, or a
-- day after it expired.
CREATE TABLE device_codes (
    device_hash      BYTEA PRIMARY KEY,
    user_hash        BYTEA NOT NULL UNIQUE,
    group_hash       BYTEA NOT NULL,
    key_name         TEXT NOT NULL,
    client_name      TEXT,
    client_ip        TEXT NOT NULL,
    created_at       BIGINT NOT NULL,
    expires_at       BIGINT NOT NULL,
    interval_secs    BIGINT NOT NULL,
    last_polled_ms   BIGINT,
    status           TEXT NOT NULL DEFAULT 'pending',
    approver_id      TEXT REFERENCES users(id),
    approver_ip      TEXT,
    failures         BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX device_codes_group ON device_codes (group_hash);
CREATE INDEX device_codes_expires ON device_codes (expires_at);
