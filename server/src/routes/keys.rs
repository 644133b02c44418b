//! `/v1/keys`: create (shown once), list, get, revoke, rotate. The rules
//! are in `crate::service::keys`; these handlers parse and answer.

use axum::extract::rejection::PathRejection;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use scripto_wire::types::{ApiKey, CreateKey, Envelope, KeyCreated, KeyRotated, RotateKey};

use super::{ok, ok_list};
use crate::auth::{AnyScope, Principal};
use crate::error::ApiErr;
use crate::extract::{JsonBody, QueryMap};
use crate::openapi::Page;
use crate::service::keys::{self, ListKeys, Rotated, status_of};
use crate::state::AppState;
use crate::store::{KeyRow, StatusFilter};
use crate::util::{now, rfc3339};
use crate::validate::Fields;

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
    let (api_key, row) = keys::create(&state, &p, body).await?;
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
    let cursor = q.get("cursor").map(str::to_owned);
    let query = ListKeys {
        status,
        all_owners,
        cursor,
        limit,
    };
    let (rows, has_more) = keys::list(&state, &p, query).await?;
    let page: Vec<ApiKey> = rows.iter().map(|k| key_json(&state, k)).collect();
    let next = if has_more {
        page.last().map(|k| k.id.clone())
    } else {
        None
    };
    Ok(ok_list(page, has_more, next))
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
    let k = keys::get(&state, &p, id).await?;
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
    let row = keys::revoke(&state, &p, id.ok().map(|Path(id)| id)).await?;
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
    // The range (0 to 30 days) is checked with the body.
    let grace = body.grace_seconds as i64;
    let Rotated { api_key, new, old } = keys::rotate(&state, &p, id, grace).await?;
    Ok(ok(
        StatusCode::CREATED,
        KeyRotated {
            api_key,
            key: key_json(&state, &new),
            old_key: key_json(&state, &old),
        },
    ))
}
