//! Who is calling: the `Authorization: Bearer` credential (an API key or a
//! session token) resolved to a user, an organization and what the
//! credential may do. Counting against the per-credential budget and the
//! scope check (read for GET, write for the rest) happen here too, except
//! for a handler that takes [`AnyScope`] and checks the scope itself.

use std::sync::Arc;

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{Method, header};
use scripto_wire::types::{Credential, CredentialType, Role, Scope};

use crate::context;
use crate::error::ApiErr;
use crate::ip_rules::Cidr;
use crate::service::credentials;
use crate::state::AppState;
use crate::store::{KeyRow, OrgRow, UserRow};
use crate::util::rfc3339;

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

    pub(crate) fn budget_subject(&self) -> String {
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
        let principal = credentials::resolve(state, bearer(parts).ok()).await?;
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
        let principal = credentials::resolve(state, bearer(parts).ok()).await?;
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

pub(crate) fn write_scope_needed() -> ApiErr {
    ApiErr::insufficient_permissions("this key has only the read scope; this request needs write")
        .details(serde_json::json!({ "required_scope": "write" }))
        .next("use a key with the write scope (scripto keys create --name NAME --scope read --scope write)")
}

/// The token of `Authorization: Bearer TOKEN`.
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
