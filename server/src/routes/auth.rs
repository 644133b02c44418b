//! `/v1/auth/*`: e-mail one-time codes (which sign unknown addresses up),
//! password login, and the MFA step of both.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use std::net::IpAddr;

use rusqlite::Connection;
use scripto_wire::Secret;
use scripto_wire::types::{
    Envelope, LoginComplete, LoginCompleted, LoginOutcome, LoginRequest, LoginRequested,
    MfaChallenge, MfaVerify, PasswordLogin, Role, Scope, Session,
};
use serde_json::json;

use super::keys::{NewKeySpec, key_json, mint_key, validate_key_name};
use super::{ok, user_json};
use crate::audit::{self, EventType, Outcome, login_event};
use crate::auth::SESSION_PREFIX;
use crate::codes;
use crate::config::Limits;
use crate::context;
use crate::crypto::verify_password;
use crate::db::{self, ChallengeFor, KeyRow, NewUser, UserRow};
use crate::error::ApiErr;
use crate::extract::JsonBody;
use crate::limiter::Bucket;
use crate::mfa::{self, Factor};
use crate::state::AppState;
use crate::util::{normalize_email, now, random_base62, random_below, sha256};

fn email_or_422(email: &str) -> Result<String, ApiErr> {
    normalize_email(email).ok_or_else(|| ApiErr::validation("email", "is not an e-mail address"))
}

#[utoipa::path(
    post,
    path = "/v1/auth/login-request",
    operation_id = "loginRequest",
    tag = "auth",
    security(()),
    request_body = LoginRequest,
    responses(
        (status = 202, description = "A code was sent, whether or not the address is known (an unknown one signs up)", body = Envelope<LoginRequested>),
        crate::openapi::errors::LoginRequest,
    )
)]
pub async fn login_request(
    State(state): State<AppState>,
    JsonBody(body): JsonBody<LoginRequest>,
) -> Result<Response, ApiErr> {
    let email = email_or_422(&body.email)?;
    let limits = &state.0.config.limits;
    let client = context::client_ip().to_string();
    match codes::count_send(&state.0.limiter, limits, &email, &client, now()).await {
        Ok(info) => context::set_rate(info),
        Err(info) => return Err(ApiErr::rate_limited(info)),
    }
    // Known or not, the address gets a code: that is how it signs up, and
    // the answer cannot tell whether it was known.
    let code = Secret::new(format!("{:06}", random_below(1_000_000)));
    let digest = codes::digest(&state.0.key, &email, code.expose());
    let expires_at = now() + limits.code_ttl_secs as i64;
    let e = email.clone();
    let ip = context::client_ip();
    state
        .0
        .db
        .run(move |conn| {
            let tx = db::write_tx(conn)?;
            db::put_code(&tx, &e, &client, &digest, expires_at)?;
            let user = db::user_by_email(&tx, &e)?;
            audit::record(
                &tx,
                &login_event(EventType::CodeRequested, user.as_ref(), ip),
            )?;
            tx.commit()?;
            Ok(())
        })
        .await?;
    state.deliver_code(&email, &code, "login");
    Ok(ok(
        StatusCode::ACCEPTED,
        LoginRequested {
            email,
            expires_in: limits.code_ttl_secs,
        },
    ))
}

/// Where a login step ends: a second factor is needed, or a session, or a
/// key.
enum SignedIn {
    Challenge(MfaChallenge),
    Session(Session),
    Key(Box<MintedKey>),
}

struct MintedKey {
    api_key: Secret,
    key: KeyRow,
    user: UserRow,
    failures_since_login: u32,
}

impl SignedIn {
    fn into_response(self, state: &AppState) -> Response {
        match self {
            SignedIn::Challenge(c) => ok(StatusCode::OK, LoginOutcome::MfaRequired(c)),
            SignedIn::Session(s) => ok(StatusCode::OK, LoginOutcome::Session(s)),
            SignedIn::Key(minted) => {
                let MintedKey {
                    api_key,
                    key,
                    user,
                    failures_since_login,
                } = *minted;
                tracing::info!(user_id = %user.id, key_id = %key.id, "signed in with an e-mail code");
                ok(
                    StatusCode::CREATED,
                    LoginCompleted {
                        api_key,
                        key: key_json(state, &key),
                        user: user_json(&user),
                        failed_mfa_attempts_since_last_login: failures_since_login,
                    },
                )
            }
        }
    }
}

