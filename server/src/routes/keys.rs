//! `/v1/keys`: create (shown once), list, get, revoke.

use axum::extract::rejection::PathRejection;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use rusqlite::Connection;
use scripto_wire::Secret;
use scripto_wire::key::{RANDOM_LEN, format_key, key_start};
use scripto_wire::types::{
    ApiKey, CreateKey, Envelope, KeyCreated, KeyStatus, KeyType, Role, Scope,
};
use serde_json::json;

use super::{ok, ok_list};
use crate::audit::{self, Actor, Event, EventType, Target};
use crate::auth::{AnyScope, Cred, Principal};
use crate::db::{self, KeyQuery, KeyRow, NewKey, StatusFilter, UserRow};
use crate::error::ApiErr;
use crate::extract::{JsonBody, QueryMap};
use crate::ip_rules::{self, Cidr};
use crate::openapi::Page;
use crate::state::AppState;
use crate::util::{is_id, now, random_base62, rfc3339, sha256};
use crate::validate::{self, Fields};

pub struct NewKeySpec {
    pub name: String,
    pub key_type: KeyType,
    pub scopes: Vec<Scope>,
    pub project_ids: Vec<String>,
    pub expires_in_days: Option<u32>,
    /// Empty: every address.
    pub allowed_ips: Vec<Cidr>,
}

/// 1–100 characters, not blank, no control characters. Returned as given.
pub fn validate_key_name(name: &str, field: &str) -> Result<String, ApiErr> {
    let mut fields = Fields::default();
    validate::check_name(name, field, &mut fields);
    if fields.is_empty() {
        Ok(name.to_owned())
    } else {
        Err(ApiErr::invalid_fields(fields))
    }
}

/// Makes a key for `owner`: the raw secret (to be shown once) and its row.
/// Only the SHA-256 digest is stored.
pub fn mint_key(
    conn: &Connection,
    owner: &UserRow,
    spec: NewKeySpec,
) -> Result<(Secret, KeyRow), ApiErr> {
    let raw = format_key(&random_base62(RANDOM_LEN));
    let digest = sha256(raw.as_bytes());
    let expires_at = spec.expires_in_days.map(|d| now() + i64::from(d) * 86_400);
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
            allowed_ips: &spec.allowed_ips,
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
        allowed_ips: k.allowed_ips.iter().map(ToString::to_string).collect(),
    }
}

/// The allow-list of a key `p` creates: the one asked for, or `p`'s own.
/// No minting upward: a key limited to some networks can only make keys
/// limited to networks within them.
fn allowed_ips_for_new_key(p: &Principal, asked: Option<&[String]>) -> Result<Vec<Cidr>, ApiErr> {
    let Some(asked) = asked else {
        return Ok(p.allowed_ips().to_vec());
    };
    let list =
        ip_rules::parse_allow_list(asked).map_err(|e| ApiErr::validation("allowed_ips", e))?;
    let parent = p.allowed_ips();
    if parent.is_empty() {
        return Ok(list);
    }
    let shown: Vec<String> = parent.iter().map(ToString::to_string).collect();
    let outside = if list.is_empty() {
        Some("every address".to_owned())
    } else {
        list.iter()
            .find(|c| !parent.iter().any(|wide| c.is_within(wide)))
            .map(ToString::to_string)
    };
    match outside {
        None => Ok(list),
        Some(outside) => Err(ApiErr::insufficient_permissions(format!(
            "a key limited to some addresses cannot create a key usable from {outside}"
        ))
        .details(serde_json::json!({ "allowed_ips": shown }))),
    }
}

/// `key.created`, with the settings the key was made with.
pub fn created_event(row: &KeyRow, actor: Actor) -> Event {
    Event::new(EventType::KeyCreated, &row.org_id, actor)
        .target(Target::key(&row.id), &row.owner_id)
        .details(json!({
            "name": row.name,
            "type": row.key_type.as_str(),
            "scopes": row.scopes,
            "project_ids": row.project_ids,
            "allowed_ips": row.allowed_ips.iter().map(ToString::to_string).collect::<Vec<_>>(),
            "expires_at": row.expires_at.map(rfc3339),
        }))
}

/// Whether `p` may see `k`: its own keys, or (admins) every key of the
/// organization. Anything else is answered as if it did not exist.
fn visible(p: &Principal, k: &KeyRow) -> bool {
    k.org_id == p.org.id && (k.owner_id == p.user.id || p.is_at_least(Role::Admin))
}

