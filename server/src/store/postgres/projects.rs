//! Projects of an organization.

use postgres::Row;

use super::PgConn;
use crate::store::{ProjectRow, Projects, StoreResult};

fn project_row(r: &Row) -> ProjectRow {
    ProjectRow {
        seq: r.get(0),
        id: r.get(1),
        org_id: r.get(2),
        name: r.get(3),
        created_at: r.get(4),
    }
}

impl Projects for PgConn {
    fn insert_project(&mut self, p: &ProjectRow) -> StoreResult<i64> {
        let row = self.query_one(
            "INSERT INTO projects (id, org_id, name, created_at) VALUES ($1, $2, $3, $4) \
             RETURNING seq",
            &[&p.id, &p.org_id, &p.name, &p.created_at],
        )?;
        Ok(row.get(0))
    }

    fn project_by_id(&mut self, id: &str) -> StoreResult<Option<ProjectRow>> {
        let row = self.query_opt(
            "SELECT seq, id, org_id, name, created_at FROM projects WHERE id = $1",
            &[&id],
        )?;
        Ok(row.as_ref().map(project_row))
    }

    fn list_projects(
        &mut self,
        org_id: &str,
        after_seq: Option<i64>,
        limit: usize,
    ) -> StoreResult<Vec<ProjectRow>> {
        let rows = self.query(
            "SELECT seq, id, org_id, name, created_at FROM projects \
             WHERE org_id = $1 AND seq > $2 ORDER BY seq LIMIT $3",
            &[
                &org_id,
                &after_seq.unwrap_or(i64::MIN),
                &((limit + 1) as i64),
            ],
        )?;
        Ok(rows.iter().map(project_row).collect())
    }
}
