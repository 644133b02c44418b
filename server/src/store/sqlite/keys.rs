//! API keys: digests, never secrets.

use rusqlite::{OptionalExtension, Row, params};
use scripto_wire::types::KeyType;

use super::SqliteConn;
use crate::ip_rules;
use crate::store::rows::{ids_str, parse_ids, parse_scopes, scopes_str};
use crate::store::{KeyQuery, KeyRow, Keys, StatusFilter, StoreResult};

const KEY_COLS: &str = "seq, id, name, start, key_type, scopes, project_ids, owner_id, org_id, \
     created_at, expires_at, last_used_at, revoked_at, allowed_ips, replaces, replaced_by";

fn key_row(r: &Row<'_>) -> rusqlite::Result<KeyRow> {
    Ok(KeyRow {
        seq: r.get(0)?,
        id: r.get(1)?,
        name: r.get(2)?,
        start: r.get(3)?,
        key_type: KeyType::from_name(&r.get::<_, String>(4)?).unwrap_or_default(),
        scopes: parse_scopes(&r.get::<_, String>(5)?),
        project_ids: parse_ids(&r.get::<_, String>(6)?),
        owner_id: r.get(7)?,
        org_id: r.get(8)?,
        created_at: r.get(9)?,
        expires_at: r.get(10)?,
        last_used_at: r.get(11)?,
        revoked_at: r.get(12)?,
        allowed_ips: ip_rules::from_stored(&r.get::<_, String>(13)?),
        replaces: r.get(14)?,
        replaced_by: r.get(15)?,
    })
}

impl Keys for SqliteConn {
    fn insert_key(&mut self, k: &KeyRow, digest: &[u8]) -> StoreResult<i64> {
        self.0.execute(
            "INSERT INTO api_keys (id, digest, name, start, key_type, scopes, project_ids, \
             owner_id, org_id, created_at, expires_at, allowed_ips, replaces) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
            params![
                k.id,
                digest,
                k.name,
                k.start,
                k.key_type.as_str(),
                scopes_str(&k.scopes),
                ids_str(&k.project_ids),
                k.owner_id,
                k.org_id,
                k.created_at,
                k.expires_at,
                ip_rules::to_stored(&k.allowed_ips),
                k.replaces
            ],
        )?;
        Ok(self.0.last_insert_rowid())
    }

    fn key_by_digest(&mut self, digest: &[u8]) -> StoreResult<Option<(KeyRow, Vec<u8>)>> {
        Ok(self
            .0
            .prepare_cached(&format!(
                "SELECT {KEY_COLS}, digest FROM api_keys WHERE digest = ?1"
            ))?
            .query_row([digest], |r| Ok((key_row(r)?, r.get(16)?)))
            .optional()?)
    }

    fn key_by_id(&mut self, id: &str) -> StoreResult<Option<KeyRow>> {
        Ok(self
            .0
            .prepare_cached(&format!("SELECT {KEY_COLS} FROM api_keys WHERE id = ?1"))?
            .query_row([id], key_row)
            .optional()?)
    }

    fn list_keys(&mut self, q: &KeyQuery<'_>) -> StoreResult<Vec<KeyRow>> {
        // One fixed statement per filter; the values are parameters.
        let status = match q.status {
            StatusFilter::Active => {
                "revoked_at IS NULL AND (expires_at IS NULL OR expires_at > ?3)"
            }
            StatusFilter::Expired => {
                "revoked_at IS NULL AND expires_at IS NOT NULL AND expires_at <= ?3"
            }
            StatusFilter::Revoked => "revoked_at IS NOT NULL AND ?3 = ?3",
            StatusFilter::All => "?3 = ?3",
        };
        let sql = format!(
            "SELECT {KEY_COLS} FROM api_keys WHERE org_id = ?1 AND (?2 IS NULL OR owner_id = ?2) \
             AND {status} AND seq < ?4 ORDER BY seq DESC LIMIT ?5"
        );
        let mut stmt = self.0.prepare_cached(&sql)?;
        let rows = stmt.query_map(
            params![
                q.org_id,
                q.owner_id,
                q.now,
                // A plain `seq < ?4` (no `?4 IS NULL OR`) lets SQLite seek in
                // the (org_id, seq) index; with the OR it walked every newer
                // row, so each page of `--all` cost more than the last.
                q.before_seq.unwrap_or(i64::MAX),
                (q.limit + 1) as i64
            ],
            key_row,
        )?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    fn revoke_key(&mut self, id: &str, at: i64) -> StoreResult<()> {
        self.0.execute(
            "UPDATE api_keys SET revoked_at = ?2 WHERE id = ?1 AND revoked_at IS NULL",
            params![id, at],
        )?;
        Ok(())
    }

    fn retire_rotated_key(
        &mut self,
        old_id: &str,
        successor_id: &str,
        ends_at: Option<i64>,
        now: i64,
    ) -> StoreResult<bool> {
        let n = match ends_at {
            None => self.0.execute(
                "UPDATE api_keys SET replaced_by = ?2, revoked_at = COALESCE(revoked_at, ?3) \
                 WHERE id = ?1 AND replaced_by IS NULL",
                params![old_id, successor_id, now],
            )?,
            Some(at) => self.0.execute(
                "UPDATE api_keys SET replaced_by = ?2, \
                 expires_at = CASE WHEN expires_at IS NULL OR expires_at > ?3 THEN ?3 ELSE expires_at END \
                 WHERE id = ?1 AND replaced_by IS NULL",
                params![old_id, successor_id, at],
            )?,
        };
        Ok(n == 1)
    }

    fn write_last_used(&mut self, uses: &[(String, i64)]) -> StoreResult<()> {
        let mut stmt = self.0.prepare_cached(
            "UPDATE api_keys SET last_used_at = MAX(COALESCE(last_used_at, 0), ?2) WHERE id = ?1",
        )?;
        for (id, ts) in uses {
            stmt.execute(params![id, ts])?;
        }
        Ok(())
    }
}
