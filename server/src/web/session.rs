//! The session cookie, the signed-in caller of a page ([`Console`]), and
//! the CSRF checks of every form post: the form's token must match the
//! cookie it was issued for, and a browser that says where the post came
//! from (`Sec-Fetch-Site`, `Origin`) must say this site.

use axum::extract::{FromRequestParts, OptionalFromRequestParts};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, header};
use scripto_wire::Secret;
use scripto_wire::codes;

use super::errors::{WebErr, csrf_failed};
use super::form::Form;
use super::layout::Viewer;
use crate::auth::Principal;
use crate::service::web_sessions;
use crate::state::AppState;
use crate::util::random_base62;

/// The web session's token (HttpOnly: no script reads it).
pub const SESSION_COOKIE: &str = "scripto_session";
/// Before sign-in: a random value the sign-in forms' CSRF tokens are
/// bound to.
pub const VISITOR_COOKIE: &str = "scripto_visitor";

/// The value of cookie `name`, if the request has it.
pub fn cookie<'h>(headers: &'h HeaderMap, name: &str) -> Option<&'h str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
        .filter(|v| !v.is_empty())
}

/// `Set-Cookie` for `name`: HttpOnly, SameSite=Lax, `Path=/`, and Secure
/// when the server's public address is https. `max_age` 0 deletes it.
pub fn set_cookie(state: &AppState, name: &str, value: &str, max_age: u64) -> HeaderValue {
    set_cookie_at(state, name, value, max_age, "/")
}

/// As [`set_cookie`], sent back only under `path` (deleting it takes the
/// same path).
pub fn set_cookie_at(
    state: &AppState,
    name: &str,
    value: &str,
    max_age: u64,
    path: &str,
) -> HeaderValue {
    let secure = state
        .config()
        .public_url
        .as_deref()
        .is_some_and(|u| u.starts_with("https://"));
    let mut c = format!("{name}={value}; Path={path}; HttpOnly; SameSite=Lax; Max-Age={max_age}");
    if secure {
        c.push_str("; Secure");
    }
    HeaderValue::from_str(&c).unwrap_or_else(|_| HeaderValue::from_static(""))
}

/// The signed-in caller of a page, with the CSRF token of its forms.
pub struct Console {
    pub principal: Principal,
    token: Secret,
    pub csrf: String,
}

impl Console {
    pub fn viewer(&self) -> Viewer<'_> {
        Viewer {
            principal: &self.principal,
            csrf: &self.csrf,
        }
    }

    pub fn token(&self) -> &str {
        self.token.expose()
    }

    /// Refuses a form post from another site or with another session's
    /// token.
    pub fn check_post(
        &self,
        state: &AppState,
        headers: &HeaderMap,
        form: &Form,
    ) -> Result<(), WebErr> {
        check_token(state, headers, self.token.expose(), form)
    }
}

fn check_token(
    state: &AppState,
    headers: &HeaderMap,
    bound_to: &str,
    form: &Form,
) -> Result<(), WebErr> {
    if !same_site(state, headers) || !web_sessions::csrf_matches(state, bound_to, form.get("csrf"))
    {
        tracing::info!("a form post failed its CSRF check");
        return Err(WebErr::Api(csrf_failed()));
    }
    Ok(())
}

/// Checks a sign-in form: its token must be the visitor cookie's.
pub fn check_visitor_post(
    state: &AppState,
    headers: &HeaderMap,
    form: &Form,
) -> Result<(), WebErr> {
    let visitor = cookie(headers, VISITOR_COOKIE).unwrap_or_default();
    if visitor.is_empty() {
        return Err(WebErr::Api(csrf_failed()));
    }
    check_token(state, headers, visitor, form)
}

/// The visitor cookie's value, made (with its `Set-Cookie`) if missing.
pub fn visitor(state: &AppState, headers: &HeaderMap) -> (String, Option<HeaderValue>) {
    match cookie(headers, VISITOR_COOKIE) {
        Some(v) if v.len() <= 64 => (v.to_owned(), None),
        _ => {
            let v = random_base62(32);
            let set = set_cookie(state, VISITOR_COOKIE, &v, 86_400);
            (v, Some(set))
        }
    }
}

/// Whether `next` is a path of this site to go on to after sign-in (not
/// `//host`, which a browser reads as another site).
pub fn safe_next(next: &str) -> bool {
    next.starts_with('/')
        && !next.starts_with("//")
        && !next.starts_with("/\\")
        && next.len() <= 512
        && next.bytes().all(|b| b.is_ascii_graphic())
}

/// Whether the browser says this request comes from this site. Browsers
/// that say nothing (old ones, and test clients) rely on the token alone.
fn same_site(state: &AppState, headers: &HeaderMap) -> bool {
    if let Some(site) = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok())
        && site != "same-origin"
        && site != "none"
    {
        return false;
    }
    let Some(origin) = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()) else {
        return true;
    };
    let origin = origin.trim_end_matches('/');
    // `Referrer-Policy: no-referrer` makes browsers send `Origin: null` on
    // their own form posts: it says nothing, and `Sec-Fetch-Site` (above)
    // and the token decide.
    if origin == "null" {
        return true;
    }
    match state.config().public_url.as_deref() {
        Some(public) => origin.eq_ignore_ascii_case(public.trim_end_matches('/')),
        None => {
            let host = headers
                .get(header::HOST)
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default();
            let bare = origin
                .strip_prefix("http://")
                .or_else(|| origin.strip_prefix("https://"));
            !host.is_empty() && bare.is_some_and(|b| b.eq_ignore_ascii_case(host))
        }
    }
}

impl FromRequestParts<AppState> for Console {
    type Rejection = WebErr;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, WebErr> {
        // After signing in, a GET comes back to where it was going.
        let next = (parts.method == axum::http::Method::GET)
            .then(|| parts.uri.path_and_query().map(|p| p.as_str().to_owned()))
            .flatten()
            .filter(|p| safe_next(p) && p != "/" && p != "/keys");
        let Some(token) = cookie(&parts.headers, SESSION_COOKIE) else {
            return Err(WebErr::SignIn { ended: false, next });
        };
        let principal = match web_sessions::resolve(state, token).await {
            Ok(p) => p,
            Err(e) if e.code == codes::server::SESSION_EXPIRED => {
                return Err(WebErr::SignIn { ended: true, next });
            }
            Err(e) => return Err(e.into()),
        };
        Ok(Console {
            principal,
            csrf: web_sessions::csrf_token(state, token),
            token: Secret::new(token.to_owned()),
        })
    }
}

impl OptionalFromRequestParts<AppState> for Console {
    type Rejection = WebErr;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Option<Self>, WebErr> {
        match <Console as FromRequestParts<AppState>>::from_request_parts(parts, state).await {
            Ok(c) => Ok(Some(c)),
            Err(WebErr::SignIn { .. }) => Ok(None),
            Err(e) => Err(e),
        }
    }
}
