-- A second factor asked after a single sign-on finishes only in the web
-- console: a purpose of its own.
ALTER TABLE mfa_challenges DROP CONSTRAINT mfa_challenges_purpose_check;
ALTER TABLE mfa_challenges ADD CONSTRAINT mfa_challenges_purpose_check
    CHECK (purpose IN ('session', 'key', 'sso_session'));
