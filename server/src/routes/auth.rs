//! `/v1/auth/*`: e-mail one-time codes (which sign unknown addresses up),
//! password login, and its MFA step.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use rusqlite::Connection;
use scripto_wire::Secret;
use scripto_wire::types::{
    LoginComplete, LoginCompleted, LoginOutcome, LoginRequest, LoginRequested, MfaChallenge,
    MfaVerify, PasswordLogin, Role, Scope, Session,
};
use serde_json::json;

use super::keys::{NewKeySpec, key_json, mint_key, validate_key_name};
use super::{ok, user_json};
use crate::audit::{self, Actor, Event, EventType, Outcome, Target};
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
    let client = context::client_ip();
    state
        .0
        .db
        .run(move |conn| {
            let tx = db::write_tx(conn)?;
            db::put_code(&tx, &e, &digest, expires_at)?;
            let user = db::user_by_email(&tx, &e)?;
            audit::record(
                &tx,
                &login_event(EventType::CodeRequested, user.as_ref(), client),
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
    let client = context::client_ip();
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
                let user = db::user_by_email(&tx, &email)?;
                let event = login_event(EventType::LoginFailed, user.as_ref(), client)
                    .outcome(Outcome::Failure)
                    .details(json!({ "method": "email_code", "reason": "wrong_code" }));
                audit::record(&tx, &event)?;
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
                    allowed_ips: Vec::new(),
                },
            )?;
            let event = login_event(EventType::LoginSucceeded, Some(&user), client)
                .details(json!({ "method": "email_code", "key_id": key.id }));
            audit::record(&tx, &event)?;
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

/// An event of a login flow: about `user` when the address is known (then
/// their organization sees it), else about nobody (the server log has it).
fn login_event(kind: EventType, user: Option<&UserRow>, ip: std::net::IpAddr) -> Event {
    let actor = Actor {
        user_id: user.map(|u| u.id.clone()),
        credential: None,
        ip: Some(ip),
    };
    match user {
        Some(u) => Event::new(kind, &u.org_id, actor).target(Target::user(&u.id), &u.id),
        None => {
            let mut event = Event::new(kind, "", actor);
            event.org_id = None;
            event
        }
    }
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
    let client = context::client_ip();
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
                other => {
                    let event = login_event(EventType::LoginFailed, other.as_ref(), client)
                        .outcome(Outcome::Failure)
                        .details(json!({ "method": "password", "reason": "wrong_password" }));
                    audit::record(conn, &event)?;
                    return Err(ApiErr::invalid_credentials());
                }
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
                let tx = db::write_tx(conn)?;
                let session = new_session(&tx, &limits, &user)?;
                let event = login_event(EventType::LoginSucceeded, Some(&user), client)
                    .details(json!({ "method": "password" }));
                audit::record(&tx, &event)?;
                tx.commit()?;
                Ok(LoginOutcome::Session(session))
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
    let client = context::client_ip();
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
            let method = match &factor {
                Factor::Totp(_) => "password+totp",
                Factor::Backup(_) => "password+backup_code",
            };
            if !passed {
                let event = login_event(EventType::MfaFailed, Some(&user), client)
                    .outcome(Outcome::Failure)
                    .details(json!({ "method": method }));
                audit::record(&tx, &event)?;
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
            let event = login_event(EventType::LoginSucceeded, Some(&user), client)
                .details(json!({ "method": method }));
            audit::record(&tx, &event)?;
            tx.commit()?;
            Ok(session)
        })
        .await?;
    Ok(ok(StatusCode::OK, LoginOutcome::Session(session)))
}
