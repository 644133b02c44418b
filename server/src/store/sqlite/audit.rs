//! The audit tables. Fixed SQL only: filters are parameters, never text
//! assembled from a request.

use rusqlite::{OptionalExtension, Row, params};
use serde_json::Value;

use super::SqliteConn;
use crate::audit::Event;
use crate::store::{AuditLog, EventQuery, EventRow, StoreResult};

const COLS: &str = "id, created_at, type, actor_user_id, actor_credential, ip, \
     target_type, target_id, outcome, details";

fn event_row(r: &Row<'_>) -> rusqlite::Result<EventRow> {
    Ok(EventRow {
        id: r.get(0)?,
        created_at: r.get(1)?,
        kind: r.get(2)?,
        actor_user_id: r.get(3)?,
        actor_credential: r.get(4)?,
        ip: r.get(5)?,
        target_type: r.get(6)?,
        target_id: r.get(7)?,
        outcome: r.get(8)?,
        details: serde_json::from_str(&r.get::<_, String>(9)?).unwrap_or(Value::Null),
    })
}

impl AuditLog for SqliteConn {
    fn insert_event(&mut self, id: &str, at: i64, e: &Event) -> StoreResult<()> {
        self.0
            .prepare_cached(
                "INSERT INTO audit_events (id, created_at, type, org_id, actor_user_id, \
                 actor_credential, ip, target_type, target_id, subject_user_id, outcome, details) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
            )?
            .execute(params![
                id,
                at,
                e.kind.as_str(),
                e.org_id,
                e.actor.user_id,
                e.actor.credential,
                e.actor.ip.map(|ip| ip.to_string()),
                e.target.as_ref().map(|t| t.kind),
                e.target.as_ref().map(|t| t.id.as_str()),
                e.subject_user_id,
                e.outcome.as_str(),
                e.details.to_string(),
            ])?;
        Ok(())
    }

    fn list_events(&mut self, q: &EventQuery<'_>) -> StoreResult<Vec<EventRow>> {
        let sql = format!(
            "SELECT {COLS} FROM audit_events WHERE org_id = ?1 \
             AND (?2 IS NULL OR actor_user_id = ?2 OR subject_user_id = ?2) \
             AND (?3 IS NULL OR target_id = ?3 OR actor_credential = ?3) \
             AND (?4 IS NULL OR actor_user_id = ?4 OR actor_credential = ?4) \
             AND (?5 IS NULL OR type = ?5) \
             AND (?6 IS NULL OR created_at >= ?6) \
             AND (?7 IS NULL OR created_at <= ?7) \
             AND seq < ?8 ORDER BY seq DESC LIMIT ?9"
        );
        let mut stmt = self.0.prepare_cached(&sql)?;
        let rows = stmt.query_map(
            params![
                q.org_id,
                q.visible_to,
                q.key_id,
                q.actor,
                q.kind,
                q.since,
                q.until,
                q.before_seq,
                (q.limit + 1) as i64
            ],
            event_row,
        )?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    fn event_seq(&mut self, q: &EventQuery<'_>, id: &str) -> StoreResult<Option<i64>> {
        Ok(self
            .0
            .prepare_cached(
                "SELECT seq FROM audit_events WHERE id = ?1 AND org_id = ?2 \
                 AND (?3 IS NULL OR actor_user_id = ?3 OR subject_user_id = ?3)",
            )?
            .query_row(params![id, q.org_id, q.visible_to], |r| r.get(0))
            .optional()?)
    }

    fn set_event_count(&mut self, id: &str, count: u64) -> StoreResult<()> {
        self.0
            .prepare_cached(
                "UPDATE audit_events SET details = json_set(details, '$.count', ?2) WHERE id = ?1",
            )?
            .execute(params![id, count as i64])?;
        Ok(())
    }

    fn note_key_address(&mut self, key_id: &str, ip: &str, at: i64) -> StoreResult<bool> {
        let added = self
            .0
            .prepare_cached(
                "INSERT OR IGNORE INTO key_addresses (key_id, ip, first_seen) VALUES (?1, ?2, ?3)",
            )?
            .execute(params![key_id, ip, at])?;
        Ok(added == 1)
    }

    fn prune_events(&mut self, before: i64) -> StoreResult<usize> {
        Ok(self
            .0
            .prepare_cached("DELETE FROM audit_events WHERE created_at < ?1")?
            .execute([before])?)
    }
}