/// Mints a key; its secret is in this answer only.
#[utoipa::path(
    post,
    path = "/v1/keys",
    operation_id = "createKey",
    tag = "keys",
    security(("bearer" = [])),
    request_body = CreateKey,
    responses(
        (status = 201, description = "The new key, with its secret shown only this once", body = Envelope<KeyCreated>,
            links(
                ("getKey" = (operation_id = "getKey", parameters(("id" = "$response.body#/data/key/id")))),
                ("revokeKey" = (operation_id = "revokeKey", parameters(("id" = "$response.body#/data/key/id")))),
            )),
        crate::openapi::errors::CreateKey,
    )
)]
pub async fn create(
    State(state): State<AppState>,
    p: Principal,
    JsonBody(body): JsonBody<CreateKey>,
) -> Result<Response, ApiErr> {
    p.require_key_manager()?;
    let name = validate_key_name(&body.name, "name")?;
    // The body's values were checked by `JsonBody` (validate.rs).
    let scopes = match body.scopes {
        None => p.scopes().to_vec(),
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
    let allowed_ips = allowed_ips_for_new_key(&p, body.allowed_ips.as_deref())?;
    let spec = NewKeySpec {
        name,
        key_type: body.key_type.unwrap_or_default(),
        scopes,
        project_ids,
        expires_in_days: body.expires_in_days,
        allowed_ips,
    };
    let owner = (*p.user).clone();
    let actor = Actor::of(&p);
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
            let out = mint_key(&tx, &owner, spec)?;
            audit::record(&tx, &created_event(&out.1, actor))?;
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

/// The caller's keys (an admin's: with `owner=all`, every key of the
/// organization), newest first. Never a secret.
#[utoipa::path(
    get,
    path = "/v1/keys",
    operation_id = "listKeys",
    tag = "keys",
    security(("bearer" = [])),
    params(
        ("status" = inline(Option<crate::openapi::KeyStatusFilter>), Query, description = "Which keys (default `active`)"),
        ("owner" = inline(Option<crate::openapi::KeyOwnerFilter>), Query, description = "`me` (default) or, for admins, `all`"),
        ("limit" = Option<u32>, Query, description = "Page size, 1–100 (default 20)", minimum = 1, maximum = 100),
        ("cursor" = Option<String>, Query, description = "`pagination.next_cursor` of the previous page",
            pattern = "^key_[0-9A-Za-z]{16,64}$"),
    ),
    responses(
        (status = 200, description = "A page of keys", body = Page<ApiKey>,
            links(
                ("getKey" = (operation_id = "getKey", parameters(("id" = "$response.body#/data/0/id")))),
            )),
        crate::openapi::errors::ListKeys,
    )
)]
pub async fn list(
    State(state): State<AppState>,
    p: Principal,
    q: QueryMap,
) -> Result<Response, ApiErr> {
    q.only(&["status", "owner", "limit", "cursor"])?;
    // Every invalid parameter is reported at once.
    let mut fields = Fields::default();
    let status = match q.get("status").unwrap_or("active") {
        "active" => StatusFilter::Active,
        "expired" => StatusFilter::Expired,
        "revoked" => StatusFilter::Revoked,
        "all" => StatusFilter::All,
        _ => {
            fields.add("status", "must be one of active, expired, revoked, all");
            StatusFilter::Active
        }
    };
    let all_owners = match q.get("owner").unwrap_or("me") {
        "me" => false,
        "all" => true,
        _ => {
            fields.add("owner", "must be `me` or `all`");
            false
        }
    };
    let limit = q.limit_into(&mut fields);
    if !fields.is_empty() {
        return Err(ApiErr::invalid_fields(fields));
    }
    if all_owners && !p.is_at_least(Role::Admin) {
        return Err(ApiErr::insufficient_permissions(
            "only admins can list the keys of every owner (`owner=all`)",
        )
        .details(serde_json::json!({ "required_role": "admin" })));
    }
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

/// One key the caller can see (its own; an admin's: any of the organization).
#[utoipa::path(
    get,
    path = "/v1/keys/{id}",
    operation_id = "getKey",
    tag = "keys",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "A key id", pattern = "^key_[0-9A-Za-z]{16,64}$")),
    responses(
        (status = 200, description = "The key", body = Envelope<ApiKey>),
        crate::openapi::errors::GetKey,
    )
)]
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

/// Revokes a key (refused from the next request on) and answers it, now
/// `revoked`; revoking it again answers the same. Any key may revoke itself.
#[utoipa::path(
    delete,
    path = "/v1/keys/{id}",
    operation_id = "revokeKey",
    tag = "keys",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "A key id", pattern = "^key_[0-9A-Za-z]{16,64}$")),
    responses(
        (status = 200, description = "The key, now revoked", body = Envelope<ApiKey>),
        crate::openapi::errors::RevokeKey,
    )
)]
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
    let actor = Actor::of(&p);
    let row = state
        .0
        .db
        .run(move |conn| {
            let tx = db::write_tx(conn)?;
            let row = db::revoke_key(&tx, &id)?.ok_or_else(|| ApiErr::not_found("key"))?;
            if k.revoked_at.is_none() {
                let event = Event::new(EventType::KeyRevoked, &row.org_id, actor)
                    .target(Target::key(&row.id), &row.owner_id)
                    .details(json!({ "name": row.name }));
                audit::record(&tx, &event)?;
            }
            tx.commit()?;
            Ok(row)
        })
        .await?;
    state.evict_key(&row.id);
    tracing::info!(key_id = %row.id, by = %p.user.id, "key revoked");
    Ok(ok(StatusCode::OK, key_json(&state, &row)))
}
