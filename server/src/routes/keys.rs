//! `/v1/keys`: create (shown once), list, get, revoke, rotate.

use axum::extract::rejection::PathRejection;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use rusqlite::Connection;
use scripto_wire::Secret;
use scripto_wire::key::{RANDOM_LEN, format_key, key_start};
use scripto_wire::types::{
    ApiKey, CreateKey, KeyCreated, KeyRotated, KeyStatus, KeyType, Role, RotateKey, Scope,
};

use super::{ok, ok_list};
use crate::auth::{AnyScope, Cred, Principal};
use crate::db::{self, KeyQuery, KeyRow, NewKey, StatusFilter, UserRow};
use crate::error::ApiErr;
use crate::extract::{JsonBody, QueryMap};
use crate::state::AppState;
use crate::util::{is_id, now, random_base62, rfc3339, sha256};

pub const MAX_NAME_CHARS: usize = 100;
pub const MAX_PROJECTS_PER_KEY: usize = 100;

pub struct NewKeySpec {
    pub name: String,
    pub key_type: KeyType,
    pub scopes: Vec<Scope>,
    pub project_ids: Vec<String>,
    pub expires_in_days: Option<u32>,
}

/// 1–100 characters, not blank, no control characters. Returned as given.
pub fn validate_key_name(name: &str, field: &str) -> Result<String, ApiErr> {
    let chars = name.chars().count();
    if name.trim().is_empty() {
        return Err(ApiErr::validation(field, "must not be empty"));
    }
    if chars > MAX_NAME_CHARS {
        return Err(ApiErr::validation(
            field,
            format!("must be at most {MAX_NAME_CHARS} characters (it has {chars})"),
        ));
    }
    if name.chars().any(char::is_control) {
        return Err(ApiErr::validation(
            field,
            "must not contain control characters",
        ));
    }
    Ok(name.to_owned())
}

/// Makes a key for `owner`: the raw secret (to be shown once) and its row.
/// Only the SHA-256 digest is stored.
pub fn mint_key(
    conn: &Connection,
    owner: &UserRow,
    spec: NewKeySpec,
) -> Result<(Secret, KeyRow), ApiErr> {
    let lifetime = spec.expires_in_days.map(|d| i64::from(d) * 86_400);
    mint_key_for(conn, owner, spec, lifetime, None)
}

/// [`mint_key`] with the lifetime in seconds (`None`: never expires; the
/// spec's `expires_in_days` is not read) and, for a rotation, the key the
/// new one replaces.
fn mint_key_for(
    conn: &Connection,
    owner: &UserRow,
    spec: NewKeySpec,
    lifetime_secs: Option<i64>,
    replaces: Option<&str>,
) -> Result<(Secret, KeyRow), ApiErr> {
    let raw = format_key(&random_base62(RANDOM_LEN));
    let digest = sha256(raw.as_bytes());
    let expires_at = lifetime_secs.map(|secs| now() + secs);
    let row = db::insert_key(
        conn,
        NewKey {
            digest: &digest,
            name: &spec.name,
            start: key_start(&raw),
            key_type: spec.key_type,
            scopes: &spec.scopes,
            project_ids: &spec.project_ids,
            owner_id: &owner.id,
            org_id: &owner.org_id,
            expires_at,
            replaces,
        },
    )?;
    Ok((Secret::new(raw), row))
}

pub fn status_of(k: &KeyRow, t: i64) -> KeyStatus {
    if k.revoked_at.is_some() {
        KeyStatus::Revoked
    } else if k.expires_at.is_some_and(|e| e <= t) {
        KeyStatus::Expired
    } else {
        KeyStatus::Active
    }
}

pub fn key_json(state: &AppState, k: &KeyRow) -> ApiKey {
    ApiKey {
        id: k.id.clone(),
        name: k.name.clone(),
        start: k.start.clone(),
        key_type: k.key_type,
        scopes: k.scopes.clone(),
        project_ids: k.project_ids.clone(),
        created_at: rfc3339(k.created_at),
        expires_at: k.expires_at.map(rfc3339),
        last_used_at: state.last_used_of(k).map(rfc3339),
        revoked_at: k.revoked_at.map(rfc3339),
        status: status_of(k, now()),
        owner_id: k.owner_id.clone(),
        replaces: k.replaces.clone(),
        replaced_by: k.replaced_by.clone(),
    }
}

