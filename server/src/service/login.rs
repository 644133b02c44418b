//! Signing in: e-mail one-time codes (which sign unknown addresses up),
//! password login, and the second factor of both. Each ends in a
//! [`SignedIn`]: a challenge for the second factor, a session, a key, or
//! (signing in to the web console) a web session.

use std::net::IpAddr;

use scripto_wire::Secret;
use scripto_wire::types::{MfaChallenge, Role, Scope, Session};
use serde_json::json;

use super::codes;
use super::keys::{NewKeySpec, mint_key};
use super::mfa::{self, Factor};
use super::users::user_json;
use super::web_sessions::{WebSession, new_web_session};
use crate::audit::{self, EventType, Outcome, login_event};
use crate::auth::SESSION_PREFIX;
use crate::config::Limits;
use crate::context;
use crate::crypto::verify_password;
use crate::error::ApiErr;
use crate::limiter::{Bucket, RateInfo};
use crate::oidc::{Identity, OidcSettings};
use crate::state::AppState;
use crate::store::{self, ChallengeFor, Conn, KeyRow, SessionRow, StoreError, UserRow};
use crate::util::{new_id, normalize_email, now, random_base62, random_below, sha256};

/// The key name a code login asks for when it names none.
pub const DEFAULT_KEY_NAME: &str = "scripto-cli";

/// Where a login step ends: a second factor is needed, or a session, or a
/// key.
pub enum SignedIn {
    Challenge(MfaChallenge),
    Session(Session),
    Key(Box<MintedKey>),
    Web(WebSession),
}

/// Where a sign-in is headed: the API's answers (a session for a
/// password, a key for an e-mail code) or the web console's session.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Via {
    Api,
    Web,
}

/// What an e-mail code login ends in once the code (and any second
/// factor) passed.
enum CodeEnds {
    Key {
        name: String,
        expires_in_days: Option<u32>,
    },
    WebSession,
}

/// The key an e-mail code login ends with, shown once.
pub struct MintedKey {
    pub api_key: Secret,
    pub key: KeyRow,
    pub user: UserRow,
    /// Wrong second factors since the previous successful login.
    pub failures_since_login: u32,
}

pub fn email_or_422(email: &str) -> Result<String, ApiErr> {
    normalize_email(email).ok_or_else(|| ApiErr::validation("email", "is not an e-mail address"))
}

/// Sends a one-time code to `email` if every budget allows: the address as
/// normalized, and how long the code is valid. Known or not, the address gets a code: that is how it signs up,
/// and the answer cannot tell whether it was known.
pub async fn request_code(state: &AppState, email: &str) -> Result<(String, u64), ApiErr> {
    let email = email_or_422(email)?;
    let limits = state.limits();
    let client = context::client_ip().to_string();
    match codes::count_send(state.limiter(), limits, &email, &client, now()).await {
        Ok(info) => context::set_rate(info),
        Err(info) => return Err(ApiErr::rate_limited(info)),
    }
    let code = Secret::new(format!("{:06}", random_below(1_000_000)));
    let digest = codes::digest(state.server_key(), &email, code.expose());
    let expires_at = now() + limits.code_ttl_secs as i64;
    let e = email.clone();
    let ip = context::client_ip();
    state
        .store()
        .run(move |c| {
            let mut tx = c.write()?;
            codes::store_code(&mut *tx, &e, &client, &digest, expires_at, now())?;
            let user = tx.user_by_email(&e)?;
            audit::record(
                &mut *tx,
                &login_event(EventType::CodeRequested, user.as_ref(), ip),
            )?;
            tx.commit()?;
            Ok::<_, ApiErr>(())
        })
        .await?;
    state.deliver_code(&email, &code, "login");
    Ok((email, limits.code_ttl_secs))
}