/// The key an e-mail code login ends with: both scopes, every project; and
/// its `login.succeeded` event, in the caller's transaction.
fn mint_login_key(
    conn: &Connection,
    (method, ip): (&str, IpAddr),
    user: UserRow,
    name: String,
    expires_in_days: Option<u32>,
    failures_since_login: u32,
) -> Result<SignedIn, ApiErr> {
    let (api_key, key) = mint_key(
        conn,
        &user,
        NewKeySpec {
            name,
            key_type: Default::default(),
            scopes: vec![Scope::Read, Scope::Write],
            project_ids: Vec::new(),
            expires_in_days,
            allowed_ips: Vec::new(),
        },
    )?;
    let event = login_event(EventType::LoginSucceeded, Some(&user), ip)
        .details(json!({ "method": method, "key_id": key.id }));
    audit::record(conn, &event)?;
    Ok(SignedIn::Key(Box::new(MintedKey {
        api_key,
        key,
        user,
        failures_since_login,
    })))
}

#[utoipa::path(
    post,
    path = "/v1/auth/login-complete",
    operation_id = "loginComplete",
    tag = "auth",
    security(()),
    request_body = LoginComplete,
    responses(
        (status = 200, description = "The user has a second factor: an MFA challenge to answer at /v1/auth/login/mfa; no key yet", body = Envelope<MfaChallenge>),
        (status = 201, description = "Logged in (or signed up): the new key, shown only this once", body = Envelope<LoginCompleted>,
            links(
                ("getKey" = (operation_id = "getKey", parameters(("id" = "$response.body#/data/key/id")))),
                ("revokeKey" = (operation_id = "revokeKey", parameters(("id" = "$response.body#/data/key/id")))),
            )),
        crate::openapi::errors::LoginComplete,
    )
)]
pub async fn login_complete(
    State(state): State<AppState>,
    JsonBody(body): JsonBody<LoginComplete>,
) -> Result<Response, ApiErr> {
    let email = email_or_422(&body.email)?;
    let key_name = match &body.key_name {
        Some(n) => validate_key_name(n, "key_name")?,
        None => "scripto-cli".to_owned(),
    };
    let expires_in_days = body.expires_in_days;
    let typed = codes::digest(&state.0.key, &email, body.code.expose().trim());
    let limits = state.0.config.limits.clone();
    let ip = context::client_ip();
    let signed = state
        .0
        .db
        .run(move |conn| {
            let t = now();
            let tx = codes::check(conn, &email, &typed, limits.code_max_failures, t, ip)?;
            let user = match db::user_by_email(&tx, &email)? {
                Some(u) => u,
                None => sign_up(&tx, &email)?,
            };
            let signed = if user.totp_secret_enc.is_some() {
                // The mailbox is one factor: a user with MFA gives the
                // second before any key is minted.
                let purpose = ChallengeFor::Key {
                    name: key_name,
                    expires_in_days,
                };
                SignedIn::Challenge(mfa::issue(&tx, &limits, &user, &purpose, t)?)
            } else {
                mint_login_key(&tx, ("email_code", ip), user, key_name, expires_in_days, 0)?
            };
            tx.commit()?;
            Ok(signed)
        })
        .await?;
    Ok(signed.into_response(&state))
}

/// A new organization named after the address, with this user as its admin.
fn sign_up(conn: &Connection, email: &str) -> Result<UserRow, ApiErr> {
    let org = db::create_org(conn, email)?;
    let user = db::create_user(
        conn,
        NewUser {
            org_id: &org.id,
            email,
            role: Role::Admin,
            password_hash: None,
            totp_secret_enc: None,
        },
    )?;
    tracing::info!(user_id = %user.id, org_id = %org.id, "signed up");
    Ok(user)
}

fn new_session(
    conn: &Connection,
    limits: &Limits,
    user: &UserRow,
    failures_since_login: u32,
) -> Result<Session, ApiErr> {
    let token = format!("{SESSION_PREFIX}{}", random_base62(43));
    let expires_at = now() + limits.session_ttl_secs as i64;
    db::put_session(conn, &sha256(token.as_bytes()), &user.id, expires_at)?;
    Ok(Session {
        access_token: Secret::new(token),
        token_type: "Bearer".to_owned(),
        expires_in: limits.session_ttl_secs,
        user: user_json(user),
        failed_mfa_attempts_since_last_login: failures_since_login,
    })
}