/// Whether `p` may see `k`: its own keys, or (admins) every key of the
/// organization. Anything else is answered as if it did not exist.
fn visible(p: &Principal, k: &KeyRow) -> bool {
    k.org_id == p.org.id && (k.owner_id == p.user.id || p.is_at_least(Role::Admin))
}

pub async fn create(
    State(state): State<AppState>,
    p: Principal,
    JsonBody(body): JsonBody<CreateKey>,
) -> Result<Response, ApiErr> {
    p.require_key_manager()?;
    let name = validate_key_name(&body.name, "name")?;
    let lifetime_secs = match (body.expires_in_days, body.expires_in_seconds) {
        (Some(_), Some(_)) => {
            return Err(ApiErr::validation(
                "expires_in_seconds",
                "give either expires_in_days or expires_in_seconds, not both",
            ));
        }
        (Some(days), None) => Some(i64::from(days) * 86_400),
        // The range (60 s to 1826 days) is checked with the body.
        (None, Some(secs)) => Some(secs as i64),
        (None, None) => None,
    };
    let scopes = match body.scopes {
        None => p.scopes().to_vec(),
        Some(s) if s.is_empty() => {
            return Err(ApiErr::validation("scopes", "must name at least one scope"));
        }
        Some(mut s) => {
            s.sort();
            s.dedup();
            s
        }
    };
    if let Some(extra) = scopes.iter().find(|s| !p.scopes().contains(s)) {
        return Err(ApiErr::insufficient_permissions(format!(
            "a key cannot create a key with broader scopes than its own (it lacks `{}`)",
            extra.as_str()
        ))
        .details(serde_json::json!({ "allowed_scopes": p.scopes() })));
    }
    let project_ids = match body.project_ids {
        None => p.project_ids().to_vec(),
        Some(mut ids) => {
            if ids.len() > MAX_PROJECTS_PER_KEY {
                return Err(ApiErr::validation(
                    "project_ids",
                    format!("must have at most {MAX_PROJECTS_PER_KEY} entries"),
                ));
            }
            if let Some(bad) = ids.iter().find(|id| !is_id(id, "proj_")) {
                return Err(ApiErr::validation(
                    "project_ids",
                    format!(
                        "`{}` is not a project id",
                        bad.chars().take(80).collect::<String>()
                    ),
                ));
            }
            ids.sort();
            ids.dedup();
            ids
        }
    };
    // No minting upward: a project-scoped credential can only make keys
    // within its own projects (an empty list would mean all of them).
    if !p.project_ids().is_empty() {
        if project_ids.is_empty() {
            return Err(ApiErr::project_forbidden("(all projects)")
                .details(serde_json::json!({ "allowed_project_ids": p.project_ids() })));
        }
        if let Some(out) = project_ids.iter().find(|id| !p.can_reach_project(id)) {
            return Err(ApiErr::project_forbidden(out));
        }
    }
    let spec = NewKeySpec {
        name,
        key_type: body.key_type.unwrap_or_default(),
        scopes,
        project_ids,
        expires_in_days: body.expires_in_days,
    };
    let owner = (*p.user).clone();
    let (api_key, row) = state
        .0
        .db
        .run(move |conn| {
            let tx = db::write_tx(conn)?;
            for id in &spec.project_ids {
                let found = db::project_by_id(&tx, id)?;
                if found.is_none_or(|pr| pr.org_id != owner.org_id) {
                    return Err(ApiErr::validation(
                        "project_ids",
                        format!("no project {id} in this organization"),
                    ));
                }
            }
            let out = mint_key_for(&tx, &owner, spec, lifetime_secs, None)?;
            tx.commit()?;
            Ok(out)
        })
        .await?;
    tracing::info!(key_id = %row.id, owner_id = %row.owner_id, "key created");
    Ok(ok(
        StatusCode::CREATED,
        KeyCreated {
            api_key,
            key: key_json(&state, &row),
        },
    ))
}

