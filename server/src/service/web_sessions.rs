//! Sessions of the web console: made by the console's sign-in (see
//! `login::*_web`), carried by an HttpOnly cookie, ended by signing out,
//! by the idle lifetime (`Limits::web_session_idle_secs`) or by the
//! absolute one (`Limits::web_session_absolute_secs`). A web session token
//! is no API credential: `Authorization: Bearer` refuses it.
//!
//! Every form of the console carries a CSRF token: a keyed digest of the
//! cookie's value, so nothing more is stored and a token from one session
//! is worthless in another.

use std::sync::Arc;

use scripto_wire::Secret;

use crate::audit::{Refusal, Refused};
use crate::auth::{Cred, Principal};
use crate::config::Limits;
use crate::context;
use crate::crypto::ct_eq;
use crate::error::ApiErr;
use crate::limiter::Bucket;
use crate::state::AppState;
use crate::store::{Conn, UserRow, WebSessionRow};
use crate::util::{hex, new_id, now, random_base62, sha256};

/// Prefix of web session tokens, distinct from keys' and API sessions'.
pub const WEB_SESSION_PREFIX: &str = "sws_";

/// `last_seen_at` is written at most this often per session.
const TOUCH_INTERVAL_SECS: i64 = 60;

/// A new web session: its token (for the cookie, never shown or logged)
/// and its user.
pub struct WebSession {
    pub token: Secret,
    pub user: UserRow,
    /// Seconds until the absolute end, for the cookie's `Max-Age`.
    pub max_age_secs: u64,
}

/// Makes a web session for `user` in the caller's transaction.
pub(crate) fn new_web_session(
    conn: &mut dyn Conn,
    limits: &Limits,
    user: UserRow,
    t: i64,
) -> Result<WebSession, ApiErr> {
    let token = format!("{WEB_SESSION_PREFIX}{}", random_base62(43));
    let row = WebSessionRow {
        id: new_id("wss_"),
        user_id: user.id.clone(),
        created_at: t,
        last_seen_at: t,
        expires_at: t + limits.web_session_absolute_secs as i64,
    };
    let idle_before = t - limits.web_session_idle_secs as i64;
    conn.put_web_session(&sha256(token.as_bytes()), &row, idle_before)?;
    Ok(WebSession {
        token: Secret::new(token),
        user,
        max_age_secs: limits.web_session_absolute_secs,
    })
}

/// The signed-in user behind a session cookie's value, counted against the
/// per-credential budget like an API caller. Unknown, ended, idle too long
/// or of a removed user: `session_expired`.
pub async fn resolve(state: &AppState, token: &str) -> Result<Principal, ApiErr> {
    if !token.starts_with(WEB_SESSION_PREFIX) || token.len() > 100 {
        return Err(ApiErr::session_expired());
    }
    let digest = sha256(token.as_bytes());
    let idle = state.limits().web_session_idle_secs as i64;
    let t = now();
    let found = state
        .store()
        .run(move |c| {
            let Some(s) = c.get_web_session(&digest)? else {
                return Ok::<_, ApiErr>(None);
            };
            if s.expires_at <= t || s.last_seen_at + idle <= t {
                c.delete_web_session(&digest)?;
                return Ok(None);
            }
            let Some(user) = c.user_by_id(&s.user_id)? else {
                return Ok(None);
            };
            let Some(org) = c.org_by_id(&user.org_id)? else {
                return Ok(None);
            };
            if t - s.last_seen_at >= TOUCH_INTERVAL_SECS {
                c.touch_web_session(&s.id, t)?;
            }
            Ok(Some((s, user, org)))
        })
        .await?;
    let Some((session, user, org)) = found else {
        return Err(ApiErr::session_expired());
    };
    let principal = Principal {
        user: Arc::new(user),
        org: Arc::new(org),
        cred: Cred::Session {
            expires_at: session.expires_at.min(t + idle),
            id: session.id,
        },
    };
    let subject = principal.budget_subject();
    let limit = state.limits().credential_per_minute;
    let check = [(Bucket::Credential, subject.as_str(), limit, 60)];
    match state.limiter().hit(&check, t).await {
        Ok(info) => context::set_rate(info),
        Err(info) => {
            state.audit_refusal(Refusal::RateLimited, Refused::of(&principal));
            return Err(ApiErr::rate_limited(info));
        }
    }
    Ok(principal)
}

/// Signs out: the session behind `token` ends now.
pub async fn end(state: &AppState, token: &str) -> Result<(), ApiErr> {
    let digest = sha256(token.as_bytes());
    state
        .store()
        .run(move |c| Ok::<_, ApiErr>(c.delete_web_session(&digest)?))
        .await?;
    Ok(())
}

/// The CSRF token of the forms shown to the holder of the cookie `bound_to`
/// (the session's, or before sign-in the visitor's own random cookie).
pub fn csrf_token(state: &AppState, bound_to: &str) -> String {
    hex(&state.server_key().keyed_digest("web-csrf", bound_to))
}

/// Whether `typed` is the CSRF token for `bound_to`, compared in constant
/// time.
pub fn csrf_matches(state: &AppState, bound_to: &str, typed: &str) -> bool {
    ct_eq(csrf_token(state, bound_to).as_bytes(), typed.as_bytes())
}