#[utoipa::path(
    post,
    path = "/v1/auth/login",
    operation_id = "login",
    tag = "auth",
    security(()),
    request_body = PasswordLogin,
    responses(
        (status = 200, description = "A session, or (for a user with MFA) a challenge for /v1/auth/login/mfa", body = Envelope<LoginOutcome>),
        crate::openapi::errors::Login,
    )
)]
pub async fn login(
    State(state): State<AppState>,
    JsonBody(body): JsonBody<PasswordLogin>,
) -> Result<Response, ApiErr> {
    let email = email_or_422(&body.email)?;
    let limits = state.0.config.limits.clone();
    let ip = context::client_ip().to_string();
    let checks = [
        (
            Bucket::LoginEmail,
            email.as_str(),
            limits.login_per_minute_per_email,
            60,
        ),
        (
            Bucket::LoginIp,
            ip.as_str(),
            limits.login_per_minute_per_ip,
            60,
        ),
    ];
    match state.0.limiter.hit(&checks, now()).await {
        Ok(info) => context::set_rate(info),
        Err(info) => return Err(ApiErr::rate_limited(info)),
    }
    let dummy = state.0.dummy_hash.clone();
    let ip = context::client_ip();
    let signed = state
        .0
        .db
        .run(move |conn| {
            let user = db::user_by_email(conn, &email)?;
            let stored = user.as_ref().and_then(|u| u.password_hash.clone());
            // An unknown address (or one without a password) is checked
            // against a dummy hash: the same work, the same answer.
            let matches =
                verify_password(stored.as_deref().unwrap_or(&dummy), body.password.expose());
            let user = match user {
                Some(u) if matches && stored.is_some() => u,
                other => {
                    let event = login_event(EventType::LoginFailed, other.as_ref(), ip)
                        .outcome(Outcome::Failure)
                        .details(json!({ "method": "password", "reason": "wrong_password" }));
                    audit::record(conn, &event)?;
                    return Err(ApiErr::invalid_credentials());
                }
            };
            if user.totp_secret_enc.is_some() {
                let purpose = ChallengeFor::Session;
                Ok(SignedIn::Challenge(mfa::issue(
                    conn,
                    &limits,
                    &user,
                    &purpose,
                    now(),
                )?))
            } else {
                let tx = db::write_tx(conn)?;
                let session = new_session(&tx, &limits, &user, 0)?;
                let event = login_event(EventType::LoginSucceeded, Some(&user), ip)
                    .details(json!({ "method": "password" }));
                audit::record(&tx, &event)?;
                tx.commit()?;
                Ok(SignedIn::Session(session))
            }
        })
        .await?;
    Ok(signed.into_response(&state))
}

/// The second factor of a password or e-mail code login; ends the way that
/// login would have: a session, or the key the code login asked for.
#[utoipa::path(
    post,
    path = "/v1/auth/login/mfa",
    operation_id = "loginMfa",
    tag = "auth",
    security(()),
    request_body = MfaVerify,
    responses(
        (status = 200, description = "The second factor of a password login passed: a session", body = Envelope<Session>),
        (status = 201, description = "The second factor of an e-mail code login passed: the new key, shown only this once", body = Envelope<LoginCompleted>),
        crate::openapi::errors::LoginMfa,
    )
)]
pub async fn login_mfa(
    State(state): State<AppState>,
    JsonBody(body): JsonBody<MfaVerify>,
) -> Result<Response, ApiErr> {
    let factor = Factor::of(&body)?;
    let token_hash = sha256(body.mfa_token.expose().as_bytes());
    let limits = state.0.config.limits.clone();
    let key = state.0.key.clone();
    let ip = context::client_ip();
    let signed = state
        .0
        .db
        .run(move |conn| {
            let (tx, passed) = mfa::verify(conn, &key, &limits, &token_hash, &factor, now(), ip)?;
            let failures = passed.failures_since_login;
            let signed = match passed.purpose {
                ChallengeFor::Session => {
                    let method = format!("password+{}", factor.name());
                    let event = login_event(EventType::LoginSucceeded, Some(&passed.user), ip)
                        .details(json!({ "method": method }));
                    audit::record(&tx, &event)?;
                    SignedIn::Session(new_session(&tx, &limits, &passed.user, failures)?)
                }
                ChallengeFor::Key {
                    name,
                    expires_in_days,
                } => {
                    let method = format!("email_code+{}", factor.name());
                    let via = (method.as_str(), ip);
                    mint_login_key(&tx, via, passed.user, name, expires_in_days, failures)?
                }
            };
            tx.commit()?;
            Ok(signed)
        })
        .await?;
    Ok(signed.into_response(&state))
}
