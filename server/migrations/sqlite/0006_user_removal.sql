-- scripto-server schema, version 6: `scripto-server users remove` marks a
-- user removed (their keys are revoked and sessions ended in the same
-- transaction); a removed user no longer signs in, and a running server's
-- key cache learns of it through auth_epoch.
ALTER TABLE users ADD COLUMN removed_at INTEGER;
CREATE TRIGGER auth_epoch_user_removed AFTER UPDATE OF removed_at ON users
    BEGIN UPDATE auth_epoch SET n = n + 1; END;
