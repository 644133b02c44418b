//! Keys: mint (the secret is returned once, only its digest is stored),
//! list, look up, revoke, rotate. The rules: members use keys but do not
//! manage them; nobody mints upward (scopes, projects, addresses); a key is
//! visible to its owner and to the admins of its organization.

use axum::http::StatusCode;
use scripto_wire::Secret;
use scripto_wire::codes;
use scripto_wire::key::{RANDOM_LEN, format_key, key_start};
use scripto_wire::types::{CreateKey, KeyStatus, KeyType, Role, Scope};
use serde_json::json;

use crate::audit::{self, Actor, Event, EventType, Target};
use crate::auth::{Cred, Principal};
use crate::error::ApiErr;
use crate::ip_rules::{self, Cidr};
use crate::state::AppState;
use crate::store::{Conn, KeyQuery, KeyRow, StatusFilter, UserRow};
use crate::util::{is_id, new_id, now, random_base62, rfc3339, sha256};
use crate::validate::{self, Fields};

/// What a new key is made with.
pub struct NewKeySpec {
    pub name: String,
    pub key_type: KeyType,
    pub scopes: Vec<Scope>,
    pub project_ids: Vec<String>,
    /// `None`: never expires.
    pub lifetime_secs: Option<i64>,
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

/// Makes a key for `owner` in the caller's transaction: the raw secret (to
/// be shown once) and its row. Only the SHA-256 digest is stored. For a
/// rotation, `replaces` is the key the new one replaces.
pub fn mint_key(
    conn: &mut dyn Conn,
    owner: &UserRow,
    spec: NewKeySpec,
    replaces: Option<&str>,
) -> Result<(Secret, KeyRow), ApiErr> {
    let raw = format_key(&random_base62(RANDOM_LEN));
    let created_at = now();
    let mut row = KeyRow {
        seq: 0,
        id: new_id("key_"),
        name: spec.name,
        start: key_start(&raw).to_owned(),
        key_type: spec.key_type,
        scopes: spec.scopes,
        project_ids: spec.project_ids,
        owner_id: owner.id.clone(),
        org_id: owner.org_id.clone(),
        created_at,
        expires_at: spec.lifetime_secs.map(|secs| created_at + secs),
        last_used_at: None,
        revoked_at: None,
        allowed_ips: spec.allowed_ips,
        replaces: replaces.map(str::to_owned),
        replaced_by: None,
    };
    row.seq = conn.insert_key(&row, &sha256(raw.as_bytes()))?;
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
        .details(json!({ "allowed_ips": shown }))),
    }
}

