//! `/v1/projects`: the projects a credential can reach.

use axum::extract::rejection::PathRejection;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use scripto_wire::types::{Envelope, Project};

use super::{ok, ok_list};
use crate::auth::Principal;
use crate::error::ApiErr;
use crate::extract::QueryMap;
use crate::openapi::Page;
use crate::service::projects;
use crate::state::AppState;
use crate::store::ProjectRow;
use crate::util::rfc3339;

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
    let (rows, has_more) = projects::list(&state, &p, cursor, limit).await?;
    let page: Vec<Project> = rows.iter().map(project_json).collect();
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
    let pr = projects::get(&state, &p, id).await?;
    Ok(ok(StatusCode::OK, project_json(&pr)))
}
