//! One-time codes, MFA challenges and the per-account MFA budget.

use super::{PgConn, count};
use crate::store::{ChallengeFor, ChallengeRow, CodeRow, Codes, StoreResult};

impl Codes for PgConn {
    fn put_code(&mut self, c: &CodeRow, email: &str, now: i64) -> StoreResult<()> {
        // Codes of other addresses that ran out a day ago are of no use.
        self.execute(
            "DELETE FROM login_codes WHERE expires_at < $1",
            &[&(now - 86_400)],
        )?;
        self.execute(
            "INSERT INTO login_codes (email, client, code_hash, expires_at, failures) \
             VALUES ($1, $2, $3, $4, 0) \
             ON CONFLICT (email, client) DO UPDATE SET code_hash = $3, expires_at = $4, failures = 0",
            &[&email, &c.client, &c.code_hash, &c.expires_at],
        )?;
        Ok(())
    }

    fn codes_for(&mut self, email: &str) -> StoreResult<Vec<CodeRow>> {
        let rows = self.query(
            "SELECT client, code_hash, expires_at, failures FROM login_codes WHERE email = $1",
            &[&email],
        )?;
        Ok(rows
            .iter()
            .map(|r| CodeRow {
                client: r.get(0),
                code_hash: r.get(1),
                expires_at: r.get(2),
                failures: count(r.get(3)),
            })
            .collect())
    }

    fn set_code_failures(&mut self, email: &str, client: &str, failures: u32) -> StoreResult<()> {
        self.execute(
            "UPDATE login_codes SET failures = $3 WHERE email = $1 AND client = $2",
            &[&email, &client, &i64::from(failures)],
        )?;
        Ok(())
    }

    fn delete_code(&mut self, email: &str, client: &str) -> StoreResult<()> {
        self.execute(
            "DELETE FROM login_codes WHERE email = $1 AND client = $2",
            &[&email, &client],
        )?;
        Ok(())
    }

    fn delete_codes(&mut self, email: &str) -> StoreResult<()> {
        self.execute("DELETE FROM login_codes WHERE email = $1", &[&email])?;
        Ok(())
    }

    fn put_challenge(&mut self, hash: &[u8], ch: &ChallengeRow) -> StoreResult<()> {
        let (kind, name, days) = ch.purpose.to_columns();
        self.execute(
            "INSERT INTO mfa_challenges (token_hash, user_id, expires_at, purpose, key_name, \
             key_expires_in_days) VALUES ($1, $2, $3, $4, $5, $6)",
            &[
                &hash,
                &ch.user_id,
                &ch.expires_at,
                &kind,
                &name,
                &days.map(i64::from),
            ],
        )?;
        Ok(())
    }

    fn get_challenge(&mut self, hash: &[u8]) -> StoreResult<Option<ChallengeRow>> {
        let row = self.query_opt(
            "SELECT user_id, expires_at, failures, purpose, key_name, key_expires_in_days \
             FROM mfa_challenges WHERE token_hash = $1",
            &[&hash],
        )?;
        Ok(row.map(|r| ChallengeRow {
            user_id: r.get(0),
            expires_at: r.get(1),
            failures: count(r.get(2)),
            purpose: ChallengeFor::from_columns(
                r.get(3),
                r.get(4),
                r.get::<_, Option<i64>>(5).map(count),
            ),
        }))
    }

    fn set_challenge_failures(&mut self, hash: &[u8], failures: u32) -> StoreResult<()> {
        self.execute(
            "UPDATE mfa_challenges SET failures = $2 WHERE token_hash = $1",
            &[&hash, &i64::from(failures)],
        )?;
        Ok(())
    }

    fn delete_challenge(&mut self, hash: &[u8]) -> StoreResult<bool> {
        Ok(self.execute("DELETE FROM mfa_challenges WHERE token_hash = $1", &[&hash])? == 1)
    }

    fn mfa_failures_since(&mut self, user_id: &str, since: i64) -> StoreResult<(u32, Option<i64>)> {
        let r = self.query_one(
            "SELECT COUNT(*), MIN(at) FROM mfa_failures WHERE user_id = $1 AND at >= $2",
            &[&user_id, &since],
        )?;
        Ok((count(r.get(0)), r.get(1)))
    }

    fn record_mfa_failure(&mut self, user_id: &str, at: i64, keep_since: i64) -> StoreResult<()> {
        self.execute(
            "DELETE FROM mfa_failures WHERE user_id = $1 AND at < $2",
            &[&user_id, &keep_since],
        )?;
        self.execute(
            "INSERT INTO mfa_failures (user_id, at) VALUES ($1, $2)",
            &[&user_id, &at],
        )?;
        self.execute(
            "UPDATE users SET mfa_failures_since_login = mfa_failures_since_login + 1 \
             WHERE id = $1",
            &[&user_id],
        )?;
        Ok(())
    }

    fn take_mfa_failures_since_login(&mut self, user_id: &str) -> StoreResult<u32> {
        let n = self
            .query_opt(
                "SELECT mfa_failures_since_login FROM users WHERE id = $1",
                &[&user_id],
            )?
            .map_or(0, |r| count(r.get(0)));
        if n > 0 {
            self.execute(
                "UPDATE users SET mfa_failures_since_login = 0 WHERE id = $1",
                &[&user_id],
            )?;
        }
        Ok(n)
    }
}
