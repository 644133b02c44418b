//! `/v1/auth/*`: e-mail one-time codes (which sign unknown addresses up),
//! password login, and its MFA step.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use rusqlite::Connection;
use scripto_wire::Secret;
use scripto_wire::types::{
    Envelope, LoginComplete, LoginCompleted, LoginOutcome, LoginRequest, LoginRequested,
    MfaChallenge, MfaVerify, PasswordLogin, Role, Scope, Session,
};

use super::keys::{NewKeySpec, key_json, mint_key, validate_key_name};
use super::{ok, user_json};
use crate::auth::{MFA_PREFIX, SESSION_PREFIX};
use crate::config::Limits;
use crate::context;
use crate::crypto::{ct_eq, totp_match, verify_password};
use crate::db::{self, NewUser, UserRow};
use crate::error::ApiErr;
use crate::extract::JsonBody;
use crate::limiter::Bucket;
use crate::state::AppState;
use crate::util::{normalize_email, now, random_base62, random_below, sha256};

fn email_or_422(email: &str) -> Result<String, ApiErr> {
    normalize_email(email).ok_or_else(|| ApiErr::validation("email", "is not an e-mail address"))
}

fn code_digest(state: &AppState, email: &str, code: &str) -> [u8; 32] {
    state
        .0
        .key
        .keyed_digest("login-code", &format!("{email}:{code}"))
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
    let ip = context::client_ip().to_string();
    let mut checks = vec![
        (
            Bucket::CodeEmailHour,
            email.as_str(),
            limits.code_sends_per_hour_per_email,
            3600,
        ),
        (
            Bucket::CodeIpHour,
            ip.as_str(),
            limits.code_sends_per_hour_per_ip,
            3600,
        ),
    ];
    // A cool-down of 0 turns the cool-down off.
    if limits.code_resend_secs > 0 {
        checks.push((
            Bucket::CodeResend,
            email.as_str(),
            1,
            limits.code_resend_secs,
        ));
    }
    match state.0.limiter.hit(&checks, now()) {
        Ok(info) => context::set_rate(info),
        Err(info) => return Err(ApiErr::rate_limited(info)),
    }
    // Known or not, the address gets a code: that is how it signs up, and
    // the answer cannot tell whether it was known.
    let code = Secret::new(format!("{:06}", random_below(1_000_000)));
    let digest = code_digest(&state, &email, code.expose());
    let expires_at = now() + limits.code_ttl_secs as i64;
    let e = email.clone();
    state
        .0
        .db
        .run(move |conn| Ok(db::put_code(conn, &e, &digest, expires_at)?))
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

#[utoipa::path(
    post,
    path = "/v1/auth/login-complete",
    operation_id = "loginComplete",
    tag = "auth",
    security(()),
    request_body = LoginComplete,
    responses(
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
    let digest = code_digest(&state, &email, body.code.expose().trim());
    let max_failures = state.0.config.limits.code_max_failures;
    let st = state.clone();
    let (api_key, key, user) = state
        .0
        .db
        .run(move |conn| {
            let tx = db::write_tx(conn)?;
            let Some(row) = db::get_code(&tx, &email)? else {
                return Err(ApiErr::otp_expired());
            };
            if row.expires_at <= now() || row.failures >= max_failures {
                db::delete_code(&tx, &email)?;
                tx.commit()?;
                return Err(ApiErr::otp_expired());
            }
            if !ct_eq(&row.code_hash, &digest) {
                let failures = row.failures + 1;
                if failures >= max_failures {
                    db::delete_code(&tx, &email)?;
                } else {
                    db::set_code_failures(&tx, &email, failures)?;
                }
                tx.commit()?;
                return Err(ApiErr::otp_invalid(max_failures.saturating_sub(failures)));
            }
            if !db::delete_code(&tx, &email)? {
                return Err(ApiErr::otp_expired());
            }
            let user = match db::user_by_email(&tx, &email)? {
                Some(u) => u,
                None => sign_up(&tx, &email)?,
            };
            let (api_key, key) = mint_key(
                &tx,
                &user,
                NewKeySpec {
                    name: key_name,
                    key_type: Default::default(),
                    scopes: vec![Scope::Read, Scope::Write],
                    project_ids: Vec::new(),
                    expires_in_days,
                },
            )?;
            tx.commit()?;
            Ok((api_key, key, user))
        })
        .await?;
    tracing::info!(user_id = %user.id, key_id = %key.id, "signed in with an e-mail code");
    Ok(ok(
        StatusCode::CREATED,
        LoginCompleted {
            api_key,
            key: key_json(&st, &key),
            user: user_json(&user),
        },
    ))
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

fn new_session(conn: &Connection, limits: &Limits, user: &UserRow) -> Result<Session, ApiErr> {
    let token = format!("{SESSION_PREFIX}{}", random_base62(43));
    let expires_at = now() + limits.session_ttl_secs as i64;
    db::put_session(conn, &sha256(token.as_bytes()), &user.id, expires_at)?;
    Ok(Session {
        access_token: Secret::new(token),
        token_type: "Bearer".to_owned(),
        expires_in: limits.session_ttl_secs,
        user: user_json(user),
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
    match state.0.limiter.hit(&checks, now()) {
        Ok(info) => context::set_rate(info),
        Err(info) => return Err(ApiErr::rate_limited(info)),
    }
    let dummy = state.0.dummy_hash.clone();
    let outcome = state
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
                _ => return Err(ApiErr::invalid_credentials()),
            };
            if user.totp_secret_enc.is_some() {
                let token = format!("{MFA_PREFIX}{}", random_base62(43));
                let expires_at = now() + limits.mfa_ttl_secs as i64;
                db::put_challenge(conn, &sha256(token.as_bytes()), &user.id, expires_at)?;
                Ok(LoginOutcome::MfaRequired(MfaChallenge {
                    mfa_required: true,
                    mfa_token: Secret::new(token),
                    methods: vec!["totp".to_owned(), "backup_code".to_owned()],
                    expires_in: limits.mfa_ttl_secs,
                }))
            } else {
                Ok(LoginOutcome::Session(new_session(conn, &limits, &user)?))
            }
        })
        .await?;
    Ok(ok(StatusCode::OK, outcome))
}

/// Backup codes are compared without case, dashes or spaces.
pub fn normalize_backup_code(code: &str) -> String {
    code.chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

#[utoipa::path(
    post,
    path = "/v1/auth/login/mfa",
    operation_id = "loginMfa",
    tag = "auth",
    security(()),
    request_body = MfaVerify,
    responses(
        (status = 200, description = "The second factor passed: a session", body = Envelope<Session>),
        crate::openapi::errors::LoginMfa,
    )
)]
pub async fn login_mfa(
    State(state): State<AppState>,
    JsonBody(body): JsonBody<MfaVerify>,
) -> Result<Response, ApiErr> {
    // Secrets still, since they move into the database task.
    enum Factor {
        Totp(Secret),
        Backup(Secret),
    }
    let factor = match (&body.totp_code, &body.backup_code) {
        (Some(t), None) => Factor::Totp(Secret::new(t.expose().trim())),
        (None, Some(b)) => Factor::Backup(Secret::new(normalize_backup_code(b.expose()))),
        _ => {
            return Err(ApiErr::validation(
                "totp_code",
                "give exactly one of `totp_code` and `backup_code`",
            ));
        }
    };
    let token_hash = sha256(body.mfa_token.expose().as_bytes());
    let limits = state.0.config.limits.clone();
    let key = state.0.key.clone();
    let session = state
        .0
        .db
        .run(move |conn| {
            let tx = db::write_tx(conn)?;
            let Some(ch) = db::get_challenge(&tx, &token_hash)? else {
                return Err(ApiErr::mfa_challenge_expired());
            };
            if ch.expires_at <= now() || ch.failures >= limits.mfa_max_failures {
                db::delete_challenge(&tx, &token_hash)?;
                tx.commit()?;
                return Err(ApiErr::mfa_challenge_expired());
            }
            let Some(user) = db::user_by_id(&tx, &ch.user_id)? else {
                return Err(ApiErr::mfa_challenge_expired());
            };
            let passed = match &factor {
                Factor::Totp(code) => {
                    let secret = user.totp_secret_enc.as_deref().and_then(|s| key.open(s));
                    match secret.and_then(|s| totp_match(&s, code.expose(), now() as u64)) {
                        Some(step) => db::use_totp_step(&tx, &user.id, step as i64)?,
                        None => false,
                    }
                }
                Factor::Backup(code) => {
                    let hash =
                        key.keyed_digest("backup-code", &format!("{}:{}", user.id, code.expose()));
                    db::use_backup_code(&tx, &user.id, &hash)?
                }
            };
            if !passed {
                let failures = ch.failures + 1;
                if failures >= limits.mfa_max_failures {
                    db::delete_challenge(&tx, &token_hash)?;
                } else {
                    db::set_challenge_failures(&tx, &token_hash, failures)?;
                }
                tx.commit()?;
                return Err(ApiErr::mfa_invalid(
                    limits.mfa_max_failures.saturating_sub(failures),
                ));
            }
            if !db::delete_challenge(&tx, &token_hash)? {
                return Err(ApiErr::mfa_challenge_expired());
            }
            let session = new_session(&tx, &limits, &user)?;
            tx.commit()?;
            Ok(session)
        })
        .await?;
    Ok(ok(StatusCode::OK, LoginOutcome::Session(session)))
}
