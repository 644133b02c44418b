//! Who is calling: the `Authorization: Bearer` credential (an API key or a
//! session token) resolved to a user, an organization and what the
//! credential may do. Counting against the per-credential budget and the
//! scope check (read for GET, write for the rest) happen here too, except
//! for a handler that takes [`AnyScope`] and checks the scope itself.

use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{Method, header};
use scripto_wire::key::KEY_PREFIX;
use scripto_wire::types::{Credential, CredentialType, Role, Scope};

use crate::audit::{Refusal, Refused};
use crate::context;
use crate::crypto::ct_eq;
use crate::db::{self, KeyRow, OrgRow, UserRow};
use crate::error::ApiErr;
use crate::ip_rules::{self, Cidr};
use crate::limiter::Bucket;
use crate::state::{AppState, CachedKey};
use crate::util::{now, rfc3339, sha256};

/// Prefix of session access tokens. Distinct from `scripto_` so that
/// neither can be mistaken for the other.
pub const SESSION_PREFIX: &str = "sst_";
pub const MFA_PREFIX: &str = "mfa_";

#[derive(Debug, Clone)]
pub enum Cred {
    Key(Arc<KeyRow>),
    Session { expires_at: i64, id: String },
}

/// An authenticated caller.
#[derive(Debug, Clone)]
pub struct Principal {
    pub user: Arc<UserRow>,
    pub org: Arc<OrgRow>,
    pub cred: Cred,
}

const BOTH: &[Scope] = &[Scope::Read, Scope::Write];

impl Principal {
    pub fn scopes(&self) -> &[Scope] {
        match &self.cred {
            Cred::Key(k) => &k.scopes,
            Cred::Session { .. } => BOTH,
        }
    }

    /// Empty: every project of the organization.
    pub fn project_ids(&self) -> &[String] {
        match &self.cred {
            Cred::Key(k) => &k.project_ids,
            Cred::Session { .. } => &[],
        }
    }

    /// Empty: every address.
    pub fn allowed_ips(&self) -> &[Cidr] {
        match &self.cred {
            Cred::Key(k) => &k.allowed_ips,
            Cred::Session { .. } => &[],
        }
    }

    pub fn can_reach_project(&self, id: &str) -> bool {
        let ids = self.project_ids();
        ids.is_empty() || ids.iter().any(|p| p == id)
    }

    pub fn is_at_least(&self, role: Role) -> bool {
        self.user.role >= role
    }

    /// Refuses callers below `developer`: they may use keys, not manage them.
    pub fn require_key_manager(&self) -> Result<(), ApiErr> {
        if self.is_at_least(Role::Developer) {
            Ok(())
        } else {
            Err(ApiErr::insufficient_permissions(
                "members may use keys but not create or revoke them",
            )
            .details(serde_json::json!({ "required_role": "developer", "role": "member" }))
            .next("ask an admin of your organization for the developer role"))
        }
    }

    /// Refuses a key without the write scope. A session holds both.
    pub fn require_write_scope(&self) -> Result<(), ApiErr> {
        if self.scopes().contains(&Scope::Write) {
            Ok(())
        } else {
            Err(write_scope_needed())
        }
    }

    pub fn credential(&self) -> Credential {
        match &self.cred {
            Cred::Key(k) => Credential {
                credential_type: CredentialType::ApiKey,
                key_id: Some(k.id.clone()),
                scopes: k.scopes.clone(),
                project_ids: k.project_ids.clone(),
                expires_at: k.expires_at.map(rfc3339),
            },
            Cred::Session { expires_at, .. } => Credential {
                credential_type: CredentialType::Session,
                key_id: None,
                scopes: BOTH.to_vec(),
                project_ids: Vec::new(),
                expires_at: Some(rfc3339(*expires_at)),
            },
        }
    }

    fn budget_subject(&self) -> String {
        match &self.cred {
            Cred::Key(k) => k.id.clone(),
            Cred::Session { id, .. } => id.clone(),
        }
    }
}

impl FromRequestParts<AppState> for Principal {
    type Rejection = ApiErr;

    /// The caller, with the scope its method needs: read for GET and HEAD
    /// (any scope at all), write for the rest.
    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiErr> {
        let principal = caller(parts, state).await?;
        if parts.method == Method::GET || parts.method == Method::HEAD {
            if principal.scopes().is_empty() {
                return Err(write_scope_needed());
            }
        } else {
            principal.require_write_scope()?;
        }
        principal.record_use(state);
        Ok(principal)
    }
}

