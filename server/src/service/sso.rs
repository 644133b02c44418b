//! Single sign-on to the web console through an OpenID Connect provider:
//! the authorization code flow with PKCE (S256), `state` and `nonce`.
//!
//! [`start`] makes the three secrets of one sign-in and seals them, with
//! where to go afterwards, into a short-lived cookie only this server can
//! open (AEAD under the server key, which every instance of one database
//! shares): no table, and any instance can finish a sign-in another began.
//! [`finish`] takes the provider's answer back: the cookie must hold the
//! same `state` (else the answer belongs to another browser: a forged or
//! crossed sign-in), the code is redeemed once with the verifier, the ID
//! token must carry the nonce and a verified address; then
//! `login::sso_web` signs that person in (a second factor first, for a
//! user with MFA). The cookie is cleared on the way out, and the provider
//! takes a code only once, so a replayed answer signs nobody in.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use scripto_wire::Secret;
use serde::{Deserialize, Serialize};

use super::login::{self, SignedIn};
use crate::context;
use crate::error::ApiErr;
use crate::limiter::Bucket;
use crate::oidc::{ClaimsError, OidcError, bounded_text};
use crate::state::AppState;
use crate::util::{now, random_base62, sha256};

/// The cookie that carries a sign-in from its start to its callback.
pub const SSO_COOKIE: &str = "scripto_sso";
/// How long a person has at the provider (10 minutes).
pub const SIGN_IN_TTL_SECS: u64 = 600;
/// The callback's path under the server's public URL.
pub const CALLBACK_PATH: &str = "/auth/oidc/callback";

/// What a started sign-in needs from the page: where to send the browser,
/// and the sealed cookie to set.
pub struct Started {
    pub redirect_to: String,
    pub cookie: String,
}

/// The provider's answer at the callback, as its query string gave it.
#[derive(Default)]
pub struct Callback {
    /// The authorization code: a credential until it is redeemed.
    pub code: Option<Secret>,
    pub state: Option<String>,
    /// RFC 9207: the issuer of the answer, when the provider says it.
    pub iss: Option<String>,
    pub error: Option<String>,
    pub error_description: Option<String>,
}

/// Why a single sign-on did not sign anyone in. Each is shown as a page
/// that offers to start again.
#[derive(Debug, thiserror::Error)]
pub enum SsoError {
    #[error("single sign-on is not set up on this server")]
    NotConfigured,
    #[error("this sign-in was not started in this browser, or took longer than 10 minutes")]
    NotStarted,
    #[error("the answer does not belong to the sign-in this browser started")]
    StateMismatch,
    #[error("the identity provider did not sign you in: {error}{}", description.as_deref().map(|d| format!(" ({d})")).unwrap_or_default())]
    ProviderSaid {
        error: String,
        description: Option<String>,
    },
    #[error("the identity provider's answer has no code")]
    NoCode,
    #[error("the answer came from another identity provider")]
    WrongIssuer,
    #[error(transparent)]
    Provider(#[from] OidcError),
    /// The service refused (a removed account, a budget spent) or failed.
    #[error("{}", .0.message)]
    Api(ApiErr),
}

impl SsoError {
    /// Whether the identity provider could not be reached, or answered
    /// what no provider should: the server's side, not the person's.
    pub fn is_provider_down(&self) -> bool {
        matches!(
            self,
            SsoError::Provider(OidcError::Unreachable { .. } | OidcError::BadAnswer { .. })
        )
    }

