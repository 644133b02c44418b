//! Single sign-on pages: `/auth/oidc/start` sends the browser to the
//! identity provider, `/auth/oidc/callback` takes its answer back. The
//! flow and every check are `service::sso`; a failure is a page that says
//! what happened and offers to start again.

use axum::extract::{RawQuery, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use maud::html;
use scripto_wire::{Secret, codes};

use super::errors::capitalized;
use super::form::Form;
use super::layout::page;
use super::session::{self, cookie, set_cookie_at};
use super::sign_in;
use crate::service::login::SSO_ADDRESS_REFUSED;
use crate::service::sso::{self, Callback, SSO_COOKIE, SsoError};
use crate::service::web_sessions;
use crate::state::AppState;

/// `GET /auth/oidc/start[?next=/path]`.
pub async fn start(State(state): State<AppState>, RawQuery(query): RawQuery) -> Response {
    let q = Form::from_query(query.as_deref());
    let next = Some(q.get("next").to_owned()).filter(|n| session::safe_next(n));
    match sso::start(&state, next.as_deref()) {
        Ok(started) => {
            let mut resp = Redirect::to(&started.redirect_to).into_response();
            resp.headers_mut().append(
                header::SET_COOKIE,
                set_cookie_at(
                    &state,
                    SSO_COOKIE,
                    &started.cookie,
                    sso::SIGN_IN_TTL_SECS,
                    COOKIE_PATH,
                ),
            );
            resp
        }
        Err(e) => failed(&state, &e, next.as_deref()),
    }
}

/// `GET /auth/oidc/callback?code=…&state=…` (or `?error=…`).
pub async fn callback(
    State(state): State<AppState>,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
) -> Response {
    let q = Form::from_query(query.as_deref());
    // A parameter given twice is not an answer a provider sends: it counts
    // as given empty, which no check takes.
    let once = |name: &str| match q.all(name)[..] {
        [] => None,
        [v] => Some(v.to_owned()),
        _ => Some(String::new()),
    };
    let answer = Callback {
        code: once("code").map(Secret::new),
        state: once("state"),
        iss: once("iss"),
        error: once("error"),
        error_description: once("error_description"),
    };
    let sso::Finished { next, outcome } =
        sso::finish(&state, cookie(&headers, SSO_COOKIE), answer).await;
    // An answer with another state is no answer to this browser's sign-in
    // (a link from another site, say): the sign-in goes on. Any other ends
    // it, signed in or not.
    let ends_sign_in = !matches!(outcome, Err(SsoError::StateMismatch));
    let mut resp = match outcome {
        Ok(signed) => {
            // The second factor's form is bound to the visitor cookie,
            // like the other sign-in forms.
            let (visitor, set) = session::visitor(&state, &headers);
            let csrf = web_sessions::csrf_token(&state, &visitor);
            let mut resp = sign_in::signed_in(&state, &csrf, next.as_deref(), signed);
            if let Some(set) = set {
                resp.headers_mut().append(header::SET_COOKIE, set);
            }
            resp
        }
        Err(e) => {
            tracing::info!(reason = %e, "single sign-on refused");
            failed(&state, &e, next.as_deref())
        }
    };
    if ends_sign_in {
        resp.headers_mut().append(
            header::SET_COOKIE,
            set_cookie_at(&state, SSO_COOKIE, "", 0, COOKIE_PATH),
        );
    }
    resp
}

/// The sign-in cookie goes back to the callback only.
const COOKIE_PATH: &str = "/auth/oidc";

/// The page of a failed sign-in: what happened, and "start again".
fn failed(state: &AppState, e: &SsoError, next: Option<&str>) -> Response {
    let (status, title, what, advice) = words(e);
    let again = match next {
        Some(n) => format!(
            "/auth/oidc/start?{}",
            form_urlencoded::Serializer::new(String::new())
                .append_pair("next", n)
                .finish()
        ),
        None => "/auth/oidc/start".to_owned(),
    };
    let configured = state.sso().is_some();
    let body = html! {
        main {
            div.dialog.narrow role="alert" {
                h1 { (title) }
                @if !what.is_empty() { p { (what) } }
                p { (advice) }
                div.actions {
                    a.button href="/sign-in" { "Other ways to sign in" }
                    @if configured { a.button.primary href=(again) { "Start again" } }
                }
            }
        }
    };
    (status, page(title, None, false, body)).into_response()
}

/// A failure page's status, title, what happened (empty: nothing worth
/// showing) and what to do.
fn words(e: &SsoError) -> (StatusCode, &'static str, String, String) {
    let said = || format!("{}.", capitalized(&e.to_string()));
    let ask_admin = || "Ask an admin of your organization.".to_owned();
    match e {
        SsoError::NotConfigured => (
            StatusCode::NOT_FOUND,
            "Single sign-on is not set up",
            said(),
            "Sign in with an e-mail code or a password instead.".to_owned(),
        ),
        // Where the provider lives and how the connection failed is for
        // the log, not for anyone who opens this page.
        _ if e.is_provider_down() => (
            StatusCode::BAD_GATEWAY,
            "The identity provider did not answer",
            "The identity provider could not be reached, or answered in a way this server cannot use."
                .to_owned(),
            "Try again in a moment; if it keeps happening, tell your administrator.".to_owned(),
        ),
        _ if e.is_address_refused() => (
            StatusCode::FORBIDDEN,
            "Your e-mail address cannot be used",
            said(),
            "This server signs people in by a verified e-mail address. Verify your address with your identity provider, or ask your administrator."
                .to_owned(),
        ),
        SsoError::Api(api) if api.code == SSO_ADDRESS_REFUSED => (
            StatusCode::FORBIDDEN,
            "Your e-mail address cannot be used",
            said(),
            ask_admin(),
        ),
        SsoError::Api(api) if api.code == codes::server::ACCOUNT_REMOVED => (
            StatusCode::FORBIDDEN,
            "This account was removed",
            said(),
            ask_admin(),
        ),
        SsoError::Api(api) if api.code == codes::kind::RATE_LIMITED => (
            StatusCode::TOO_MANY_REQUESTS,
            "Too many sign-ins",
            said(),
            format!(
                "Wait {} seconds, then start again.",
                api.retry_after.unwrap_or(60)
            ),
        ),
        SsoError::Api(api) if api.status.is_server_error() => (
            api.status,
            "Something went wrong",
            String::new(),
            format!(
                "Start again; if it keeps happening, tell your administrator the request id {}.",
                crate::context::request_id()
            ),
        ),
        _ => (
            StatusCode::BAD_REQUEST,
            "Single sign-on failed",
            said(),
            "Nothing was signed in. Start again.".to_owned(),
        ),
    }
}
