//! `GET /v1/audit-events`: the audit log, newest first. Admins see their
//! organization's events; everyone else the events they caused and the
//! events about themselves and their keys.

use axum::extract::State;
use axum::response::Response;
use scripto_wire::types::{AuditActor, AuditEvent, AuditTarget};

use super::ok_list;
use crate::audit::EventType;
use crate::auth::Principal;
use crate::error::ApiErr;
use crate::extract::QueryMap;
use crate::openapi::Page;
use crate::service::audit_log::{self, EventFilter};
use crate::state::AppState;
use crate::store::EventRow;
use crate::util::{is_id, rfc3339};

#[utoipa::path(
    get,
    path = "/v1/audit-events",
    operation_id = "listAuditEvents",
    tag = "audit",
    security(("bearer" = [])),
    params(
        ("key_id" = Option<String>, Query, description = "Events about this key or done with it", pattern = "^key_[0-9A-Za-z]{16,64}$"),
        ("actor" = Option<String>, Query, description = "Events done by this user or credential (usr_…, key_…, ses_…) or `admin-command`",
            pattern = "^((usr|key|ses)_[0-9A-Za-z]{16,64}|admin-command)$"),
        ("type" = Option<String>, Query, description = "One event type (docs/api.md lists them)",
            pattern = "^(key\\.(created|rotated|revoked|new_address|refused)|login\\.(succeeded|failed)|mfa\\.failed|code\\.requested|user\\.(role_changed|added|removed)|project\\.added|request\\.rate_limited)$"),
        ("since" = Option<String>, Query, description = "Events at or after this RFC 3339 time", format = DateTime),
        ("until" = Option<String>, Query, description = "Events at or before this RFC 3339 time", format = DateTime),
        ("limit" = Option<u32>, Query, description = "Page size, 1–100 (default 20)", minimum = 1, maximum = 100),
        ("cursor" = Option<String>, Query, description = "`pagination.next_cursor` of the previous page",
            pattern = "^evt_[0-9A-Za-z]{16,64}$"),
    ),
    responses(
        (status = 200, description = "A page of audit events, newest first", body = Page<AuditEvent>),
        crate::openapi::errors::ListAuditEvents,
    )
)]
pub async fn list(
    State(state): State<AppState>,
    p: Principal,
    q: QueryMap,
) -> Result<Response, ApiErr> {
    q.only(&[
        "key_id", "actor", "type", "since", "until", "limit", "cursor",
    ])?;
    let key_id = q.get("key_id").map(str::to_owned);
    if let Some(id) = &key_id
        && !is_id(id, "key_")
    {
        return Err(ApiErr::validation("key_id", "must be a key id (key_…)"));
    }
    let actor = q.get("actor").map(str::to_owned);
    if let Some(a) = &actor
        && !["usr_", "key_", "ses_"]
            .iter()
            .any(|prefix| is_id(a, prefix))
        && a != "admin-command"
    {
        return Err(ApiErr::validation(
            "actor",
            "must be a user id (usr_…), a key id (key_…) or admin-command",
        ));
    }
    let kind = match q.get("type") {
        None => None,
        Some(t) => Some(
            EventType::from_name(t)
                .ok_or_else(|| {
                    let names: Vec<&str> = EventType::ALL.iter().map(|t| t.as_str()).collect();
                    ApiErr::validation("type", format!("must be one of {}", names.join(", ")))
                })?
                .as_str(),
        ),
    };
    let since = time_param(&q, "since")?;
    let until = time_param(&q, "until")?;
    let limit = q.limit()?;
    let filter = EventFilter {
        key_id,
        actor,
        kind,
        since,
        until,
        cursor: q.get("cursor").map(str::to_owned),
        limit,
    };
    let (rows, has_more) = audit_log::list(&state, &p, filter).await?;
    let events: Vec<AuditEvent> = rows.iter().map(event_json).collect();
    let next = has_more
        .then(|| events.last().map(|e| e.id.clone()))
        .flatten();
    Ok(ok_list(events, has_more, next))
}

/// `since` / `until`: RFC 3339 (`2026-11-30T12:00:00Z`).
fn time_param(q: &QueryMap, name: &str) -> Result<Option<i64>, ApiErr> {
    let Some(text) = q.get(name) else {
        return Ok(None);
    };
    let t = humantime::parse_rfc3339_weak(text)
        .ok()
        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        .ok_or_else(|| {
            ApiErr::validation(name, "must be an RFC 3339 time, like 2026-11-30T12:00:00Z")
        })?;
    Ok(Some(t.as_secs() as i64))
}

fn event_json(row: &EventRow) -> AuditEvent {
    AuditEvent {
        id: row.id.clone(),
        time: rfc3339(row.created_at),
        event_type: row.kind.clone(),
        actor: AuditActor {
            user_id: row.actor_user_id.clone(),
            credential: row.actor_credential.clone(),
        },
        ip: row.ip.clone(),
        target: row
            .target_type
            .clone()
            .zip(row.target_id.clone())
            .map(|(target_type, id)| AuditTarget { target_type, id }),
        outcome: row.outcome.clone(),
        details: row.details.clone(),
    }
}
