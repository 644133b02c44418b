//! Sessions of password logins: digests of their tokens.

use super::PgConn;
use crate::store::{SessionRow, Sessions, StoreResult};

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
}
