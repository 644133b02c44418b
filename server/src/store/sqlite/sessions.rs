//! Sessions of password logins: digests of their tokens.

use rusqlite::{OptionalExtension, params};

use super::SqliteConn;
use crate::store::{SessionRow, Sessions, StoreResult, WebSessionRow};

impl Sessions for SqliteConn {
    fn put_session(&mut self, hash: &[u8], s: &SessionRow, now: i64) -> StoreResult<()> {
        // Expired sessions and challenges are of no use to anyone: swept
        // whenever a new session is made.
        self.0
            .execute("DELETE FROM sessions WHERE expires_at < ?1", [now - 86_400])?;
        self.0
            .execute("DELETE FROM mfa_challenges WHERE expires_at < ?1", [now])?;
        self.0.execute(
            "INSERT INTO sessions (token_hash, id, user_id, expires_at) VALUES (?1, ?2, ?3, ?4)",
            params![hash, s.id, s.user_id, s.expires_at],
        )?;
        Ok(())
    }

    fn get_session(&mut self, hash: &[u8]) -> StoreResult<Option<SessionRow>> {
        Ok(self
            .0
            .prepare_cached("SELECT id, user_id, expires_at FROM sessions WHERE token_hash = ?1")?
            .query_row([hash], |r| {
                Ok(SessionRow {
                    id: r.get(0)?,
                    user_id: r.get(1)?,
                    expires_at: r.get(2)?,
                })
            })
            .optional()?)
    }

    fn put_web_session(
        &mut self,
        hash: &[u8],
        s: &WebSessionRow,
        idle_before: i64,
    ) -> StoreResult<()> {
        self.0.execute(
            "DELETE FROM web_sessions WHERE expires_at < ?1 OR last_seen_at < ?2",
            params![s.created_at, idle_before],
        )?;
        self.0.execute(
            "INSERT INTO web_sessions (token_hash, id, user_id, created_at, last_seen_at, expires_at) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![
                hash,
                s.id,
                s.user_id,
                s.created_at,
                s.last_seen_at,
                s.expires_at
            ],
        )?;
        Ok(())
    }

    fn get_web_session(&mut self, hash: &[u8]) -> StoreResult<Option<WebSessionRow>> {
        Ok(self
            .0
            .prepare_cached(
                "SELECT id, user_id, created_at, last_seen_at, expires_at \
                 FROM web_sessions WHERE token_hash = ?1",
            )?
            .query_row([hash], |r| {
                Ok(WebSessionRow {
                    id: r.get(0)?,
                    user_id: r.get(1)?,
                    created_at: r.get(2)?,
                    last_seen_at: r.get(3)?,
                    expires_at: r.get(4)?,
                })
            })
            .optional()?)
    }

    fn touch_web_session(&mut self, id: &str, at: i64) -> StoreResult<()> {
        self.0.execute(
            "UPDATE web_sessions SET last_seen_at = ?2 WHERE id = ?1 AND last_seen_at < ?2",
            params![id, at],
        )?;
        Ok(())
    }

    fn delete_web_session(&mut self, hash: &[u8]) -> StoreResult<bool> {
        let n = self
            .0
            .execute("DELETE FROM web_sessions WHERE token_hash = ?1", [hash])?;
        Ok(n > 0)
    }
}
