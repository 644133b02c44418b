//! The audit tables. Fixed SQL only: filters are parameters, never text
//! assembled from a request.

use postgres::Row;
use serde_json::Value;

use super::PgConn;
use crate::audit::Event;
use crate::store::{AuditLog, EventQuery, EventRow, StoreResult};

const COLS: &str = "id, created_at, type, actor_user_id, actor_credential, ip, \
     target_type, target_id, outcome, details";

fn event_row(r: &Row) -> EventRow {
    EventRow {
        id: r.get(0),
        created_at: r.get(1),
        kind: r.get(2),
        actor_user_id: r.get(3),
        actor_credential: r.get(4),
        ip: r.get(5),
        target_type: r.get(6),
        target_id: r.get(7),
        outcome: r.get(8),
        details: serde_json::from_str(r.get(9)).unwrap_or(Value::Null),
    }
}

impl AuditLog for PgConn {
    fn insert_event(&mut self, id: &str, at: i64, e: &Event) -> StoreResult<()> {
        self.execute(
            "INSERT INTO audit_events (id, created_at, type, org_id, actor_user_id, \
             actor_credential, ip, target_type, target_id, subject_user_id, outcome, details) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
            &[
                &id,
                &at,
                &e.kind.as_str(),
                &e.org_id,
                &e.actor.user_id,
                &e.actor.credential,
                &e.actor.ip.map(|ip| ip.to_string()),
                &e.target.as_ref().map(|t| t.kind),
                &e.target.as_ref().map(|t| t.id.as_str()),
                &e.subject_user_id,
                &e.outcome.as_str(),
                &e.details.to_string(),
            ],
        )?;
        Ok(())
    }

    fn list_events(&mut self, q: &EventQuery<'_>) -> StoreResult<Vec<EventRow>> {
        let sql = format!(
            "SELECT {COLS} FROM audit_events WHERE org_id = $1 \
             AND ($2::TEXT IS NULL OR actor_user_id = $2 OR subject_user_id = $2) \
             AND ($3::TEXT IS NULL OR target_id = $3 OR actor_credential = $3) \
             AND ($4::TEXT IS NULL OR actor_user_id = $4 OR actor_credential = $4) \
             AND ($5::TEXT IS NULL OR type = $5) \
             AND ($6::BIGINT IS NULL OR created_at >= $6) \
             AND ($7::BIGINT IS NULL OR created_at <= $7) \
             AND seq < $8 ORDER BY seq DESC LIMIT $9"
        );
        let rows = self.query(
            &sql,
            &[
                &q.org_id,
                &q.visible_to,
                &q.key_id,
                &q.actor,
                &q.kind,
                &q.since,
                &q.until,
                &q.before_seq,
                &((q.limit + 1) as i64),
            ],
        )?;
        Ok(rows.iter().map(event_row).collect())
    }

    fn event_seq(&mut self, q: &EventQuery<'_>, id: &str) -> StoreResult<Option<i64>> {
        let row = self.query_opt(
            "SELECT seq FROM audit_events WHERE id = $1 AND org_id = $2 \
             AND ($3::TEXT IS NULL OR actor_user_id = $3 OR subject_user_id = $3)",
            &[&id, &q.org_id, &q.visible_to],
        )?;
        Ok(row.map(|r| r.get(0)))
    }

    fn set_event_count(&mut self, id: &str, count: u64) -> StoreResult<()> {
        self.execute(
            "UPDATE audit_events \
             SET details = jsonb_set(details::jsonb, '{count}', to_jsonb($2::BIGINT))::TEXT \
             WHERE id = $1",
            &[&id, &(count as i64)],
        )?;
        Ok(())
    }

    fn note_key_address(&mut self, key_id: &str, ip: &str, at: i64) -> StoreResult<bool> {
        let added = self.execute(
            "INSERT INTO key_addresses (key_id, ip, first_seen) VALUES ($1, $2, $3) \
             ON CONFLICT DO NOTHING",
            &[&key_id, &ip, &at],
        )?;
        Ok(added == 1)
    }

    fn prune_events(&mut self, before: i64) -> StoreResult<usize> {
        let n = self.execute("DELETE FROM audit_events WHERE created_at < $1", &[&before])?;
        Ok(n as usize)
    }
}
