//! One-time codes, MFA challenges and the per-account MFA budget.

use rusqlite::{OptionalExtension, params};

use super::SqliteConn;
use crate::store::{ChallengeFor, ChallengeRow, CodeRow, Codes, StoreResult};

impl Codes for SqliteConn {
    fn put_code(&mut self, c: &CodeRow, email: &str, now: i64) -> StoreResult<()> {
        // Codes of other addresses that ran out a day ago are of no use.
        self.0.execute(
            "DELETE FROM login_codes WHERE expires_at < ?1",
            [now - 86_400],
        )?;
        self.0.execute(
            "INSERT INTO login_codes (email, client, code_hash, expires_at, failures) \
             VALUES (?1, ?2, ?3, ?4, 0) \
             ON CONFLICT (email, client) DO UPDATE SET code_hash = ?3, expires_at = ?4, failures = 0",
            params![email, c.client, c.code_hash, c.expires_at],
        )?;
        Ok(())
    }

    fn codes_for(&mut self, email: &str) -> StoreResult<Vec<CodeRow>> {
        let mut stmt = self.0.prepare_cached(
            "SELECT client, code_hash, expires_at, failures FROM login_codes WHERE email = ?1",
        )?;
        let rows = stmt.query_map([email], |r| {
            Ok(CodeRow {
                client: r.get(0)?,
                code_hash: r.get(1)?,
                expires_at: r.get(2)?,
                failures: r.get(3)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    fn set_code_failures(&mut self, email: &str, client: &str, failures: u32) -> StoreResult<()> {
        self.0.execute(
            "UPDATE login_codes SET failures = ?3 WHERE email = ?1 AND client = ?2",
            params![email, client, failures],
        )?;
        Ok(())
    }

    fn delete_code(&mut self, email: &str, client: &str) -> StoreResult<()> {
        self.0.execute(
            "DELETE FROM login_codes WHERE email = ?1 AND client = ?2",
            params![email, client],
        )?;
        Ok(())
    }

    fn delete_codes(&mut self, email: &str) -> StoreResult<()> {
        self.0
            .execute("DELETE FROM login_codes WHERE email = ?1", [email])?;
        Ok(())
    }

    fn put_challenge(&mut self, hash: &[u8], ch: &ChallengeRow) -> StoreResult<()> {
        let (kind, name, days) = ch.purpose.to_columns();
        self.0.execute(
            "INSERT INTO mfa_challenges (token_hash, user_id, expires_at, purpose, key_name, \
             key_expires_in_days) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![hash, ch.user_id, ch.expires_at, kind, name, days],
        )?;
        Ok(())
    }

    fn get_challenge(&mut self, hash: &[u8]) -> StoreResult<Option<ChallengeRow>> {
        Ok(self
            .0
            .prepare_cached(
                "SELECT user_id, expires_at, failures, purpose, key_name, key_expires_in_days \
                 FROM mfa_challenges WHERE token_hash = ?1",
            )?
            .query_row([hash], |r| {
                Ok(ChallengeRow {
                    user_id: r.get(0)?,
                    expires_at: r.get(1)?,
                    failures: r.get(2)?,
                    purpose: ChallengeFor::from_columns(
                        &r.get::<_, String>(3)?,
                        r.get(4)?,
                        r.get(5)?,
                    ),
                })
            })
            .optional()?)
    }

    fn set_challenge_failures(&mut self, hash: &[u8], failures: u32) -> StoreResult<()> {
        self.0.execute(
            "UPDATE mfa_challenges SET failures = ?2 WHERE token_hash = ?1",
            params![hash, failures],
        )?;
        Ok(())
    }

    fn delete_challenge(&mut self, hash: &[u8]) -> StoreResult<bool> {
        Ok(self
            .0
            .execute("DELETE FROM mfa_challenges WHERE token_hash = ?1", [hash])?
            == 1)
    }

    fn mfa_failures_since(&mut self, user_id: &str, since: i64) -> StoreResult<(u32, Option<i64>)> {
        Ok(self
            .0
            .prepare_cached(
                "SELECT COUNT(*), MIN(at) FROM mfa_failures WHERE user_id = ?1 AND at >= ?2",
            )?
            .query_row(params![user_id, since], |r| Ok((r.get(0)?, r.get(1)?)))?)
    }

    fn record_mfa_failure(&mut self, user_id: &str, at: i64, keep_since: i64) -> StoreResult<()> {
        self.0.execute(
            "DELETE FROM mfa_failures WHERE user_id = ?1 AND at < ?2",
            params![user_id, keep_since],
        )?;
        self.0.execute(
            "INSERT INTO mfa_failures (user_id, at) VALUES (?1, ?2)",
            params![user_id, at],
        )?;
        self.0.execute(
            "UPDATE users SET mfa_failures_since_login = mfa_failures_since_login + 1 \
             WHERE id = ?1",
            [user_id],
        )?;
        Ok(())
    }

    fn take_mfa_failures_since_login(&mut self, user_id: &str) -> StoreResult<u32> {
        let n: u32 = self
            .0
            .prepare_cached("SELECT mfa_failures_since_login FROM users WHERE id = ?1")?
            .query_row([user_id], |r| r.get(0))
            .optional()?
            .unwrap_or(0);
        if n > 0 {
            self.0.execute(
                "UPDATE users SET mfa_failures_since_login = 0 WHERE id = ?1",
                [user_id],
            )?;
        }
        Ok(n)
    }
}
