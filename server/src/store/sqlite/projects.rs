//! Projects of an organization.

use rusqlite::{OptionalExtension, Row, params};

use super::SqliteConn;
use crate::store::{ProjectRow, Projects, StoreResult};

fn project_row(r: &Row<'_>) -> rusqlite::Result<ProjectRow> {
    Ok(ProjectRow {
        seq: r.get(0)?,
        id: r.get(1)?,
        org_id: r.get(2)?,
        name: r.get(3)?,
        created_at: r.get(4)?,
    })
}

impl Projects for SqliteConn {
    fn insert_project(&mut self, p: &ProjectRow) -> StoreResult<i64> {
        self.0.execute(
            "INSERT INTO projects (id, org_id, name, created_at) VALUES (?1, ?2, ?3, ?4)",
            params![p.id, p.org_id, p.name, p.created_at],
        )?;
        Ok(self.0.last_insert_rowid())
    }

    fn project_by_id(&mut self, id: &str) -> StoreResult<Option<ProjectRow>> {
        Ok(self
            .0
            .prepare_cached("SELECT seq, id, org_id, name, created_at FROM projects WHERE id = ?1")?
            .query_row([id], project_row)
            .optional()?)
    }

    fn list_projects(
        &mut self,
        org_id: &str,
        after_seq: Option<i64>,
        limit: usize,
    ) -> StoreResult<Vec<ProjectRow>> {
        let mut stmt = self.0.prepare_cached(
            "SELECT seq, id, org_id, name, created_at FROM projects \
             WHERE org_id = ?1 AND seq > ?2 ORDER BY seq LIMIT ?3",
        )?;
        // A plain `seq > ?2` lets SQLite seek in the index, as in `list_keys`.
        let after = after_seq.unwrap_or(i64::MIN);
        let rows = stmt.query_map(params![org_id, after, (limit + 1) as i64], project_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}
