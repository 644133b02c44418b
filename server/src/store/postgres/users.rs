//! Organizations, users and their second factors.

use postgres::Row;
use scripto_wire::types::Role;

use super::PgConn;
use crate::store::rows::parse_role;
use crate::store::{OrgRow, StoreResult, UserRow, Users};

const USER_COLS: &str = "id, org_id, email, name, role, password_hash, totp_secret_enc";

fn user_row(r: &Row) -> UserRow {
    UserRow {
        id: r.get(0),
        org_id: r.get(1),
        email: r.get(2),
        name: r.get(3),
        role: parse_role(r.get(4)),
        password_hash: r.get(5),
        totp_secret_enc: r.get(6),
    }
}

fn org_row(r: &Row) -> OrgRow {
    OrgRow {
        id: r.get(0),
        name: r.get(1),
        plan: r.get(2),
    }
}

impl Users for PgConn {
    fn org_by_id(&mut self, id: &str) -> StoreResult<Option<OrgRow>> {
        let row = self.query_opt("SELECT id, name, plan FROM orgs WHERE id = $1", &[&id])?;
        Ok(row.as_ref().map(org_row))
    }

    fn org_by_name(&mut self, name: &str) -> StoreResult<Option<OrgRow>> {
        let row = self.query_opt("SELECT id, name, plan FROM orgs WHERE name = $1", &[&name])?;
        Ok(row.as_ref().map(org_row))
    }

    fn insert_org(&mut self, org: &OrgRow, created_at: i64) -> StoreResult<()> {
        self.execute(
            "INSERT INTO orgs (id, name, plan, created_at) VALUES ($1, $2, $3, $4)",
            &[&org.id, &org.name, &org.plan, &created_at],
        )?;
        Ok(())
    }

    fn user_by_email(&mut self, email: &str) -> StoreResult<Option<UserRow>> {
        let sql = format!("SELECT {USER_COLS} FROM users WHERE email = $1 AND removed_at IS NULL");
        Ok(self.query_opt(&sql, &[&email])?.as_ref().map(user_row))
    }

    fn user_by_id(&mut self, id: &str) -> StoreResult<Option<UserRow>> {
        let sql = format!("SELECT {USER_COLS} FROM users WHERE id = $1 AND removed_at IS NULL");
        Ok(self.query_opt(&sql, &[&id])?.as_ref().map(user_row))
    }

    fn insert_user(&mut self, u: &UserRow, created_at: i64) -> StoreResult<()> {
        self.execute(
            "INSERT INTO users (id, org_id, email, name, role, password_hash, totp_secret_enc, \
             created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
            &[
                &u.id,
                &u.org_id,
                &u.email,
                &u.name,
                &u.role.as_str(),
                &u.password_hash,
                &u.totp_secret_enc,
                &created_at,
            ],
        )?;
        Ok(())
    }

    fn set_role(&mut self, user_id: &str, role: Role) -> StoreResult<()> {
        self.execute(
            "UPDATE users SET role = $2 WHERE id = $1",
            &[&user_id, &role.as_str()],
        )?;
        Ok(())
    }

    fn remove_user(&mut self, user_id: &str, at: i64) -> StoreResult<usize> {
        let revoked = self.execute(
            "UPDATE api_keys SET revoked_at = $2 WHERE owner_id = $1 AND revoked_at IS NULL",
            &[&user_id, &at],
        )?;
        self.execute("DELETE FROM sessions WHERE user_id = $1", &[&user_id])?;
        self.execute("DELETE FROM web_sessions WHERE user_id = $1", &[&user_id])?;
        self.execute("DELETE FROM mfa_challenges WHERE user_id = $1", &[&user_id])?;
        self.execute(
            "UPDATE users SET removed_at = $2 WHERE id = $1 AND removed_at IS NULL",
            &[&user_id, &at],
        )?;
        Ok(revoked as usize)
    }

    fn use_totp_step(&mut self, user_id: &str, step: i64) -> StoreResult<bool> {
        let n = self.execute(
            "UPDATE users SET totp_last_step = $2 \
             WHERE id = $1 AND (totp_last_step IS NULL OR totp_last_step < $2)",
            &[&user_id, &step],
        )?;
        Ok(n == 1)
    }

    fn add_backup_code(&mut self, user_id: &str, hash: &[u8]) -> StoreResult<()> {
        self.execute(
            "INSERT INTO backup_codes (user_id, code_hash) VALUES ($1, $2)",
            &[&user_id, &hash],
        )?;
        Ok(())
    }

    fn use_backup_code(&mut self, user_id: &str, hash: &[u8], at: i64) -> StoreResult<bool> {
        let n = self.execute(
            "UPDATE backup_codes SET used_at = $3 \
             WHERE user_id = $1 AND code_hash = $2 AND used_at IS NULL",
            &[&user_id, &hash, &at],
        )?;
        Ok(n == 1)
    }
}
