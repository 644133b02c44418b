//! Signing in to the console: e-mail, then the one-time code; or e-mail
//! and password; then, for a user with MFA, the authenticator code or a
//! backup code. Every refusal is shown on the form it came from. Signing
//! out ends the session.

use axum::extract::{RawQuery, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use maud::{Markup, html};
use scripto_wire::Secret;
use scripto_wire::codes;

use super::errors::WebErr;
use super::form::Form;
use super::layout::page;
use super::session::{self, Console, SESSION_COOKIE};
use crate::error::ApiErr;
use crate::service::login::{self, SignedIn};
use crate::service::mfa::{self, Factor};
use crate::service::web_sessions::{self, WebSession};
use crate::state::AppState;

/// The step a form belongs to, and what it shows again after a refusal.
enum Step<'a> {
    Email { email: &'a str },
    Code { email: &'a str },
    Password { email: &'a str },
    Factor { mfa_token: &'a str, backup: bool },
}

/// A message over the form.
enum Note {
    None,
    Info(String),
    Error(String),
    /// An error, and the code can no longer be used: offer a new one.
    ErrorResend(String),
}

/// `GET /sign-in`: the e-mail form (`?method=password`: the password
/// form); a signed-in visitor goes on to the keys.
pub async fn show(
    State(state): State<AppState>,
    headers: HeaderMap,
    console: Option<Console>,
    RawQuery(query): RawQuery,
) -> Response {
    let q = Form::from_query(query.as_deref());
    let next = Some(q.get("next")).filter(|n| session::safe_next(n));
    if console.is_some() {
        return Redirect::to(next.unwrap_or("/keys")).into_response();
    }
    let has = |k: &str, v: &str| q.get(k) == v;
    let note = if has("ended", "1") {
        Note::Info("Your session ended. Sign in again.".to_owned())
    } else if has("signed_out", "1") {
        Note::Info("You signed out.".to_owned())
    } else {
        Note::None
    };
    let step = if has("method", "password") {
        Step::Password { email: "" }
    } else {
        Step::Email { email: "" }
    };
    let (visitor, set) = session::visitor(&state, &headers);
    let csrf = web_sessions::csrf_token(&state, &visitor);
    let mut resp = render(&state, StatusCode::OK, &csrf, next, step, note);
    if let Some(set) = set {
        resp.headers_mut().append(header::SET_COOKIE, set);
    }
    resp
}

/// `POST /sign-in/code/send`: sends a code, then asks for it.
pub async fn send_code(
    State(state): State<AppState>,
    headers: HeaderMap,
    form: Form,
) -> Result<Response, WebErr> {
    session::check_visitor_post(&state, &headers, &form)?;
    let csrf = form.get("csrf");
    let next = Some(form.get("next")).filter(|n| session::safe_next(n));
    let email = form.get("email").trim();
    let again = form.get("again") == "1";
    match login::request_code(&state, email).await {
        Ok((email, ttl)) => {
            let note = Note::Info(format!(
                "We sent a code to {email}. It is valid for {} minutes.",
                ttl / 60
            ));
            Ok(render(
                &state,
                StatusCode::OK,
                csrf,
                next,
                Step::Code { email: &email },
                note,
            ))
        }
        Err(e) if e.code == codes::server::VALIDATION_ERROR => Ok(render(
            &state,
            StatusCode::UNPROCESSABLE_ENTITY,
            csrf,
            next,
            Step::Email { email },
            Note::Error("Enter an e-mail address, such as name@example.com.".to_owned()),
        )),
        Err(e) if e.code == codes::kind::RATE_LIMITED => {
            let wait = e.retry_after.unwrap_or(60);
            let msg = format!(
                "Too many codes were asked for. Wait {} before asking for another.",
                seconds(wait)
            );
            let step = if again {
                Step::Code { email }
            } else {
                Step::Email { email }
            };
            Ok(render(
                &state,
                StatusCode::TOO_MANY_REQUESTS,
                csrf,
                next,
                step,
                Note::Error(msg),
            ))
        }
        Err(e) => Err(e.into()),
    }
}

/// `POST /sign-in/code`: checks the typed code.
pub async fn enter_code(
    State(state): State<AppState>,
    headers: HeaderMap,
    form: Form,
) -> Result<Response, WebErr> {
    session::check_visitor_post(&state, &headers, &form)?;
    let csrf = form.get("csrf");
    let next = Some(form.get("next")).filter(|n| session::safe_next(n));
    let email = form.get("email").trim();
    let code = Secret::new(form.get("code").trim().to_owned());
    match login::complete_code_web(&state, email, &code).await {
        Ok(signed) => Ok(signed_in(&state, csrf, next, signed)),
        Err(e) => {
            let (status, note) = match e.code {
                codes::server::OTP_INVALID => {
                    let left = attempts_left(&e);
                    if left == 0 {
                        (
                            e.status,
                            Note::ErrorResend(
                                "That code is not the one we sent, and too many wrong codes were tried: it can no longer be used."
                                    .to_owned(),
                            ),
                        )
                    } else {
                        (
                            e.status,
                            Note::Error(format!(
                                "That code is not the one we sent. {left} {} left.",
                                if left == 1 { "try" } else { "tries" }
                            )),
                        )
                    }
                }
                codes::server::OTP_EXPIRED => (
                    e.status,
                    Note::ErrorResend(
                        "This code expired, was already used, or was burnt by wrong tries."
                            .to_owned(),
                    ),
                ),
                codes::kind::RATE_LIMITED => (
                    e.status,
                    Note::Error(format!(
                        "Too many tries. Wait {}, then try again.",
                        seconds(e.retry_after.unwrap_or(60))
                    )),
                ),
                codes::server::VALIDATION_ERROR => {
                    return Ok(render(&state, StatusCode::UNPROCESSABLE_ENTITY, csrf, next,
                        Step::Email { email },
                        Note::Error("Enter an e-mail address, such as name@example.com.".to_owned()),
                    ));
                }
                codes::server::ACCOUNT_REMOVED => (
                    e.status,
                    Note::Error(
                        "This address belongs to an account that an admin removed. Ask an admin of your organization."
                            .to_owned(),
                    ),
                ),
                _ => return Err(e.into()),
            };
            Ok(render(
                &state,
                status,
                csrf,
                next,
                Step::Code { email },
                note,
            ))
        }
    }
}

/// `POST /sign-in/password`.
pub async fn password(
    State(state): State<AppState>,
    headers: HeaderMap,
    form: Form,
) -> Result<Response, WebErr> {
    session::check_visitor_post(&state, &headers, &form)?;
    let csrf = form.get("csrf");
    let next = Some(form.get("next")).filter(|n| session::safe_next(n));
    let email = form.get("email").trim();
    let password = Secret::new(form.get("password").to_owned());
    match login::password_web(&state, email, &password).await {
        Ok(signed) => Ok(signed_in(&state, csrf, next, signed)),
        Err(e) => {
            let msg = match e.code {
                codes::server::INVALID_CREDENTIALS => "Wrong e-mail or password.".to_owned(),
                codes::server::VALIDATION_ERROR => {
                    "Enter an e-mail address, such as name@example.com.".to_owned()
                }
                codes::kind::RATE_LIMITED => format!(
                    "Too many tries. Wait {}, then try again.",
                    seconds(e.retry_after.unwrap_or(60))
                ),
                _ => return Err(e.into()),
            };
            Ok(render(
                &state,
                e.status,
                csrf,
                next,
                Step::Password { email },
                Note::Error(msg),
            ))
        }
    }
}

/// `POST /sign-in/mfa`: the authenticator code or a backup code.
pub async fn second_factor(
    State(state): State<AppState>,
    headers: HeaderMap,
    form: Form,
) -> Result<Response, WebErr> {
    session::check_visitor_post(&state, &headers, &form)?;
    let csrf = form.get("csrf");
    let next = Some(form.get("next")).filter(|n| session::safe_next(n));
    let mfa_token = form.get("mfa_token");
    let backup = form.get("method") == "backup";
    let typed = form.get("code").trim();
    // Read as the API reads them: a backup code in any case, with or
    // without its dash.
    let factor = if backup {
        Factor::Backup(Secret::new(mfa::normalize_backup_code(typed)))
    } else {
        Factor::Totp(Secret::new(typed.to_owned()))
    };
    let token = Secret::new(mfa_token.to_owned());
    match login::second_factor_web(&state, &token, factor).await {
        Ok(signed) => Ok(signed_in(&state, csrf, next, signed)),
        Err(e) => {
            let step = Step::Factor { mfa_token, backup };
            let msg = match e.code {
                codes::server::MFA_INVALID if e.message.contains("already used") => {
                    "This code was already used. Wait for the next one in your authenticator app."
                        .to_owned()
                }
                codes::server::MFA_INVALID => {
                    let left = attempts_left(&e);
                    format!(
                        "That code is not valid for this account. {left} {} left.",
                        if left == 1 { "try" } else { "tries" }
                    )
                }
                codes::server::MFA_CHALLENGE_EXPIRED => {
                    return Ok(render(
                        &state,
                        e.status,
                        csrf,
                        next,
                        Step::Email { email: "" },
                        Note::Error(
                            "This sign-in took too long or had too many wrong codes. Start again."
                                .to_owned(),
                        ),
                    ));
                }
                codes::kind::RATE_LIMITED => format!(
                    "Too many wrong codes. Wait {}, then try again.",
                    seconds(e.retry_after.unwrap_or(60))
                ),
                _ => return Err(e.into()),
            };
            Ok(render(&state, e.status, csrf, next, step, Note::Error(msg)))
        }
    }
}

/// `POST /sign-out`.
pub async fn sign_out(
    State(state): State<AppState>,
    headers: HeaderMap,
    console: Console,
    form: Form,
) -> Result<Response, WebErr> {
    console.check_post(&state, &headers, &form)?;
    web_sessions::end(&state, console.token()).await?;
    let mut resp = Redirect::to("/sign-in?signed_out=1").into_response();
    resp.headers_mut().append(
        header::SET_COOKIE,
        session::set_cookie(&state, SESSION_COOKIE, "", 0),
    );
    Ok(resp)
}

/// A finished sign-in (here, or through single sign-on): the session
/// cookie and on to the keys; or the second-factor form.
pub(super) fn signed_in(
    state: &AppState,
    csrf: &str,
    next: Option<&str>,
    signed: SignedIn,
) -> Response {
    match signed {
        SignedIn::Web(WebSession {
            token,
            user,
            max_age_secs,
        }) => {
            tracing::info!(user_id = %user.id, "signed in to the web console");
            let mut resp = Redirect::to(next.unwrap_or("/keys")).into_response();
            resp.headers_mut().append(
                header::SET_COOKIE,
                session::set_cookie(state, SESSION_COOKIE, token.expose(), max_age_secs),
            );
            resp
        }
        SignedIn::Challenge(c) => render(
            state,
            StatusCode::OK,
            csrf,
            next,
            Step::Factor {
                mfa_token: c.mfa_token.expose(),
                backup: false,
            },
            Note::None,
        ),
        // The console's sign-in never ends in an API session or a key.
        SignedIn::Session(_) | SignedIn::Key(_) => WebErr::Api(ApiErr::internal()).into_response(),
    }
}

fn attempts_left(e: &ApiErr) -> u64 {
    e.details
        .as_ref()
        .and_then(|d| d.get("attempts_remaining"))
        .and_then(|v| v.as_u64())
        .unwrap_or(0)
}

fn seconds(n: u64) -> String {
    if n == 1 {
        "1 second".to_owned()
    } else if n < 120 {
        format!("{n} seconds")
    } else {
        format!("{} minutes", n.div_ceil(60))
    }
}

fn render(
    state: &AppState,
    status: StatusCode,
    csrf: &str,
    next: Option<&str>,
    step: Step<'_>,
    note: Note,
) -> Response {
    let with_next = |path: &str| match next {
        Some(n) => {
            let q = form_urlencoded::Serializer::new(String::new())
                .append_pair("next", n)
                .finish();
            format!("{path}{}{q}", if path.contains('?') { '&' } else { '?' })
        }
        None => path.to_owned(),
    };
    let sso_name = state.sso().map(|p| p.settings().name.as_str());
    let (title, tab) = match step {
        Step::Email { .. } | Step::Code { .. } => ("Sign in", Some(false)),
        Step::Password { .. } => ("Sign in", Some(true)),
        Step::Factor { .. } => ("Two-factor authentication", None),
    };
    let body = html! {
        main {
            div.dialog.narrow {
                h1 { (title) }
                @if let (Some(name), Some(_)) = (sso_name, tab) {
                    a.button.primary.wide href=(with_next("/auth/oidc/start")) { "Sign in with " (name) }
                    p.or { span { "or" } }
                }
                @if let Some(password) = tab {
                    nav.tabs aria-label="Sign-in method" {
                        a href=(with_next("/sign-in")) aria-current=[(!password).then_some("page")] { "E-mail code" }
                        a href=(with_next("/sign-in?method=password")) aria-current=[password.then_some("page")] { "Password" }
                    }
                }
                (note_markup(&note, csrf, next, &step))
                (form_markup(csrf, next, &step))
            }
        }
    };
    (status, page(title, None, false, body)).into_response()
}

fn note_markup(note: &Note, csrf: &str, next: Option<&str>, step: &Step<'_>) -> Markup {
    html! {
        @match note {
            Note::None => {},
            Note::Info(m) => p.notice.info role="status" { (m) },
            Note::Error(m) => p.notice.error role="alert" { (m) },
            Note::ErrorResend(m) => div.notice.error role="alert" {
                p { (m) }
                @if let Step::Code { email } = step {
                    form method="post" action="/sign-in/code/send" {
                        input type="hidden" name="csrf" value=(csrf);
                        input type="hidden" name="email" value=(email);
                        input type="hidden" name="again" value="1";
                        @if let Some(n) = next { input type="hidden" name="next" value=(n); }
                        button.primary type="submit" { "Send a new code" }
                    }
                }
            },
        }
    }
}

fn form_markup(csrf: &str, next: Option<&str>, step: &Step<'_>) -> Markup {
    html! {
        @match step {
            Step::Email { email } => form method="post" action="/sign-in/code/send" {
                input type="hidden" name="csrf" value=(csrf);
                @if let Some(n) = next { input type="hidden" name="next" value=(n); }
                div.field-row {
                    label.field for="email" { "E-mail" }
                    input #email type="email" name="email" value=(email) required autocomplete="email" autofocus;
                    p.hint { "We send a one-time code to this address. A new address gets its own organization." }
                }
                div.actions { button.primary type="submit" { "Send code" } }
            },
            Step::Code { email } => {
                form method="post" action="/sign-in/code" {
                    input type="hidden" name="csrf" value=(csrf);
                    @if let Some(n) = next { input type="hidden" name="next" value=(n); }
                    input type="hidden" name="email" value=(email);
                    div.field-row {
                        label.field for="code" { "One-time code" }
                        input.code #code type="text" name="code" inputmode="numeric" autocomplete="one-time-code" pattern="[0-9 ]*" maxlength="8" required autofocus;
                        p.hint { "The 6-digit code we sent to " strong { (email) } "." }
                    }
                    div.actions {
                        a.button href="/sign-in" { "Use another address" }
                        button.primary type="submit" { "Sign in" }
                    }
                }
            },
            Step::Password { email } => form method="post" action="/sign-in/password" {
                input type="hidden" name="csrf" value=(csrf);
                @if let Some(n) = next { input type="hidden" name="next" value=(n); }
                div.field-row {
                    label.field for="email" { "E-mail" }
                    input #email type="email" name="email" value=(email) required autocomplete="username" autofocus;
                }
                div.field-row {
                    label.field for="password" { "Password" }
                    input #password type="password" name="password" required autocomplete="current-password";
                }
                div.actions { button.primary type="submit" { "Sign in" } }
            },
            Step::Factor { mfa_token, backup } => form method="post" action="/sign-in/mfa" {
                input type="hidden" name="csrf" value=(csrf);
                @if let Some(n) = next { input type="hidden" name="next" value=(n); }
                input type="hidden" name="mfa_token" value=(mfa_token);
                fieldset {
                    legend { "Code from" }
                    div.choices-inline {
                        label.choice {
                            input type="radio" name="method" value="totp" checked[!*backup];
                            span { "Authenticator app" }
                        }
                        label.choice {
                            input type="radio" name="method" value="backup" checked[*backup];
                            span { "Backup code" }
                        }
                    }
                }
                div.field-row {
                    label.field for="code" { "Code" }
                    input.code #code type="text" name="code" autocomplete="one-time-code" maxlength="32" required autofocus;
                    p.hint { "The 6-digit code your authenticator app shows, or one of your backup codes." }
                }
                div.actions {
                    a.button href="/sign-in" { "Start again" }
                    button.primary type="submit" { "Verify" }
                }
            },
        }
    }
}
