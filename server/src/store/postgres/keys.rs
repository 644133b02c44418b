//! API keys: digests, never secrets.

use postgres::Row;
use scripto_wire::types::KeyType;

use super::PgConn;
use crate::ip_rules;
use crate::store::rows::{ids_str, parse_ids, parse_scopes, scopes_str};
use crate::store::{KeyQuery, KeyRow, Keys, StatusFilter, StoreResult};

const KEY_COLS: &str = "seq, id, name, start, key_type, scopes, project_ids, owner_id, org_id, \
     created_at, expires_at, last_used_at, revoked_at, allowed_ips, replaces, replaced_by";

fn key_row(r: &Row) -> KeyRow {
    KeyRow {
        seq: r.get(0),
        id: r.get(1),
        name: r.get(2),
        start: r.get(3),
        key_type: KeyType::from_name(r.get(4)).unwrap_or_default(),
        scopes: parse_scopes(r.get(5)),
        project_ids: parse_ids(r.get(6)),
        owner_id: r.get(7),
        org_id: r.get(8),
        created_at: r.get(9),
        expires_at: r.get(10),
        last_used_at: r.get(11),
        revoked_at: r.get(12),
        allowed_ips: ip_rules::from_stored(r.get(13)),
        replaces: r.get(14),
        replaced_by: r.get(15),
    }
}

impl Keys for PgConn {
    fn insert_key(&mut self, k: &KeyRow, digest: &[u8]) -> StoreResult<i64> {
        let row = self.query_one(
            "INSERT INTO api_keys (id, digest, name, start, key_type, scopes, project_ids, \
             owner_id, org_id, created_at, expires_at, allowed_ips, replaces) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING seq",
            &[
                &k.id,
                &digest,
                &k.name,
                &k.start,
                &k.key_type.as_str(),
                &scopes_str(&k.scopes),
                &ids_str(&k.project_ids),
                &k.owner_id,
                &k.org_id,
                &k.created_at,
                &k.expires_at,
                &ip_rules::to_stored(&k.allowed_ips),
                &k.replaces,
            ],
        )?;
        Ok(row.get(0))
    }

    fn key_by_digest(&mut self, digest: &[u8]) -> StoreResult<Option<(KeyRow, Vec<u8>)>> {
        let sql = format!("SELECT {KEY_COLS}, digest FROM api_keys WHERE digest = $1");
        Ok(self
            .query_opt(&sql, &[&digest])?
            .map(|r| (key_row(&r), r.get(16))))
    }

    fn key_by_id(&mut self, id: &str) -> StoreResult<Option<KeyRow>> {
        let sql = format!("SELECT {KEY_COLS} FROM api_keys WHERE id = $1");
        Ok(self.query_opt(&sql, &[&id])?.as_ref().map(key_row))
    }

    fn list_keys(&mut self, q: &KeyQuery<'_>) -> StoreResult<Vec<KeyRow>> {
        // One fixed statement per filter; the values are parameters.
        let status = match q.status {
            StatusFilter::Active => {
                "revoked_at IS NULL AND (expires_at IS NULL OR expires_at > $3)"
            }
            StatusFilter::Expired => {
                "revoked_at IS NULL AND expires_at IS NOT NULL AND expires_at <= $3"
            }
            StatusFilter::Revoked => "revoked_at IS NOT NULL AND $3::BIGINT IS NOT NULL",
            StatusFilter::All => "$3::BIGINT IS NOT NULL",
        };
        let sql = format!(
            "SELECT {KEY_COLS} FROM api_keys WHERE org_id = $1 \
             AND ($2::TEXT IS NULL OR owner_id = $2) \
             AND {status} AND seq < $4 ORDER BY seq DESC LIMIT $5"
        );
        let rows = self.query(
            &sql,
            &[
                &q.org_id,
                &q.owner_id,
                &q.now,
                &q.before_seq.unwrap_or(i64::MAX),
                &((q.limit + 1) as i64),
            ],
        )?;
        Ok(rows.iter().map(key_row).collect())
    }

    fn revoke_key(&mut self, id: &str, at: i64) -> StoreResult<()> {
        self.execute(
            "UPDATE api_keys SET revoked_at = $2 WHERE id = $1 AND revoked_at IS NULL",
            &[&id, &at],
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
            None => self.execute(
                "UPDATE api_keys SET replaced_by = $2, revoked_at = COALESCE(revoked_at, $3) \
                 WHERE id = $1 AND replaced_by IS NULL",
                &[&old_id, &successor_id, &now],
            )?,
            Some(at) => self.execute(
                "UPDATE api_keys SET replaced_by = $2, \
                 expires_at = CASE WHEN expires_at IS NULL OR expires_at > $3 THEN $3 ELSE expires_at END \
                 WHERE id = $1 AND replaced_by IS NULL",
                &[&old_id, &successor_id, &at],
            )?,
        };
        Ok(n == 1)
    }

    fn write_last_used(&mut self, uses: &[(String, i64)]) -> StoreResult<()> {
        for (id, ts) in uses {
            self.execute(
                "UPDATE api_keys SET last_used_at = GREATEST(COALESCE(last_used_at, 0), $2) \
                 WHERE id = $1",
                &[id, ts],
            )?;
        }
        Ok(())
    }
}