pub async fn list(
    State(state): State<AppState>,
    p: Principal,
    q: QueryMap,
) -> Result<Response, ApiErr> {
    q.only(&["status", "owner", "limit", "cursor"])?;
    let status = match q.get("status").unwrap_or("active") {
        "active" => StatusFilter::Active,
        "expired" => StatusFilter::Expired,
        "revoked" => StatusFilter::Revoked,
        "all" => StatusFilter::All,
        _ => {
            return Err(ApiErr::validation(
                "status",
                "must be one of active, expired, revoked, all",
            ));
        }
    };
    let all_owners = match q.get("owner").unwrap_or("me") {
        "me" => false,
        "all" => true,
        _ => return Err(ApiErr::validation("owner", "must be `me` or `all`")),
    };
    if all_owners && !p.is_at_least(Role::Admin) {
        return Err(ApiErr::insufficient_permissions(
            "only admins can list the keys of every owner (`owner=all`)",
        )
        .details(serde_json::json!({ "required_role": "admin" })));
    }
    let limit = q.limit()?;
    let cursor = q.get("cursor").map(str::to_owned);
    let p2 = p.clone();
    let rows = state
        .0
        .db
        .run(move |conn| {
            let before_seq = match &cursor {
                None => None,
                Some(c) => match db::key_by_id(conn, c)? {
                    Some(k) if visible(&p2, &k) => Some(k.seq),
                    _ => {
                        return Err(ApiErr::validation(
                            "cursor",
                            "is not a cursor of this listing",
                        ));
                    }
                },
            };
            Ok(db::list_keys(
                conn,
                &KeyQuery {
                    org_id: &p2.org.id,
                    owner_id: (!all_owners).then_some(p2.user.id.as_str()),
                    status,
                    before_seq,
                    limit,
                    now: now(),
                },
            )?)
        })
        .await?;
    let has_more = rows.len() > limit;
    let page: Vec<ApiKey> = rows
        .iter()
        .take(limit)
        .map(|k| key_json(&state, k))
        .collect();
    let next = if has_more {
        page.last().map(|k| k.id.clone())
    } else {
        None
    };
    Ok(ok_list(page, has_more, next))
}

async fn find_visible(state: &AppState, p: &Principal, id: String) -> Result<KeyRow, ApiErr> {
    if !is_id(&id, "key_") {
        return Err(ApiErr::not_found("key"));
    }
    let found = state
        .0
        .db
        .run(move |conn| Ok(db::key_by_id(conn, &id)?))
        .await?;
    match found {
        Some(k) if visible(p, &k) => Ok(k),
        _ => Err(ApiErr::not_found("key").next("scripto keys list")),
    }
}

pub async fn get_one(
    State(state): State<AppState>,
    p: Principal,
    id: Result<Path<String>, PathRejection>,
) -> Result<Response, ApiErr> {
    let Ok(Path(id)) = id else {
        return Err(ApiErr::not_found("key"));
    };
    let k = find_visible(&state, &p, id).await?;
    Ok(ok(StatusCode::OK, key_json(&state, &k)))
}

pub async fn revoke(
    State(state): State<AppState>,
    AnyScope(p): AnyScope,
    id: Result<Path<String>, PathRejection>,
) -> Result<Response, ApiErr> {
    let id = id.ok().map(|Path(id)| id);
    // A key may give itself up whatever its scopes and its owner's role.
    let own_credential = matches!((&p.cred, &id), (Cred::Key(k), Some(id)) if k.id == *id);
    if !own_credential {
        p.require_write_scope()?;
    }
    let Some(id) = id else {
        return Err(ApiErr::not_found("key"));
    };
    if !own_credential {
        p.require_key_manager()?;
    }
    let k = find_visible(&state, &p, id).await?;
    let id = k.id.clone();
    let row = state
        .0
        .db
        .run(move |conn| db::revoke_key(conn, &id)?.ok_or_else(|| ApiErr::not_found("key")))
        .await?;
    state.evict_key(&row.id);
    tracing::info!(key_id = %row.id, by = %p.user.id, "key revoked");
    Ok(ok(StatusCode::OK, key_json(&state, &row)))
}