/// Checks the code typed for `email`; signs the address up if it is new,
/// and ends in a key (or, for a user with MFA, the challenge for it).
pub async fn complete_code(
    state: &AppState,
    email: &str,
    code: &Secret,
    key_name: Option<&str>,
    expires_in_days: Option<u32>,
) -> Result<SignedIn, ApiErr> {
    let email = email_or_422(email)?;
    let key_name = match key_name {
        Some(n) => super::keys::validate_key_name(n, "key_name")?,
        None => DEFAULT_KEY_NAME.to_owned(),
    };
    let ends = CodeEnds::Key {
        name: key_name,
        expires_in_days,
    };
    code_login(state, &email, code, ends).await
}

/// As [`complete_code`], for the web console: ends in a web session (or,
/// for a user with MFA, the challenge whose passing makes one).
pub async fn complete_code_web(
    state: &AppState,
    email: &str,
    code: &Secret,
) -> Result<SignedIn, ApiErr> {
    let email = email_or_422(email)?;
    code_login(state, &email, code, CodeEnds::WebSession).await
}

/// The one path that checks a typed e-mail code and signs in with it.
async fn code_login(
    state: &AppState,
    email: &str,
    code: &Secret,
    ends: CodeEnds,
) -> Result<SignedIn, ApiErr> {
    let email = email.to_owned();
    let typed = codes::digest(state.server_key(), &email, code.expose().trim());
    let limits = state.limits().clone();
    let ip = context::client_ip();
    state
        .store()
        .run(move |c| {
            let t = now();
            let mut tx = codes::check(c, &email, &typed, limits.code_max_failures, t, ip)?;
            let user = match tx.user_by_email(&email)? {
                Some(u) => u,
                None => sign_up(&mut *tx, &email)?,
            };
            let has_mfa = user.totp_secret_enc.is_some();
            let signed = match ends {
                // The mailbox is one factor: a user with MFA gives the
                // second before any key or session is made.
                CodeEnds::Key {
                    name,
                    expires_in_days,
                } if has_mfa => {
                    let purpose = ChallengeFor::Key {
                        name,
                        expires_in_days,
                    };
                    SignedIn::Challenge(mfa::issue(&mut *tx, &limits, &user, purpose, t)?)
                }
                CodeEnds::WebSession if has_mfa => {
                    let purpose = ChallengeFor::Session;
                    SignedIn::Challenge(mfa::issue(&mut *tx, &limits, &user, purpose, t)?)
                }
                CodeEnds::Key {
                    name,
                    expires_in_days,
                } => {
                    let via = ("email_code", ip);
                    mint_login_key(&mut *tx, via, user, name, expires_in_days, 0)?
                }
                CodeEnds::WebSession => {
                    console_session(&mut *tx, &limits, user, "email_code", ip, t)?
                }
            };
            tx.commit()?;
            Ok(signed)
        })
        .await
}

/// A password login: a session, or (for a user with MFA) a challenge.
pub async fn password(
    state: &AppState,
    email: &str,
    password: &Secret,
) -> Result<SignedIn, ApiErr> {
    password_login(state, email, password, Via::Api).await
}

/// As [`password`], for the web console: a web session, or a challenge.
pub async fn password_web(
    state: &AppState,
    email: &str,
    password: &Secret,
) -> Result<SignedIn, ApiErr> {
    password_login(state, email, password, Via::Web).await
}

