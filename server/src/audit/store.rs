//! The audit tables. Fixed SQL only: filters are parameters, never text
//! assembled from a request.

use rusqlite::{Connection, OptionalExtension, Row, params};
use serde_json::Value;

use super::Event;
use crate::util::{new_id, now};

pub fn insert(conn: &Connection, e: &Event) -> rusqlite::Result<String> {
    let id = new_id("evt_");
    conn.prepare_cached(
        "INSERT INTO audit_events (id, created_at, type, org_id, actor_user_id, \
         actor_credential, ip, target_type, target_id, subject_user_id, outcome, details) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
    )?
    .execute(params![
        id,
        now(),
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
    Ok(id)
}

/// A stored event.
#[derive(Debug, Clone)]
pub struct EventRow {
    pub id: String,
    pub created_at: i64,
    pub kind: String,
    pub actor_user_id: Option<String>,
    pub actor_credential: Option<String>,
    pub ip: Option<String>,
    pub target_type: Option<String>,
    pub target_id: Option<String>,
    pub outcome: String,
    pub details: Value,
}

const COLS: &str = "id, created_at, type, actor_user_id, actor_credential, ip, \
     target_type, target_id, outcome, details";

fn row(r: &Row<'_>) -> rusqlite::Result<EventRow> {
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

/// Who may see what, and the filters of `GET /v1/audit-events`.
pub struct Query<'a> {
    pub org_id: &'a str,
    /// `None`: the whole organization (admins); else only events this user
    /// did or that are about them.
    pub visible_to: Option<&'a str>,
    /// A key id: events about the key or done with it.
    pub key_id: Option<&'a str>,
    /// A user or credential id.
    pub actor: Option<&'a str>,
    pub kind: Option<&'a str>,
    pub since: Option<i64>,
    pub until: Option<i64>,
    /// Only events older than this `seq` (the cursor).
    pub before_seq: i64,
    pub limit: usize,
}

/// Newest first; `limit + 1` rows at most, so the caller can tell `has_more`.
pub fn list(conn: &Connection, q: &Query<'_>) -> rusqlite::Result<Vec<EventRow>> {
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
    let mut stmt = conn.prepare_cached(&sql)?;
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
        row,
    )?;
    rows.collect()
}

/// The `seq` of a visible event (for the cursor).
pub fn seq_of(conn: &Connection, q: &Query<'_>, id: &str) -> rusqlite::Result<Option<i64>> {
    conn.prepare_cached(
        "SELECT seq FROM audit_events WHERE id = ?1 AND org_id = ?2 \
         AND (?3 IS NULL OR actor_user_id = ?3 OR subject_user_id = ?3)",
    )?
    .query_row(params![id, q.org_id, q.visible_to], |r| r.get(0))
    .optional()
}

/// Sets `details.count` of an aggregated event.
pub fn set_count(conn: &Connection, id: &str, count: u64) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "UPDATE audit_events SET details = json_set(details, '$.count', ?2) WHERE id = ?1",
    )?
    .execute(params![id, count as i64])?;
    Ok(())
}

/// Records that `key_id` was used from `ip`; true the first time.
pub fn note_address(conn: &Connection, key_id: &str, ip: &str) -> rusqlite::Result<bool> {
    let added = conn
        .prepare_cached(
            "INSERT OR IGNORE INTO key_addresses (key_id, ip, first_seen) VALUES (?1, ?2, ?3)",
        )?
        .execute(params![key_id, ip, now()])?;
    Ok(added == 1)
}

/// Deletes events older than `before` (unix seconds); how many.
pub fn prune(conn: &Connection, before: i64) -> rusqlite::Result<usize> {
    conn.prepare_cached("DELETE FROM audit_events WHERE created_at < ?1")?
        .execute([before])
}
