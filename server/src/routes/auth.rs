//! `/v1/auth/*`: e-mail one-time codes (which sign unknown addresses up),
//! password login, and the MFA step of both. The flows are in
//! `crate::service::login`; these handlers parse and answer.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use scripto_wire::types::{
    Envelope, LoginComplete, LoginCompleted, LoginOutcome, LoginRequest, LoginRequested,
    MfaChallenge, MfaVerify, PasswordLogin, Session,
};

use super::keys::key_json;
use super::ok;
use crate::error::ApiErr;
use crate::extract::JsonBody;
use crate::service::login::{self, MintedKey, SignedIn};
use crate::service::mfa::Factor;
use crate::service::users::user_json;
use crate::state::AppState;

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
    let (email, expires_in) = login::request_code(&state, &body.email).await?;
    Ok(ok(
        StatusCode::ACCEPTED,
        LoginRequested { email, expires_in },
    ))
}

/// The answer of a login step.
fn signed_in(state: &AppState, signed: SignedIn) -> Response {
    match signed {
        SignedIn::Challenge(c) => ok(StatusCode::OK, LoginOutcome::MfaRequired(c)),
        SignedIn::Session(s) => ok(StatusCode::OK, LoginOutcome::Session(s)),
        // Only the console's sign-in functions end in a web session.
        SignedIn::Web(_) => ApiErr::internal().into_response(),
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
    let signed = login::complete_code(
        &state,
        &body.email,
        &body.code,
        body.key_name.as_deref(),
        body.expires_in_days,
    )
    .await?;
    Ok(signed_in(&state, signed))
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
    let signed = login::password(&state, &body.email, &body.password).await?;
    Ok(signed_in(&state, signed))
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
    let signed = login::second_factor(&state, &body.mfa_token, factor).await?;
    Ok(signed_in(&state, signed))
}