async fn password_login(
    state: &AppState,
    email: &str,
    password: &Secret,
    via: Via,
) -> Result<SignedIn, ApiErr> {
    let email = email_or_422(email)?;
    let limits = state.limits().clone();
    let info = count_login(state, &limits, &email).await?;
    context::set_rate(info);
    let dummy = state.dummy_hash().to_owned();
    let password = password.clone();
    let ip = context::client_ip();
    state
        .store()
        .run(move |c| {
            let user = c.user_by_email(&email)?;
            let stored = user.as_ref().and_then(|u| u.password_hash.clone());
            // An unknown address (or one without a password) is checked
            // against a dummy hash: the same work, the same answer.
            let matches = verify_password(stored.as_deref().unwrap_or(&dummy), password.expose());
            let user = match user {
                Some(u) if matches && stored.is_some() => u,
                other => {
                    let event = login_event(EventType::LoginFailed, other.as_ref(), ip)
                        .outcome(Outcome::Failure)
                        .details(json!({ "method": "password", "reason": "wrong_password" }));
                    audit::record(c, &event)?;
                    return Err(ApiErr::invalid_credentials());
                }
            };
            let mut tx = c.write()?;
            let signed = if user.totp_secret_enc.is_some() {
                let challenge = mfa::issue(&mut *tx, &limits, &user, ChallengeFor::Session, now())?;
                SignedIn::Challenge(challenge)
            } else {
                let event = login_event(EventType::LoginSucceeded, Some(&user), ip)
                    .details(json!({ "method": "password", "console": via == Via::Web }));
                audit::record(&mut *tx, &event)?;
                match via {
                    Via::Api => SignedIn::Session(new_session(&mut *tx, &limits, &user, 0)?),
                    Via::Web => SignedIn::Web(new_web_session(&mut *tx, &limits, user, now())?),
                }
            };
            tx.commit()?;
            Ok(signed)
        })
        .await
}

