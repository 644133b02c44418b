//! Sessions of password logins: digests of their tokens.

use rusqlite::{OptionalExtension, params};

use super::SqliteConn;
use crate::store::{SessionRow, Sessions, StoreResult};

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
}