/// `POST /v1/keys/{id}/rotate`: a new key with the old one's settings and
/// the old key ended, in one transaction. Allowed to whoever may both
/// revoke the old key and create its successor: the owner (developer or
/// above) or an admin of the organization, with a credential at least as
/// wide as the key (no minting upward). The successor belongs to the old
/// key's owner, like the key it replaces.
pub async fn rotate(
    State(state): State<AppState>,
    p: Principal,
    id: Result<Path<String>, PathRejection>,
    JsonBody(body): JsonBody<RotateKey>,
) -> Result<Response, ApiErr> {
    let Ok(Path(id)) = id else {
        return Err(ApiErr::not_found("key"));
    };
    p.require_key_manager()?;
    // The range (0 to 30 days) is checked with the body.
    let grace = body.grace_seconds as i64;
    let old = find_visible(&state, &p, id).await?;
    if let Some(extra) = old.scopes.iter().find(|s| !p.scopes().contains(s)) {
        return Err(ApiErr::insufficient_permissions(format!(
            "this credential cannot rotate a key with broader scopes than its own (it lacks `{}`)",
            extra.as_str()
        ))
        .details(serde_json::json!({ "allowed_scopes": p.scopes() })));
    }
    if !p.project_ids().is_empty() {
        if old.project_ids.is_empty() {
            return Err(ApiErr::project_forbidden("(all projects)")
                .details(serde_json::json!({ "allowed_project_ids": p.project_ids() })));
        }
        if let Some(out) = old.project_ids.iter().find(|id| !p.can_reach_project(id)) {
            return Err(ApiErr::project_forbidden(out));
        }
    }
    let old_id = old.id.clone();
    let (api_key, new_row, old_row) = state
        .0
        .db
        .run(move |conn| {
            let tx = db::write_tx(conn)?;
            // Read again inside the write lock: a rotation or revocation
            // since the look-up above decides.
            let old = db::key_by_id(&tx, &old_id)?.ok_or_else(|| ApiErr::not_found("key"))?;
            if let Some(successor) = &old.replaced_by {
                return Err(already_rotated(&old.id, successor));
            }
            let t = now();
            if status_of(&old, t) != KeyStatus::Active {
                return Err(ApiErr::new(
                    StatusCode::CONFLICT,
                    "key_not_active",
                    format!(
                        "{} is {}, so there is nothing to rotate; create a new key instead",
                        old.id,
                        status_of(&old, t).as_str()
                    ),
                )
                .next("scripto keys create --name NAME"));
            }
            let owner =
                db::user_by_id(&tx, &old.owner_id)?.ok_or_else(|| ApiErr::not_found("key"))?;
            let lifetime = old.expires_at.map(|e| (e - old.created_at).max(60));
            // When keys gain IP rules, they are copied here with the rest.
            let spec = NewKeySpec {
                name: old.name.clone(),
                key_type: old.key_type,
                scopes: old.scopes.clone(),
                project_ids: old.project_ids.clone(),
                expires_in_days: None,
            };
            let (api_key, new_row) = mint_key_for(&tx, &owner, spec, lifetime, Some(&old.id))?;
            let ends_at = (grace > 0).then_some(t + grace);
            if !db::retire_rotated_key(&tx, &old.id, &new_row.id, ends_at)? {
                // Lost a race with another rotation: nothing is committed.
                let now_old = db::key_by_id(&tx, &old.id)?;
                let successor = now_old.and_then(|k| k.replaced_by).unwrap_or_default();
                return Err(already_rotated(&old.id, &successor));
            }
            let old_row = db::key_by_id(&tx, &old.id)?.ok_or_else(ApiErr::internal)?;
            tx.commit()?;
            Ok((api_key, new_row, old_row))
        })
        .await?;
    // The old key's cached row says it never ends: drop it.
    state.evict_key(&old_row.id);
    tracing::info!(
        key_id = %new_row.id,
        replaces = %old_row.id,
        grace_seconds = grace,
        by = %p.user.id,
        "key rotated"
    );
    Ok(ok(
        StatusCode::CREATED,
        KeyRotated {
            api_key,
            key: key_json(&state, &new_row),
            old_key: key_json(&state, &old_row),
        },
    ))
}

fn already_rotated(old_id: &str, successor: &str) -> ApiErr {
    ApiErr::new(
        StatusCode::CONFLICT,
        "already_rotated",
        format!("{old_id} was already rotated: {successor} replaced it"),
    )
    .details(serde_json::json!({ "replaced_by": successor }))
    .next(format!("scripto keys rotate {successor}"))
}