/// Counts a password login against the per-address and per-client budgets.
async fn count_login(state: &AppState, limits: &Limits, email: &str) -> Result<RateInfo, ApiErr> {
    let ip = context::client_ip().to_string();
    let checks = [
        (
            Bucket::LoginEmail,
            email,
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
    state
        .limiter()
        .hit(&checks, now())
        .await
        .map_err(ApiErr::rate_limited)
}

/// The second factor of a password or e-mail code login; ends the way that
/// login would have: a session, or the key the code login asked for.
pub async fn second_factor(
    state: &AppState,
    mfa_token: &Secret,
    factor: Factor,
) -> Result<SignedIn, ApiErr> {
    factor_login(state, mfa_token, factor, Via::Api).await
}

/// As [`second_factor`], for the web console: ends in a web session. Only
/// a challenge for a session (a password or a console code login) can be
/// finished here.
pub async fn second_factor_web(
    state: &AppState,
    mfa_token: &Secret,
    factor: Factor,
) -> Result<SignedIn, ApiErr> {
    factor_login(state, mfa_token, factor, Via::Web).await
}

async fn factor_login(
    state: &AppState,
    mfa_token: &Secret,
    factor: Factor,
    via: Via,
) -> Result<SignedIn, ApiErr> {
    let token_hash = sha256(mfa_token.expose().as_bytes());
    let limits = state.limits().clone();
    let key = state.server_key().clone();
    let ip = context::client_ip();
    state
        .store()
        .run(move |c| {
            let (mut tx, passed) = mfa::verify(c, &key, &limits, &token_hash, &factor, now(), ip)?;
            let failures = passed.failures_since_login;
            let signed = match passed.purpose {
                ChallengeFor::Session => {
                    let method = format!("password+{}", factor.name());
                    let event = login_event(EventType::LoginSucceeded, Some(&passed.user), ip)
                        .details(json!({ "method": method, "console": via == Via::Web }));
                    audit::record(&mut *tx, &event)?;
                    match via {
                        Via::Api => SignedIn::Session(new_session(
                            &mut *tx,
                            &limits,
                            &passed.user,
                            failures,
                        )?),
                        Via::Web => {
                            SignedIn::Web(new_web_session(&mut *tx, &limits, passed.user, now())?)
                        }
                    }
                }
                // Single sign-on belongs to the console: the API cannot
                // finish it (dropping `tx` rolls the check back).
                ChallengeFor::SsoSession if via == Via::Api => {
                    return Err(ApiErr::mfa_challenge_expired());
                }
                ChallengeFor::SsoSession => {
                    let method = format!("oidc+{}", factor.name());
                    console_session(&mut *tx, &limits, passed.user, &method, ip, now())?
                }
                // A challenge for a key belongs to the API's code login:
                // the console mints no key at sign-in (dropping `tx` rolls
                // the check back).
                ChallengeFor::Key { .. } if via == Via::Web => {
                    return Err(ApiErr::mfa_challenge_expired());
                }
                ChallengeFor::Key {
                    name,
                    expires_in_days,
                } => {
                    let method = format!("email_code+{}", factor.name());
                    let via = (method.as_str(), ip);
                    mint_login_key(&mut *tx, via, passed.user, name, expires_in_days, failures)?
                }
            };
            tx.commit()?;
            Ok(signed)
        })
        .await
}

/// A single sign-on to the web console, for the verified address the
/// identity provider vouched for (`service::sso` checked it): the user with
/// that address, or a new one in the configured organization with the
/// configured role; then a web session, or for a user with MFA the
/// challenge for the second factor.
pub async fn sso_web(
    state: &AppState,
    settings: &OidcSettings,
    identity: &Identity,
) -> Result<SignedIn, ApiErr> {
    let settings = settings.clone();
    let subject = identity.subject.clone();
    let verified = identity.email.trim();
    let email = email_or_422(verified)?;
    // The provider verified the address as it wrote it: one that only
    // Unicode lower-casing turns into a known address (a Kelvin sign for a
    // `k`) is another mailbox, not that user's.
    if email != verified.to_ascii_lowercase() {
        return Err(sso_address_refused(format!(
            "the address {verified} has characters this server does not match addresses by"
        )));
    }
    let limits = state.limits().clone();
    let ip = context::client_ip();
    state
        .store()
        .run(move |c| {
            let t = now();
            let mut tx = c.write()?;
            let user = match tx.user_by_email(&email)? {
                Some(u) => u,
                None if !may_join(&settings, &email) => {
                    return Err(sso_address_refused(format!(
                        "new people join this server only from {}",
                        settings.allowed_domains.join(", ")
                    )));
                }
                None => provision(&mut *tx, &settings, &email, &subject, ip, t)?,
            };
            let signed = if user.totp_secret_enc.is_some() {
                let purpose = ChallengeFor::SsoSession;
                SignedIn::Challenge(mfa::issue(&mut *tx, &limits, &user, purpose, t)?)
            } else {
                console_session(&mut *tx, &limits, user, "oidc", ip, t)?
            };
            tx.commit()?;
            Ok(signed)
        })
        .await
}

/// How every console sign-in that passed ends: `login.succeeded` with its
/// method, then the web session, in the caller's transaction.
fn console_session(
    conn: &mut dyn Conn,
    limits: &Limits,
    user: UserRow,
    method: &str,
    ip: IpAddr,
    t: i64,
) -> Result<SignedIn, ApiErr> {
    let event = login_event(EventType::LoginSucceeded, Some(&user), ip)
        .details(json!({ "method": method, "console": true }));
    audit::record(conn, &event)?;
    Ok(SignedIn::Web(new_web_session(conn, limits, user, t)?))
}

/// The code of a verified address single sign-on does not take.
pub const SSO_ADDRESS_REFUSED: &str = "sso_address_refused";

fn sso_address_refused(why: String) -> ApiErr {
    ApiErr::new(axum::http::StatusCode::FORBIDDEN, SSO_ADDRESS_REFUSED, why)
        .next("ask an admin of your organization to add you")
}

/// Whether a person new to this server may join through single sign-on:
/// with `--oidc-allowed-domain`, only from those domains.
fn may_join(settings: &crate::oidc::OidcSettings, email: &str) -> bool {
    let domain = email.rsplit_once('@').map_or("", |(_, d)| d);
    settings.allowed_domains.is_empty() || settings.allowed_domains.iter().any(|d| d == domain)
}

/// Just-in-time provisioning: a person the identity provider vouches for
/// and this server does not know joins `settings.org` (made if missing)
/// with `settings.role`, and the audit log says so.
fn provision(
    conn: &mut dyn Conn,
    settings: &OidcSettings,
    email: &str,
    subject: &str,
    ip: IpAddr,
    t: i64,
) -> Result<UserRow, ApiErr> {
    let org = match conn.org_by_name(&settings.org)? {
        Some(org) => org,
        None => store::create_org(conn, &settings.org, t)?,
    };
    let user = insert_user(conn, &org.id, email, settings.role, t)?;
    let actor = audit::Actor {
        user_id: Some(user.id.clone()),
        credential: Some("oidc".to_owned()),
        ip: Some(ip),
    };
    let event = audit::Event::new(EventType::UserAdded, &org.id, actor)
        .target(audit::Target::user(&user.id), &user.id)
        .details(json!({
            "role": user.role.as_str(),
            "via": "oidc",
            "issuer": settings.issuer,
            // The provider's own id of the person, for tracing them there.
            "subject": subject,
        }));
    audit::record(conn, &event)?;
    tracing::info!(user_id = %user.id, org_id = %org.id, "joined through single sign-on");
    Ok(user)
}

/// A new organization named after the address, with this user as its admin.
fn sign_up(conn: &mut dyn Conn, email: &str) -> Result<UserRow, ApiErr> {
    let t = now();
    let org = store::create_org(conn, email, t)?;
    let user = insert_user(conn, &org.id, email, Role::Admin, t)?;
    tracing::info!(user_id = %user.id, org_id = %org.id, "signed up");
    Ok(user)
}

/// A new user without password or MFA, who signed in by a verified
/// address (an e-mail code, single sign-on).
fn insert_user(
    conn: &mut dyn Conn,
    org_id: &str,
    email: &str,
    role: Role,
    t: i64,
) -> Result<UserRow, ApiErr> {
    let user = UserRow {
        id: new_id("usr_"),
        org_id: org_id.to_owned(),
        email: email.to_owned(),
        name: None,
        role,
        password_hash: None,
        totp_secret_enc: None,
    };
    match conn.insert_user(&user, t) {
        Ok(()) => Ok(user),
        // The address is a removed user's (`users remove`): it stays theirs.
        Err(StoreError::Conflict) => Err(account_removed()),
        Err(e) => Err(e.into()),
    }
}

fn account_removed() -> ApiErr {
    ApiErr::new(
        axum::http::StatusCode::FORBIDDEN,
        scripto_wire::codes::server::ACCOUNT_REMOVED,
        "this address belongs to an account that an admin removed",
    )
    .next("ask an admin of your organization")
}

fn new_session(
    conn: &mut dyn Conn,
    limits: &Limits,
    user: &UserRow,
    failures_since_login: u32,
) -> Result<Session, ApiErr> {
    let token = format!("{SESSION_PREFIX}{}", random_base62(43));
    let t = now();
    let row = SessionRow {
        id: new_id("ses_"),
        user_id: user.id.clone(),
        expires_at: t + limits.session_ttl_secs as i64,
    };
    conn.put_session(&sha256(token.as_bytes()), &row, t)?;
    Ok(Session {
        access_token: Secret::new(token),
        token_type: "Bearer".to_owned(),
        expires_in: limits.session_ttl_secs,
        user: user_json(user),
        failed_mfa_attempts_since_last_login: failures_since_login,
    })
}

/// The key an e-mail code login ends with: both scopes, every project; and
/// its `login.succeeded` event, in the caller's transaction.
fn mint_login_key(
    conn: &mut dyn Conn,
    (method, ip): (&str, IpAddr),
    user: UserRow,
    name: String,
    expires_in_days: Option<u32>,
    failures_since_login: u32,
) -> Result<SignedIn, ApiErr> {
    let spec = NewKeySpec {
        name,
        key_type: Default::default(),
        scopes: vec![Scope::Read, Scope::Write],
        project_ids: Vec::new(),
        lifetime_secs: expires_in_days.map(|d| i64::from(d) * 86_400),
        allowed_ips: Vec::new(),
    };
    let (api_key, key) = mint_key(conn, &user, spec, None)?;
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
