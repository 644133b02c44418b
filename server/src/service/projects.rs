//! Projects: an organization's, as far as the credential reaches.

use crate::auth::Principal;
use crate::error::ApiErr;
use crate::state::AppState;
use crate::store::ProjectRow;
use crate::util::is_id;

/// Rows fetched per round while filtering for a project-scoped credential.
const BATCH: usize = 100;

/// A page of the projects `p` can reach, oldest first, after the project
/// `cursor`; and whether there are more.
pub async fn list(
    state: &AppState,
    p: &Principal,
    cursor: Option<String>,
    limit: usize,
) -> Result<(Vec<ProjectRow>, bool), ApiErr> {
    let p = p.clone();
    let (mut rows, has_more) = state
        .store()
        .run(move |c| {
            let mut after = match &cursor {
                None => None,
                Some(id) => match c.project_by_id(id)? {
                    // A project the credential cannot see is no cursor of
                    // its listing (as for keys).
                    Some(pr) if pr.org_id == p.org.id && p.can_reach_project(&pr.id) => {
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
            // Filter batch by batch so a scoped credential still gets full
            // pages.
            let mut out = Vec::new();
            loop {
                let batch = c.list_projects(&p.org.id, after, BATCH)?;
                let more = batch.len() > BATCH;
                for pr in batch.into_iter().take(BATCH) {
                    after = Some(pr.seq);
                    if p.can_reach_project(&pr.id) {
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
    rows.truncate(limit);
    Ok((rows, has_more))
}

/// One project of the caller's organization: "not found" outside it,
/// "forbidden" when the credential is scoped to other projects.
pub async fn get(state: &AppState, p: &Principal, id: String) -> Result<ProjectRow, ApiErr> {
    if !is_id(&id, "proj_") {
        return Err(ApiErr::not_found("project"));
    }
    let found = state
        .store()
        .run(move |c| Ok::<_, ApiErr>(c.project_by_id(&id)?))
        .await?;
    match found {
        Some(pr) if pr.org_id == p.org.id => {
            if p.can_reach_project(&pr.id) {
                Ok(pr)
            } else {
                Err(ApiErr::project_forbidden(&pr.id))
            }
        }
        _ => Err(ApiErr::not_found("project")),
    }
}
