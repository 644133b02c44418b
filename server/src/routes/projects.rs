//! `/v1/projects`: the projects a credential can reach.

use axum::extract::rejection::PathRejection;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use scripto_wire::types::{Envelope, Project};

use super::{ok, ok_list};
use crate::auth::Principal;
use crate::db::{self, ProjectRow};
use crate::error::ApiErr;
use crate::extract::QueryMap;
use crate::openapi::Page;
use crate::state::AppState;
use crate::util::{is_id, rfc3339};

fn project_json(p: &ProjectRow) -> Project {
    Project {
        id: p.id.clone(),
        name: p.name.clone(),
        org_id: p.org_id.clone(),
        created_at: rfc3339(p.created_at),
    }
}

/// Oldest first; a project-scoped credential sees only its projects.
#[utoipa::path(
    get,
    path = "/v1/projects",
    operation_id = "listProjects",
    tag = "projects",
    security(("bearer" = [])),
    params(
        ("limit" = Option<u32>, Query, description = "Page size, 1–100 (default 20)", minimum = 1, maximum = 100),
        ("cursor" = Option<String>, Query, description = "`pagination.next_cursor` of the previous page",
            pattern = "^proj_[0-9A-Za-z]{16,64}$"),
    ),
    responses(
        (status = 200, description = "A page of projects", body = Page<Project>,
            links(
                ("getProject" = (operation_id = "getProject", parameters(("id" = "$response.body#/data/0/id")))),
            )),
        crate::openapi::errors::ListProjects,
    )
)]
pub async fn list(
    State(state): State<AppState>,
    p: Principal,
    q: QueryMap,
) -> Result<Response, ApiErr> {
    q.only(&["limit", "cursor"])?;
    let limit = q.limit()?;
    let cursor = q.get("cursor").map(str::to_owned);
    let p2 = p.clone();
    let (rows, has_more) = state
        .0
        .db
        .run(move |conn| {
            let mut after = match &cursor {
                None => None,
                Some(c) => match db::project_by_id(conn, c)? {
                    // A project the credential cannot see is no cursor of
                    // its listing (as for keys).
                    Some(pr) if pr.org_id == p2.org.id && p2.can_reach_project(&pr.id) => {
                        Some(pr.seq)
                    }
                    _ => {
                        return Err(ApiErr::validation(
                            "cursor",
                            "is not a cursor of this listing",
                        ));
                    }
                },
            };
            // Filter page by page so a scoped credential still gets full pages.
            let mut out = Vec::new();
            loop {
                let batch = db::list_projects(conn, &p2.org.id, after, 100)?;
                let more = batch.len() > 100;
                for pr in batch.into_iter().take(100) {
                    after = Some(pr.seq);
                    if p2.can_reach_project(&pr.id) {
                        out.push(pr);
                        if out.len() > limit {
                            return Ok((out, true));
                        }
                    }
                }
                if !more {
                    return Ok((out, false));
                }
            }
        })
        .await?;
    let page: Vec<Project> = rows.iter().take(limit).map(project_json).collect();
    let next = if has_more {
        page.last().map(|p| p.id.clone())
    } else {
        None
    };
    Ok(ok_list(page, has_more, next))
}

/// One project of the caller's organization.
#[utoipa::path(
    get,
    path = "/v1/projects/{id}",
    operation_id = "getProject",
    tag = "projects",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "A project id", pattern = "^proj_[0-9A-Za-z]{16,64}$")),
    responses(
        (status = 200, description = "The project", body = Envelope<Project>),
        crate::openapi::errors::GetProject,
    )
)]
pub async fn get_one(
    State(state): State<AppState>,
    p: Principal,
    id: Result<Path<String>, PathRejection>,
) -> Result<Response, ApiErr> {
    let Ok(Path(id)) = id else {
        return Err(ApiErr::not_found("project"));
    };
    if !is_id(&id, "proj_") {
        return Err(ApiErr::not_found("project"));
    }
    let found = state
        .0
        .db
        .run(move |conn| Ok(db::project_by_id(conn, &id)?))
        .await?;
    match found {
        Some(pr) if pr.org_id == p.org.id => {
            if p.can_reach_project(&pr.id) {
                Ok(ok(StatusCode::OK, project_json(&pr)))
            } else {
                Err(ApiErr::project_forbidden(&pr.id))
            }
        }
        _ => Err(ApiErr::not_found("project")),
    }
}
