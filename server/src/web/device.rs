//! Approving a device login (RFC 8628): the page a CLI sends its user to
//! (`/device`, or `/device?code=WDJB-MJHT`). Signed in first (with MFA when
//! the user has it), the user sees the code, the client and its address,
//! and the key that will be minted, and approves or denies.

use axum::extract::{RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use maud::{Markup, html};
use scripto_wire::codes;

use super::errors::WebErr;
use super::form::Form;
use super::layout::page;
use super::session::Console;
use crate::error::ApiErr;
use crate::service::device::{self, PendingDevice};
use crate::state::AppState;

/// `GET /device[?code=…]`: the code form, or the request behind the code.
pub async fn show(
    State(state): State<AppState>,
    console: Console,
    RawQuery(query): RawQuery,
) -> Result<Response, WebErr> {
    let code = Form::from_query(query.as_deref())
        .get("code")
        .trim()
        .to_owned();
    if code.is_empty() {
        return Ok(code_form(&console, "", None, StatusCode::OK));
    }
    match device::lookup(&state, &console.principal, &code).await {
        Ok(pending) => Ok(confirm(&console, &pending)),
        Err(e) => refused(&console, &code, e),
    }
}

/// `POST /device/approve` and `/device/deny`.
pub async fn approve(
    State(state): State<AppState>,
    headers: HeaderMap,
    console: Console,
    form: Form,
) -> Result<Response, WebErr> {
    decide(state, headers, console, form, true).await
}

pub async fn deny(
    State(state): State<AppState>,
    headers: HeaderMap,
    console: Console,
    form: Form,
) -> Result<Response, WebErr> {
    decide(state, headers, console, form, false).await
}

async fn decide(
    state: AppState,
    headers: HeaderMap,
    console: Console,
    form: Form,
    approved: bool,
) -> Result<Response, WebErr> {
    console.check_post(&state, &headers, &form)?;
    let code = form.get("code").trim();
    let result = if approved {
        device::approve(&state, &console.principal, code).await
    } else {
        device::deny(&state, &console.principal, code).await
    };
    if let Err(e) = result {
        return refused(&console, code, e);
    }
    let (title, text) = if approved {
        (
            "Device approved",
            "The login is approved: go back to your terminal, where the command finishes by itself. You can close this page.",
        )
    } else {
        (
            "Login denied",
            "No key was made. The command in your terminal stops with \"access denied\". If you did not start this login, someone has your code: nothing more is needed.",
        )
    };
    let body = html! {
        div.backdrop {
            div.dialog.narrow role="status" {
                h1 { (title) }
                p { (text) }
                div.actions { a.button.primary href="/keys" { "Go to API keys" } }
            }
        }
    };
    Ok(page(title, Some(&console.viewer()), false, body).into_response())
}

/// A refusal of the code, on the code form when it says what to do there.
fn refused(console: &Console, code: &str, e: ApiErr) -> Result<Response, WebErr> {
    let msg = match e.code {
        codes::server::INVALID_USER_CODE => {
            "That code is not valid. Check the code your terminal shows (8 letters, like WDJB-MJHT)."
                .to_owned()
        }
        codes::server::EXPIRED_TOKEN => {
            "This code expired, was used, or had too many wrong entries. Start the login again in your terminal."
                .to_owned()
        }
        codes::kind::RATE_LIMITED => format!(
            "Too many codes were tried. Wait {} seconds, then try again.",
            e.retry_after.unwrap_or(60)
        ),
        _ => return Err(e.into()),
    };
    Ok(code_form(console, code, Some(msg), e.status))
}

/// The form that asks for the code the terminal shows.
fn code_form(console: &Console, code: &str, error: Option<String>, status: StatusCode) -> Response {
    let body = html! {
        div.backdrop {
            div.dialog.narrow {
                h1 { "Approve a device" }
                p { "Type the code your terminal shows to sign it in as " strong { (console.principal.user.email) } "." }
                @if let Some(e) = error { p.notice.error role="alert" { (e) } }
                form method="get" action="/device" {
                    div.field-row {
                        label.field for="code" { "Code" }
                        input.code #code type="text" name="code" value=(code) required autocomplete="off" autocapitalize="characters" spellcheck="false" maxlength="16" autofocus placeholder="WDJB-MJHT";
                    }
                    div.actions {
                        a.button href="/keys" { "Cancel" }
                        button.primary type="submit" { "Continue" }
                    }
                }
            }
        }
    };
    (
        status,
        page("Approve a device", Some(&console.viewer()), false, body),
    )
        .into_response()
}

/// What will happen on Approve: the code, the client, and the key.
fn confirm(console: &Console, d: &PendingDevice) -> Response {
    let body: Markup = html! {
        div.backdrop {
            div.dialog.narrow role="dialog" aria-modal="true" aria-labelledby="dialog-title" {
                h1 #dialog-title { "Approve this login?" }
                p { "Check that your terminal shows the same code:" }
                p.secret.mono.user-code { (d.user_code) }
                table {
                    tbody {
                        tr { th scope="row" { "Client" } td { (d.client_name.as_deref().unwrap_or("scripto CLI")) } }
                        tr { th scope="row" { "From" } td { (d.client_ip) } }
                        tr { th scope="row" { "Key to be made" } td { code { (d.key_name) } } }
                        tr { th scope="row" { "For" } td { (console.principal.user.email) } }
                        tr { th scope="row" { "Access" } td { "read and write, every project" } }
                    }
                }
                p.hint { "Approve only a login you started yourself, just now." }
                div.actions {
                    form method="post" action="/device/deny" {
                        input type="hidden" name="csrf" value=(console.csrf);
                        input type="hidden" name="code" value=(d.user_code);
                        button.danger type="submit" { "Deny" }
                    }
                    form method="post" action="/device/approve" {
                        input type="hidden" name="csrf" value=(console.csrf);
                        input type="hidden" name="code" value=(d.user_code);
                        button.primary type="submit" { "Approve" }
                    }
                }
            }
        }
    };
    page("Approve this login?", Some(&console.viewer()), false, body).into_response()
}
