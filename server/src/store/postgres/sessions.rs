//! Sessions of password logins: digests of their tokens.

use super::PgConn;
use crate::store::{SessionRow, Sessions, StoreResult, WebSessionRow};

impl Sessions for PgConn {
    fn put_session(&mut self, hash: &[u8], s: &SessionRow, now: i64) -> StoreResult<()> {
        // Expired sessions and challenges are of no use to anyone: swept
        // whenever a new session is made.
        self.execute(
            "DELETE FROM sessions WHERE expires_at < $1",
            &[&(now - 86_400)],
        )?;
        self.execute("DELETE FROM mfa_challenges WHERE expires_at < $1", &[&now])?;
        self.execute(
            "INSERT INTO sessions (token_hash, id, user_id, expires_at) VALUES ($1, $2, $3, $4)",
            &[&hash, &s.id, &s.user_id, &s.expires_at],
        )?;
        Ok(())
    }

    fn get_session(&mut self, hash: &[u8]) -> StoreResult<Option<SessionRow>> {
        let row = self.query_opt(
            "SELECT id, user_id, expires_at FROM sessions WHERE token_hash = $1",
            &[&hash],
        )?;
        Ok(row.map(|r| SessionRow {
            id: r.get(0),
            user_id: r.get(1),
            expires_at: r.get(2),
        }))
    }

    fn put_web_session(
        &mut self,
        hash: &[u8],
        s: &WebSessionRow,
        idle_before: i64,
    ) -> StoreResult<()> {
        self.execute(
            "DELETE FROM web_sessions WHERE expires_at < $1 OR last_seen_at < $2",
            &[&s.created_at, &idle_before],
        )?;
        self.execute(
            "INSERT INTO web_sessions (token_hash, id, user_id, created_at, last_seen_at, expires_at) \
             VALUES ($1, $2, $3, $4, $5, $6)",
            &[
                &hash,
                &s.id,
                &s.user_id,
                &s.created_at,
                &s.last_seen_at,
                &s.expires_at,
            ],
        )?;
        Ok(())
    }

    fn get_web_session(&mut self, hash: &[u8]) -> StoreResult<Option<WebSessionRow>> {
        let row = self.query_opt(
            "SELECT id, user_id, created_at, last_seen_at, expires_at \
             FROM web_sessions WHERE token_hash = $1",
            &[&hash],
        )?;
        Ok(row.map(|r| WebSessionRow {
            id: r.get(0),
            user_id: r.get(1),
            created_at: r.get(2),
            last_seen_at: r.get(3),
            expires_at: r.get(4),
        }))
    }

    fn touch_web_session(&mut self, id: &str, at: i64) -> StoreResult<()> {
        self.execute(
            "UPDATE web_sessions SET last_seen_at = $2 WHERE id = $1 AND last_seen_at < $2",
            &[&id, &at],
        )?;
        Ok(())
    }

    fn delete_web_session(&mut self, hash: &[u8]) -> StoreResult<bool> {
        let n = self.execute("DELETE FROM web_sessions WHERE token_hash = $1", &[&hash])?;
        Ok(n > 0)
    }
}
