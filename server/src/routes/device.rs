//! `/v1/auth/device*`: device login (RFC 8628). A client starts a login and
//! polls for its key; a signed-in person approves or denies it, on the
//! approval page or through this API. The flow is in
//! `crate::service::device`; these handlers parse and answer.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use scripto_wire::types::{
    DeviceAuthorization, DeviceDecided, DeviceDecision, DevicePending, DeviceStartRequest,
    DeviceTokenRequest, Envelope, LoginCompleted,
};

use super::keys::key_json;
use super::ok;
use crate::auth::Principal;
use crate::error::ApiErr;
use crate::extract::JsonBody;
use crate::service::device::{self, Polled};
use crate::service::users::user_json;
use crate::state::AppState;
use crate::util::rfc3339;

/// Starts a device login: codes for the client and for the person.
#[utoipa::path(
    post,
    path = "/v1/auth/device",
    operation_id = "deviceStart",
    tag = "auth",
    security(()),
    request_body = DeviceStartRequest,
    responses(
        (status = 200, description = "A device login waits for approval: show `user_code` and `verification_uri` to a person, poll `/v1/auth/device/token` with `device_code`", body = Envelope<DeviceAuthorization>),
        crate::openapi::errors::DeviceStart,
    )
)]
pub async fn start(
    State(state): State<AppState>,
    JsonBody(body): JsonBody<DeviceStartRequest>,
) -> Result<Response, ApiErr> {
    let s = device::start(&state, body.key_name, body.client_name).await?;
    Ok(ok(
        StatusCode::OK,
        DeviceAuthorization {
            device_code: s.device_code,
            user_code: s.user_code,
            verification_uri: s.verification_uri,
            verification_uri_complete: s.verification_uri_complete,
            expires_in: s.expires_in,
            interval: s.interval,
        },
    ))
}

/// One poll: the key once approved, else RFC 8628's answer as a 400 in the
/// error envelope.
#[utoipa::path(
    post,
    path = "/v1/auth/device/token",
    operation_id = "deviceToken",
    tag = "auth",
    security(()),
    request_body = DeviceTokenRequest,
    responses(
        (status = 201, description = "Approved: the new key (both scopes, every project, owned by the approver), shown only this once; the device code is used up", body = Envelope<LoginCompleted>,
            links(
                ("getKey" = (operation_id = "getKey", parameters(("id" = "$response.body#/data/key/id")))),
                ("revokeKey" = (operation_id = "revokeKey", parameters(("id" = "$response.body#/data/key/id")))),
            )),
        crate::openapi::errors::DeviceToken,
    )
)]
pub async fn token(
    State(state): State<AppState>,
    JsonBody(body): JsonBody<DeviceTokenRequest>,
) -> Result<Response, ApiErr> {
    let Polled::Minted { api_key, key, user } = device::poll(&state, &body.device_code).await?;
    Ok(ok(
        StatusCode::CREATED,
        LoginCompleted {
            api_key,
            key: key_json(&state, &key),
            user: user_json(&user),
            failed_mfa_attempts_since_last_login: 0,
        },
    ))
}

/// What approving a pending device login would do: the client and the key.
#[utoipa::path(
    post,
    path = "/v1/auth/device/lookup",
    operation_id = "deviceLookup",
    tag = "auth",
    security(("bearer" = [])),
    request_body = DeviceDecision,
    responses(
        (status = 200, description = "The pending login behind the user code", body = Envelope<DevicePending>),
        crate::openapi::errors::DeviceDecide,
    )
)]
pub async fn lookup(
    State(state): State<AppState>,
    p: Principal,
    JsonBody(body): JsonBody<DeviceDecision>,
) -> Result<Response, ApiErr> {
    let d = device::lookup(&state, &p, &body.user_code).await?;
    Ok(ok(
        StatusCode::OK,
        DevicePending {
            user_code: d.user_code,
            client_name: d.client_name,
            client_ip: d.client_ip,
            key_name: d.key_name,
            expires_at: rfc3339(d.expires_at),
        },
    ))
}

/// Approves a pending device login as the caller: its next poll mints a
/// key owned by the caller.
#[utoipa::path(
    post,
    path = "/v1/auth/device/approve",
    operation_id = "deviceApprove",
    tag = "auth",
    security(("bearer" = [])),
    request_body = DeviceDecision,
    responses(
        (status = 200, description = "Approved", body = Envelope<DeviceDecided>),
        crate::openapi::errors::DeviceDecide,
    )
)]
pub async fn approve(
    State(state): State<AppState>,
    p: Principal,
    JsonBody(body): JsonBody<DeviceDecision>,
) -> Result<Response, ApiErr> {
    device::approve(&state, &p, &body.user_code).await?;
    Ok(decided(body.user_code, "approved"))
}

/// Denies a pending device login: its next poll is `access_denied`.
#[utoipa::path(
    post,
    path = "/v1/auth/device/deny",
    operation_id = "deviceDeny",
    tag = "auth",
    security(("bearer" = [])),
    request_body = DeviceDecision,
    responses(
        (status = 200, description = "Denied", body = Envelope<DeviceDecided>),
        crate::openapi::errors::DeviceDecide,
    )
)]
pub async fn deny(
    State(state): State<AppState>,
    p: Principal,
    JsonBody(body): JsonBody<DeviceDecision>,
) -> Result<Response, ApiErr> {
    device::deny(&state, &p, &body.user_code).await?;
    Ok(decided(body.user_code, "denied"))
}

fn decided(user_code: String, status: &str) -> Response {
    ok(
        StatusCode::OK,
        DeviceDecided {
            user_code: user_code.trim().to_ascii_uppercase(),
            status: status.to_owned(),
        },
    )
}