/// An authenticated caller whose scope the handler checks itself: `DELETE
/// /v1/keys/{id}` of the very key making the request is allowed whatever
/// its scopes (giving up one's own credential can only reduce access),
/// and only the handler knows which key the path names.
pub struct AnyScope(pub Principal);

impl FromRequestParts<AppState> for AnyScope {
    type Rejection = ApiErr;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiErr> {
        let principal = caller(parts, state).await?;
        principal.record_use(state);
        Ok(AnyScope(principal))
    }
}

impl Principal {
    fn record_use(&self, state: &AppState) {
        if let Cred::Key(k) = &self.cred {
            state.record_use(k);
            state.note_key_address(k, context::client_ip());
        }
    }
}

/// The credential resolved to a caller, counted against its budget (or,
/// when refused, against the client's anonymous budget).
async fn caller(parts: &Parts, state: &AppState) -> Result<Principal, ApiErr> {
    let limits = &state.0.config.limits;
    let t = now();
    let principal = match authenticate(parts, state, t).await {
        Ok(p) => p,
        Err(e) => {
            // Refused credentials count against the client's anonymous
            // budget, so guessing is bounded like any other anonymous call.
            let ip = context::client_ip().to_string();
            let check = [(
                Bucket::AnonymousIp,
                ip.as_str(),
                limits.anonymous_per_minute_per_ip,
                60,
            )];
            return match state.0.limiter.hit(&check, t).await {
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
    match state.0.limiter.hit(&check, t).await {
        Ok(info) => context::set_rate(info),
        Err(info) => {
            state.audit_refusal(Refusal::RateLimited, Refused::of(&principal));
            return Err(ApiErr::rate_limited(info));
        }
    }
    Ok(principal)
}

fn write_scope_needed() -> ApiErr {
    ApiErr::insufficient_permissions("this key has only the read scope; this request needs write")
        .details(serde_json::json!({ "required_scope": "write" }))
        .next("use a key with the write scope (scripto keys create --name NAME --scope read --scope write)")
}

fn bearer(parts: &Parts) -> Result<&str, ApiErr> {
    let value = parts
        .headers
        .get(header::AUTHORIZATION)
        .ok_or_else(ApiErr::authentication_required)?;
    let value = value
        .to_str()
        .map_err(|_| ApiErr::authentication_required())?;
    let (scheme, token) = value
        .split_once(' ')
        .ok_or_else(ApiErr::authentication_required)?;
    let token = token.trim();
    if !scheme.eq_ignore_ascii_case("bearer") || token.is_empty() || token.contains(' ') {
        return Err(ApiErr::authentication_required());
    }
    Ok(token)
}

async fn authenticate(parts: &Parts, state: &AppState, t: i64) -> Result<Principal, ApiErr> {
    let token = bearer(parts)?;
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
        let digest = sha256(token.as_bytes());
        let found = state
            .0
            .db
            .run(move |conn| {
                let Some(s) = db::get_session(conn, &digest)? else {
                    return Ok(None);
                };
                let user = db::user_by_id(conn, &s.user_id)?;
                let org = match &user {
                    Some(u) => db::org_by_id(conn, &u.org_id)?,
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
    } else {
        Err(ApiErr::invalid_api_key())
    }
}

/// A well-formed key → its row, user and organization, from the cache if
/// fresh, else from the database (and then cached).
async fn key_by_token(state: &AppState, token: &str) -> Result<CachedKey, ApiErr> {
    let digest = sha256(token.as_bytes());
    let ttl = Duration::from_secs(state.0.config.limits.key_cache_ttl_secs);
    state.check_key_cache().await?;
    {
        let cache = state.0.key_cache.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(c) = cache.get(&digest)
            && c.fetched.elapsed() < ttl
        {
            return Ok(c.clone());
        }
    }
    let generation = state.0.cache_generation.load(Ordering::SeqCst);
    let found = state
        .0
        .db
        .run(move |conn| {
            let Some((key, stored)) = db::key_by_digest(conn, &digest)? else {
                return Ok(None);
            };
            if !ct_eq(&stored, &digest) {
                return Ok(None);
            }
            let user = db::user_by_id(conn, &key.owner_id)?;
            let org = db::org_by_id(conn, &key.org_id)?;
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
    let mut cache = state.0.key_cache.lock().unwrap_or_else(|e| e.into_inner());
    if cache.len() > 50_000 {
        cache.retain(|_, c| c.fetched.elapsed() < ttl);
    }
    if state.0.cache_generation.load(Ordering::SeqCst) == generation {
        cache.insert(digest, entry.clone());
    }
    Ok(entry)
}