    /// Whether the provider vouched for the person but not for an address
    /// this server can use.
    pub fn is_address_refused(&self) -> bool {
        matches!(
            self,
            SsoError::Provider(OidcError::Claims(
                ClaimsError::NoEmail | ClaimsError::EmailUnverified(_)
            ))
        )
    }
}

impl From<ApiErr> for SsoError {
    fn from(e: ApiErr) -> Self {
        SsoError::Api(e)
    }
}

/// What the sealed cookie holds.
#[derive(Serialize, Deserialize)]
struct Pending {
    state: String,
    nonce: String,
    verifier: Secret,
    next: Option<String>,
    expires_at: i64,
}

/// What the cookie is sealed for (the AEAD's associated data): nothing
/// else sealed with the server key opens as a sign-in.
const PURPOSE: &str = "oidc-sign-in";

/// Starts a sign-in that comes back to `next` (a path of this site).
pub fn start(state: &AppState, next: Option<&str>) -> Result<Started, SsoError> {
    let provider = state.sso().ok_or(SsoError::NotConfigured)?;
    let pending = Pending {
        state: random_base62(32),
        nonce: random_base62(32),
        // RFC 7636 §4.1: 43 to 128 characters; 64 base62 ones are 381 bits.
        verifier: Secret::new(random_base62(64)),
        next: next.map(str::to_owned),
        expires_at: now() + SIGN_IN_TTL_SECS as i64,
    };
    let challenge = URL_SAFE_NO_PAD.encode(sha256(pending.verifier.expose().as_bytes()));
    let redirect_to = provider.authorize_url(
        &redirect_uri(state),
        &pending.state,
        &pending.nonce,
        &challenge,
    );
    let json = serde_json::to_vec(&pending).map_err(|_| ApiErr::internal())?;
    let cookie = URL_SAFE_NO_PAD.encode(state.server_key().seal_for(PURPOSE.as_bytes(), &json));
    Ok(Started {
        redirect_to,
        cookie,
    })
}

/// How a callback ended: where its sign-in was going (a failure page
/// offers to start it again with the same destination), and the outcome.
pub struct Finished {
    pub next: Option<String>,
    pub outcome: Result<SignedIn, SsoError>,
}

/// Finishes a sign-in with the provider's answer: a web session, or the
/// second factor's challenge. The cookie is opened once, here.
pub async fn finish(state: &AppState, cookie: Option<&str>, answer: Callback) -> Finished {
    let pending = cookie.and_then(|c| open(state, c));
    Finished {
        next: pending.as_ref().and_then(|p| p.next.clone()),
        outcome: finish_pending(state, pending, answer).await,
    }
}

async fn finish_pending(
    state: &AppState,
    pending: Option<Pending>,
    answer: Callback,
) -> Result<SignedIn, SsoError> {
    let provider = state.sso().ok_or(SsoError::NotConfigured)?;
    let pending = pending
        .filter(|p| p.expires_at > now())
        .ok_or(SsoError::NotStarted)?;
    let same_state = answer
        .state
        .as_deref()
        .is_some_and(|s| crate::crypto::ct_eq(s.as_bytes(), pending.state.as_bytes()));
    if !same_state {
        return Err(SsoError::StateMismatch);
    }
    // RFC 9207: an answer naming another issuer, or none from a provider
    // that names itself in every answer, is not this provider's.
    match &answer.iss {
        Some(iss) if iss != provider.issuer() => return Err(SsoError::WrongIssuer),
        None if provider.says_iss() => return Err(SsoError::WrongIssuer),
        _ => {}
    }
    if let Some(error) = answer.error {
        return Err(SsoError::ProviderSaid {
            error: bounded_text(&error),
            description: answer.error_description.as_deref().map(bounded_text),
        });
    }
    let code = answer
        .code
        .filter(|c| !c.expose().is_empty() && c.expose().len() <= 2048)
        .ok_or(SsoError::NoCode)?;
    // Each answer that gets this far costs a request to the provider: a
    // budget per client address, of its own (not the password tries').
    let ip = context::client_ip().to_string();
    let limit = state.limits().sso_per_minute_per_ip;
    let check = [(Bucket::SsoIp, ip.as_str(), limit, 60)];
    state
        .limiter()
        .hit(&check, now())
        .await
        .map_err(ApiErr::rate_limited)?;
    let identity = provider
        .redeem(
            &code,
            &pending.verifier,
            &redirect_uri(state),
            &pending.nonce,
            now(),
        )
        .await?;
    Ok(login::sso_web(state, provider.settings(), &identity).await?)
}

/// `<public URL>/auth/oidc/callback`: what the provider sends the browser
/// back to (registered there).
pub fn redirect_uri(state: &AppState) -> String {
    format!("{}{CALLBACK_PATH}", state.public_url())
}

/// The sign-in sealed in `cookie`, if this server sealed it.
fn open(state: &AppState, cookie: &str) -> Option<Pending> {
    if cookie.len() > 4096 {
        return None;
    }
    let sealed = URL_SAFE_NO_PAD.decode(cookie).ok()?;
    let json = state.server_key().open_for(PURPOSE.as_bytes(), &sealed)?;
    serde_json::from_slice::<Pending>(&json).ok()
}
