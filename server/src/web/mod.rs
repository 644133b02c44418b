//! The web console: server-rendered pages under `/` (the API stays under
//! `/v1`). Pages parse a form, call `crate::service`, and render; no rule
//! and no SQL lives here.
//!
//! - `layout`: the page shell; `assets`: the stylesheet and script, embedded;
//! - `session`: the session cookie, the signed-in caller, CSRF checks;
//! - `sign_in`, `sso` (single sign-on through an OpenID Connect provider),
//!   `keys`, `device` (approving a CLI's device login): the pages;
//!   `errors`: every failure as a page.

mod assets;
mod device;
mod errors;
mod form;
mod keys;
mod layout;
mod session;
mod sign_in;
mod sso;

use axum::Router;
use axum::extract::Request;
use axum::http::{HeaderValue, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};

use crate::state::AppState;

pub(crate) use errors::{method_not_allowed_page, not_found_page};

/// The console's routes.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/", get(home))
        .route("/sign-in", get(sign_in::show))
        .route("/sign-in/code/send", post(sign_in::send_code))
        .route("/sign-in/code", post(sign_in::enter_code))
        .route("/sign-in/password", post(sign_in::password))
        .route("/sign-in/mfa", post(sign_in::second_factor))
        .route("/sign-out", post(sign_in::sign_out))
        .route("/auth/oidc/start", get(sso::start))
        .route("/auth/oidc/callback", get(sso::callback))
        .route("/keys", get(keys::list))
        .route("/keys/new", get(keys::new_form).post(keys::create))
        .route(
            "/keys/{id}/revoke",
            get(keys::confirm_revoke).post(keys::revoke),
        )
        .route("/device", get(device::show))
        .route("/device/approve", post(device::approve))
        .route("/device/deny", post(device::deny))
        .route("/assets/{file}", get(assets::serve))
}

async fn home(console: Option<session::Console>) -> Response {
    match console {
        Some(_) => Redirect::to("/keys").into_response(),
        None => Redirect::to("/sign-in").into_response(),
    }
}

/// The Content-Security-Policy of every answer: no inline script or
/// style, nothing from another origin, no framing.
pub const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self'; \
img-src 'self' data:; frame-ancestors 'none'; form-action 'self'; base-uri 'none'";

/// Stamps the browser-facing security headers on every answer (the API's
/// JSON too: they cost nothing there).
pub async fn security_headers(req: Request, next: Next) -> Response {
    let mut resp = next.run(req).await;
    let h = resp.headers_mut();
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CSP),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    resp
}
