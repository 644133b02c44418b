//! Every failure of a page is a page: what happened and what to do. The
//! API under `/v1` keeps its JSON envelope.

use axum::http::{HeaderValue, StatusCode, Uri};
use axum::response::{IntoResponse, Redirect, Response};
use maud::html;
use scripto_wire::codes;

use super::layout::page;
use crate::context;
use crate::error::ApiErr;

/// A page's failure: a service error shown as a page, or "sign in first".
pub enum WebErr {
    Api(ApiErr),
    /// No session (`ended`: it had one, which ended): to the sign-in
    /// page, and back to `next` (a page's own path) after it.
    SignIn {
        ended: bool,
        next: Option<String>,
    },
}

impl From<ApiErr> for WebErr {
    fn from(e: ApiErr) -> Self {
        if e.code == codes::server::SESSION_EXPIRED {
            WebErr::SignIn {
                ended: true,
                next: None,
            }
        } else {
            WebErr::Api(e)
        }
    }
}

impl IntoResponse for WebErr {
    fn into_response(self) -> Response {
        match self {
            WebErr::SignIn { ended, next } => {
                let mut q = form_urlencoded::Serializer::new(String::new());
                if ended {
                    q.append_pair("ended", "1");
                }
                if let Some(next) = next {
                    q.append_pair("next", &next);
                }
                let q = q.finish();
                let to = if q.is_empty() {
                    "/sign-in".to_owned()
                } else {
                    format!("/sign-in?{q}")
                };
                Redirect::to(&to).into_response()
            }
            WebErr::Api(e) => error_page(&e),
        }
    }
}

/// The title and the advice of a page for `e`.
fn words(e: &ApiErr) -> (&'static str, String) {
    match e.code {
        codes::kind::RATE_LIMITED => (
            "Too many requests",
            format!(
                "Wait {} seconds, then try again.",
                e.retry_after.unwrap_or(60)
            ),
        ),
        codes::kind::NOT_FOUND => (
            "Not found",
            "This page does not exist, or what it names is not yours to see. Go back to your API keys."
                .to_owned(),
        ),
        codes::server::INSUFFICIENT_PERMISSIONS | codes::server::PROJECT_FORBIDDEN => (
            "Not allowed",
            format!(
                "{}. Ask an admin of your organization if you need this.",
                capitalized(&e.message)
            ),
        ),
        codes::server::SERVICE_UNAVAILABLE => (
            "Temporarily unavailable",
            "The server cannot reach its database right now. Try again in a few seconds."
                .to_owned(),
        ),
        codes::server::PAYLOAD_TOO_LARGE | codes::server::REQUEST_TIMEOUT | codes::server::INVALID_REQUEST => (
            "The form could not be read",
            "Go back, check what you entered, and send it again.".to_owned(),
        ),
        "csrf_failed" => (
            "This form expired",
            "The page you sent it from is out of date or came from another site. Go back, reload the page, and try again."
                .to_owned(),
        ),
        codes::server::VALIDATION_ERROR => (
            "Check what you entered",
            format!("{}. Go back and correct it.", capitalized(&e.message)),
        ),
        _ if e.status.is_server_error() => (
            "Something went wrong",
            format!(
                "The server failed to answer. Try again; if it keeps happening, tell your administrator the request id {}.",
                context::request_id()
            ),
        ),
        _ => ("That did not work", format!("{}.", capitalized(&e.message))),
    }
}

pub(super) fn capitalized(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// `e` as a page with its status (and `Retry-After` when it has one).
pub fn error_page(e: &ApiErr) -> Response {
    let (title, advice) = words(e);
    let body = html! {
        main {
            div.dialog.narrow role="alert" {
                h1 { (title) }
                p { (advice) }
                div.actions { a.button.primary href="/keys" { "Go to API keys" } }
            }
        }
    };
    let mut resp = (e.status, page(title, None, false, body)).into_response();
    if let Some(secs) = e.retry_after {
        resp.headers_mut()
            .insert("retry-after", HeaderValue::from(secs));
    }
    resp
}

/// A refused CSRF token or cross-site form post.
pub fn csrf_failed() -> ApiErr {
    ApiErr::new(
        StatusCode::FORBIDDEN,
        "csrf_failed",
        "the form's token does not match this session",
    )
}

/// The router's fallback: under `/v1` the API's JSON, elsewhere a page.
pub async fn not_found_page(uri: Uri) -> Response {
    if is_api(&uri) {
        return ApiErr::not_found("endpoint")
            .next("see docs/api.md for the endpoints under /v1")
            .into_response();
    }
    error_page(&ApiErr::not_found("page"))
}

pub async fn method_not_allowed_page(uri: Uri) -> Response {
    let e = ApiErr::new(
        StatusCode::METHOD_NOT_ALLOWED,
        codes::server::METHOD_NOT_ALLOWED,
        "this address does not accept that method",
    );
    if is_api(&uri) {
        return e.into_response();
    }
    let mut e = e;
    e.message = "this page cannot be used that way; open it from the console's links".to_owned();
    error_page(&e)
}

fn is_api(uri: &Uri) -> bool {
    let p = uri.path();
    p == "/v1" || p.starts_with("/v1/")
}
