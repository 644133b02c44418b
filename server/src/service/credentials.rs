//! A presented credential (an API key or a session token) resolved to a
//! caller, and counted against its budget: the per-credential budget when
//! it is good, the client address's anonymous budget when it is refused,
//! so that guessing is bounded like any other anonymous call.
//!
//! A key that fails its checksum is refused before any look-up; a known
//! key is answered from the key cache (`crate::key_cache`) without a query.

use std::sync::Arc;
use std::time::Instant;

use scripto_wire::key::KEY_PREFIX;

use crate::audit::{Refusal, Refused};
use crate::auth::{Cred, Principal, SESSION_PREFIX};
use crate::context;
use crate::crypto::ct_eq;
use crate::error::ApiErr;
use crate::ip_rules;
use crate::key_cache::CachedKey;
use crate::limiter::Bucket;
use crate::state::AppState;
use crate::util::{now, sha256};

/// The caller behind `token` (`None`: no usable `Authorization` header),
/// counted against its budget.
pub async fn resolve(state: &AppState, token: Option<&str>) -> Result<Principal, ApiErr> {
    let limits = state.limits();
    let t = now();
    let principal = match authenticate(state, token, t).await {
        Ok(p) => p,
        // The database being away says nothing about the caller.
        Err(e) if e.code == scripto_wire::codes::server::SERVICE_UNAVAILABLE => return Err(e),
        Err(e) => {
            let ip = context::client_ip().to_string();
            let check = [(
                Bucket::AnonymousIp,
                ip.as_str(),
                limits.anonymous_per_minute_per_ip,
                60,
            )];
            return match state.limiter().hit(&check, t).await {
                Ok(info) => {
                    context::set_rate(info);
                    Err(e)
                }
                Err(info) => {
                    state.audit_refusal(Refusal::RateLimited, Refused::anonymous());
                    Err(ApiErr::rate_limited(info))
                }
            };
        }
    };
    let subject = principal.budget_subject();
    let check = [(
        Bucket::Credential,
        subject.as_str(),
        limits.credential_per_minute,
        60,
    )];
    match state.limiter().hit(&check, t).await {
        Ok(info) => context::set_rate(info),
        Err(info) => {
            state.audit_refusal(Refusal::RateLimited, Refused::of(&principal));
            return Err(ApiErr::rate_limited(info));
        }
    }
    Ok(principal)
}

async fn authenticate(state: &AppState, token: Option<&str>, t: i64) -> Result<Principal, ApiErr> {
    let token = token.ok_or_else(ApiErr::authentication_required)?;
    if token.starts_with(KEY_PREFIX) {
        if let Err(e) = scripto_wire::check_key(token) {
            return Err(ApiErr::invalid_api_key().details(serde_json::json!({
                "reason": format!("the API key {e}")
            })));
        }
        let cached = key_by_token(state, token).await?;
        let key = &cached.key;
        let ip = context::client_ip();
        let refusal = if key.revoked_at.is_some() {
            Some((Refusal::Revoked, ApiErr::key_revoked()))
        } else if key.expires_at.is_some_and(|e| e <= t) {
            Some((Refusal::Expired, ApiErr::key_expired()))
        } else if !ip_rules::allows(&key.allowed_ips, ip) {
            Some((Refusal::IpForbidden, ApiErr::ip_forbidden(ip)))
        } else {
            None
        };
        if let Some((why, err)) = refusal {
            state.audit_refusal(why, Refused::key(key, ip));
            return Err(err);
        }
        Ok(Principal {
            user: cached.user,
            org: cached.org,
            cred: Cred::Key(cached.key),
        })
    } else if token.starts_with(SESSION_PREFIX) {
        session(state, token, t).await
    } else {
        Err(ApiErr::invalid_api_key())
    }
}

/// A session token → its user, while the session lasts.
async fn session(state: &AppState, token: &str, t: i64) -> Result<Principal, ApiErr> {
    let digest = sha256(token.as_bytes());
    let found = state
        .store()
        .run(move |c| {
            let Some(s) = c.get_session(&digest)? else {
                return Ok::<_, ApiErr>(None);
            };
            let user = c.user_by_id(&s.user_id)?;
            let org = match &user {
                Some(u) => c.org_by_id(&u.org_id)?,
                None => None,
            };
            Ok(user.zip(org).map(|(u, o)| (s, u, o)))
        })
        .await?;
    let Some((session, user, org)) = found else {
        return Err(ApiErr::invalid_api_key());
    };
    if session.expires_at <= t {
        return Err(ApiErr::session_expired());
    }
    Ok(Principal {
        user: Arc::new(user),
        org: Arc::new(org),
        cred: Cred::Session {
            expires_at: session.expires_at,
            id: session.id,
        },
    })
}

/// A well-formed key → its row, user and organization, from the cache if
/// it may answer, else from the database (and then cached).
async fn key_by_token(state: &AppState, token: &str) -> Result<CachedKey, ApiErr> {
    let digest = sha256(token.as_bytes());
    state.watch_changes();
    let cache = state.key_cache();
    if let Some(hit) = cache.get(&digest) {
        return Ok(hit);
    }
    // Requests that missed together ask the database once.
    let _claim = cache.claim_lookup(&digest).await;
    if let Some(hit) = cache.get(&digest) {
        return Ok(hit);
    }
    let generation = cache.generation();
    let found = state
        .store()
        .run(move |c| {
            let Some((key, stored)) = c.key_by_digest(&digest)? else {
                return Ok::<_, ApiErr>(None);
            };
            if !ct_eq(&stored, &digest) {
                return Ok(None);
            }
            let user = c.user_by_id(&key.owner_id)?;
            let org = c.org_by_id(&key.org_id)?;
            Ok(user.zip(org).map(|(u, o)| (key, u, o)))
        })
        .await?;
    let Some((key, user, org)) = found else {
        return Err(ApiErr::invalid_api_key());
    };
    let entry = CachedKey {
        key: Arc::new(key),
        user: Arc::new(user),
        org: Arc::new(org),
        fetched: Instant::now(),
    };
    cache.insert(digest, entry.clone(), generation);
    Ok(entry)
}
