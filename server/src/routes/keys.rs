//! `/v1/keys`: create (shown once), list, get, revoke, rotate.

use axum::extract::rejection::PathRejection;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use rusqlite::Connection;
use scripto_wire::Secret;
use scripto_wire::key::{RANDOM_LEN, format_key, key_start};
use scripto_wire::types::{
    ApiKey, CreateKey, Envelope, KeyCreated, KeyRotated, KeyStatus, KeyType, Role, RotateKey, Scope,
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
            allowed_ips: &spec.allowed_ips,
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
        allowed_ips: k.allowed_ips.iter().map(ToString::to_string).collect(),
        replaces: k.replaces.clone(),
        replaced_by: k.replaced_by.clone(),
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
            "replaces": row.replaces,
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
    // The body's values were checked by `JsonBody` (validate.rs), which
    // also refuses both lifetimes at once.
    let lifetime_secs = match (body.expires_in_days, body.expires_in_seconds) {
        (_, Some(secs)) => Some(secs as i64),
        (Some(days), None) => Some(i64::from(days) * 86_400),
        (None, None) => None,
    };
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
            let out = mint_key_for(&tx, &owner, spec, lifetime_secs, None)?;
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

/// `POST /v1/keys/{id}/rotate`: a new key with the old one's settings and
/// the old key ended, in one transaction. Allowed to whoever may both
/// revoke the old key and create its successor: the owner (developer or
/// above) or an admin of the organization, with a credential at least as
/// wide as the key (no minting upward). The successor belongs to the old
/// key's owner, like the key it replaces.
#[utoipa::path(
    post,
    path = "/v1/keys/{id}/rotate",
    operation_id = "rotateKey",
    tag = "keys",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "A key id", pattern = "^key_[0-9A-Za-z]{16,64}$")),
    request_body = RotateKey,
    responses(
        (status = 201, description = "The successor, with its secret shown only this once, and the old key as the rotation left it", body = Envelope<KeyRotated>,
            links(("getKey" = (operation_id = "getKey", parameters(("id" = "$response.body#/data/key/id")))))),
        crate::openapi::errors::RotateKey,
    )
)]
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
    // No minting upward for addresses either: the new key keeps the old
    // key's allow-list, which must lie within the caller's.
    let old_ips: Vec<String> = old.allowed_ips.iter().map(ToString::to_string).collect();
    allowed_ips_for_new_key(&p, Some(&old_ips))?;
    let actor = Actor::of(&p);
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
            let spec = NewKeySpec {
                name: old.name.clone(),
                key_type: old.key_type,
                scopes: old.scopes.clone(),
                project_ids: old.project_ids.clone(),
                expires_in_days: None,
                allowed_ips: old.allowed_ips.clone(),
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
            audit::record(&tx, &created_event(&new_row, actor.clone()))?;
            let rotated = Event::new(EventType::KeyRotated, &old_row.org_id, actor)
                .target(Target::key(&old_row.id), &old_row.owner_id)
                .details(json!({
                    "name": old_row.name,
                    "replaced_by": new_row.id,
                    "grace_seconds": grace,
                    "old_key_ends_at": ends_at.map(rfc3339),
                }));
            audit::record(&tx, &rotated)?;
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