/// No minting upward in scopes and projects: `refused` ("a key cannot
/// create") says who cannot do what.
fn within_credential(
    p: &Principal,
    scopes: &[Scope],
    project_ids: &[String],
    refused: &str,
) -> Result<(), ApiErr> {
    if let Some(extra) = scopes.iter().find(|s| !p.scopes().contains(s)) {
        return Err(ApiErr::insufficient_permissions(format!(
            "{refused} a key with broader scopes than its own (it lacks `{}`)",
            extra.as_str()
        ))
        .details(json!({ "allowed_scopes": p.scopes() })));
    }
    // A project-scoped credential can only reach keys within its own
    // projects (an empty list would mean all of them).
    if !p.project_ids().is_empty() {
        if project_ids.is_empty() {
            return Err(ApiErr::project_forbidden("(all projects)")
                .details(json!({ "allowed_project_ids": p.project_ids() })));
        }
        if let Some(out) = project_ids.iter().find(|id| !p.can_reach_project(id)) {
            return Err(ApiErr::project_forbidden(out));
        }
    }
    Ok(())
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

/// Sorted, without repeats.
fn normalized<T: Ord>(mut v: Vec<T>) -> Vec<T> {
    v.sort();
    v.dedup();
    v
}

/// Mints a key for the caller; its secret is in this answer only. The
/// body's values were checked by `JsonBody` (validate.rs), which also
/// refuses both lifetimes at once.
pub async fn create(
    state: &AppState,
    p: &Principal,
    body: CreateKey,
) -> Result<(Secret, KeyRow), ApiErr> {
    p.require_key_manager()?;
    let name = validate_key_name(&body.name, "name")?;
    let lifetime_secs = match (body.expires_in_days, body.expires_in_seconds) {
        (_, Some(secs)) => Some(secs as i64),
        (Some(days), None) => Some(i64::from(days) * 86_400),
        (None, None) => None,
    };
    let scopes = body.scopes.map_or_else(|| p.scopes().to_vec(), normalized);
    let project_ids = body
        .project_ids
        .map_or_else(|| p.project_ids().to_vec(), normalized);
    within_credential(p, &scopes, &project_ids, "a key cannot create")?;
    let spec = NewKeySpec {
        name,
        key_type: body.key_type.unwrap_or_default(),
        scopes,
        project_ids,
        lifetime_secs,
        allowed_ips: allowed_ips_for_new_key(p, body.allowed_ips.as_deref())?,
    };
    let owner = (*p.user).clone();
    let actor = Actor::of(p);
    let (api_key, row) = state
        .store()
        .run(move |c| {
            let mut tx = c.write()?;
            for id in &spec.project_ids {
                let found = tx.project_by_id(id)?;
                if found.is_none_or(|pr| pr.org_id != owner.org_id) {
                    return Err(ApiErr::validation(
                        "project_ids",
                        format!("no project {id} in this organization"),
                    ));
                }
            }
            let out = mint_key(&mut *tx, &owner, spec, None)?;
            audit::record(&mut *tx, &created_event(&out.1, actor))?;
            tx.commit()?;
            Ok(out)
        })
        .await?;
    tracing::info!(key_id = %row.id, owner_id = %row.owner_id, "key created");
    Ok((api_key, row))
}

/// The e-mail address of each owner of `rows`, for an admin's view of
/// the organization's keys (a removed owner has none). Others see only
/// their own keys and get nothing here.
pub async fn owner_emails(
    state: &AppState,
    p: &Principal,
    rows: &[KeyRow],
) -> Result<std::collections::HashMap<String, String>, ApiErr> {
    if !p.is_at_least(Role::Admin) {
        return Ok(Default::default());
    }
    let mut ids: Vec<String> = rows
        .iter()
        .filter(|k| k.org_id == p.org.id)
        .map(|k| k.owner_id.clone())
        .collect();
    ids.sort();
    ids.dedup();
    let org_id = p.org.id.clone();
    state
        .store()
        .run(move |c| {
            let mut out = std::collections::HashMap::new();
            for id in ids {
                if let Some(u) = c.user_by_id(&id)?
                    && u.org_id == org_id
                {
                    out.insert(id, u.email);
                }
            }
            Ok::<_, ApiErr>(out)
        })
        .await
}

/// What `GET /v1/keys` asks for.
pub struct ListKeys {
    pub status: StatusFilter,
    /// Every owner of the organization (admins only), else the caller's.
    pub all_owners: bool,
    /// The last key id of the previous page.
    pub cursor: Option<String>,
    pub limit: usize,
}

/// A page of keys, newest first, and whether there are more.
pub async fn list(
    state: &AppState,
    p: &Principal,
    q: ListKeys,
) -> Result<(Vec<KeyRow>, bool), ApiErr> {
    if q.all_owners && !p.is_at_least(Role::Admin) {
        return Err(ApiErr::insufficient_permissions(
            "only admins can list the keys of every owner (`owner=all`)",
        )
        .details(json!({ "required_role": "admin" })));
    }
    let p2 = p.clone();
    let mut rows = state
        .store()
        .run(move |c| {
            let before_seq = match &q.cursor {
                None => None,
                Some(cursor) => match c.key_by_id(cursor)? {
                    Some(k) if visible(&p2, &k) => Some(k.seq),
                    _ => {
                        return Err(ApiErr::validation(
                            "cursor",
                            "is not a cursor of this listing",
                        ));
                    }
                },
            };
            Ok(c.list_keys(&KeyQuery {
                org_id: &p2.org.id,
                owner_id: (!q.all_owners).then_some(p2.user.id.as_str()),
                status: q.status,
                before_seq,
                limit: q.limit,
                now: now(),
            })?)
        })
        .await?;
    let has_more = rows.len() > q.limit;
    rows.truncate(q.limit);
    Ok((rows, has_more))
}

/// One key the caller can see (its own; an admin's: any of the
/// organization); any other id is "not found".
pub async fn get(state: &AppState, p: &Principal, id: String) -> Result<KeyRow, ApiErr> {
    if !is_id(&id, "key_") {
        return Err(ApiErr::not_found("key"));
    }
    let found = state
        .store()
        .run(move |c| Ok::<_, ApiErr>(c.key_by_id(&id)?))
        .await?;
    match found {
        Some(k) if visible(p, &k) => Ok(k),
        _ => Err(ApiErr::not_found("key").next("scripto keys list")),
    }
}

/// Revokes a key (refused from the next request on, on every instance) and
/// returns it, now revoked; revoking it again returns the same. Any key
/// may give itself up whatever its scopes and its owner's role: giving up
/// one's own credential can only reduce access.
pub async fn revoke(state: &AppState, p: &Principal, id: Option<String>) -> Result<KeyRow, ApiErr> {
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
    let k = get(state, p, id).await?;
    let actor = Actor::of(p);
    let row = state
        .store()
        .run(move |c| {
            let mut tx = c.write()?;
            tx.revoke_key(&k.id, now())?;
            let row = tx
                .key_by_id(&k.id)?
                .ok_or_else(|| ApiErr::not_found("key"))?;
            if k.revoked_at.is_none() {
                let event = Event::new(EventType::KeyRevoked, &row.org_id, actor)
                    .target(Target::key(&row.id), &row.owner_id)
                    .details(json!({ "name": row.name }));
                audit::record(&mut *tx, &event)?;
            }
            tx.commit()?;
            Ok::<_, ApiErr>(row)
        })
        .await?;
    state.evict_key(&row.id);
    tracing::info!(key_id = %row.id, by = %p.user.id, "key revoked");
    Ok(row)
}

/// A rotation's outcome: the successor's secret and row, and the old key
/// as the rotation left it.
pub struct Rotated {
    pub api_key: Secret,
    pub new: KeyRow,
    pub old: KeyRow,
}

/// A new key with the old one's settings and the old key ended (now, or
/// after `grace` seconds), in one transaction. Allowed to whoever may both
/// revoke the old key and create its successor: the owner (developer or
/// above) or an admin of the organization, with a credential at least as
/// wide as the key (no minting upward). The successor belongs to the old
/// key's owner, like the key it replaces.
pub async fn rotate(
    state: &AppState,
    p: &Principal,
    id: String,
    grace: i64,
) -> Result<Rotated, ApiErr> {
    p.require_key_manager()?;
    let old = get(state, p, id).await?;
    within_credential(
        p,
        &old.scopes,
        &old.project_ids,
        "this credential cannot rotate",
    )?;
    // No minting upward for addresses either: the new key keeps the old
    // key's allow-list, which must lie within the caller's.
    let old_ips: Vec<String> = old.allowed_ips.iter().map(ToString::to_string).collect();
    allowed_ips_for_new_key(p, Some(&old_ips))?;
    let actor = Actor::of(p);
    let rotated = state
        .store()
        .run(move |c| {
            let mut tx = c.write()?;
            // Read again inside the write lock: a rotation or revocation
            // since the look-up above decides.
            let old = tx
                .key_by_id(&old.id)?
                .ok_or_else(|| ApiErr::not_found("key"))?;
            ensure_rotatable(&old, now())?;
            let owner = tx
                .user_by_id(&old.owner_id)?
                .ok_or_else(|| ApiErr::not_found("key"))?;
            let (api_key, new) = mint_key(&mut *tx, &owner, successor_spec(&old), Some(&old.id))?;
            let ends_at = (grace > 0).then(|| now() + grace);
            if !tx.retire_rotated_key(&old.id, &new.id, ends_at, now())? {
                // Lost a race with another rotation: nothing is committed.
                let successor = tx.key_by_id(&old.id)?.and_then(|k| k.replaced_by);
                return Err(already_rotated(&old.id, &successor.unwrap_or_default()));
            }
            let old = tx.key_by_id(&old.id)?.ok_or_else(ApiErr::internal)?;
            audit::record(&mut *tx, &created_event(&new, actor.clone()))?;
            let event = Event::new(EventType::KeyRotated, &old.org_id, actor)
                .target(Target::key(&old.id), &old.owner_id)
                .details(json!({
                    "name": old.name,
                    "replaced_by": new.id,
                    "grace_seconds": grace,
                    "old_key_ends_at": ends_at.map(rfc3339),
                }));
            audit::record(&mut *tx, &event)?;
            tx.commit()?;
            Ok(Rotated { api_key, new, old })
        })
        .await?;
    // The old key's cached row says it never ends: drop it.
    state.evict_key(&rotated.old.id);
    tracing::info!(
        key_id = %rotated.new.id,
        replaces = %rotated.old.id,
        grace_seconds = grace,
        by = %p.user.id,
        "key rotated"
    );
    Ok(rotated)
}

/// Only an active key without a successor can be rotated.
fn ensure_rotatable(old: &KeyRow, t: i64) -> Result<(), ApiErr> {
    if let Some(successor) = &old.replaced_by {
        return Err(already_rotated(&old.id, successor));
    }
    let status = status_of(old, t);
    if status != KeyStatus::Active {
        return Err(ApiErr::new(
            StatusCode::CONFLICT,
            codes::server::KEY_NOT_ACTIVE,
            format!(
                "{} is {}, so there is nothing to rotate; create a new key instead",
                old.id,
                status.as_str()
            ),
        )
        .next("scripto keys create --name NAME"));
    }
    Ok(())
}

/// The old key's settings, and its lifetime (at least a minute) from now.
fn successor_spec(old: &KeyRow) -> NewKeySpec {
    NewKeySpec {
        name: old.name.clone(),
        key_type: old.key_type,
        scopes: old.scopes.clone(),
        project_ids: old.project_ids.clone(),
        lifetime_secs: old.expires_at.map(|e| (e - old.created_at).max(60)),
        allowed_ips: old.allowed_ips.clone(),
    }
}

fn already_rotated(old_id: &str, successor: &str) -> ApiErr {
    ApiErr::new(
        StatusCode::CONFLICT,
        codes::cli::ALREADY_ROTATED,
        format!("{old_id} was already rotated: {successor} replaced it"),
    )
    .details(json!({ "replaced_by": successor }))
    .next(format!("scripto keys rotate {successor}"))
}
