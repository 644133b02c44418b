//! `POST /v1/keys/revoke-leaked`: anyone who finds a scripto key where it
//! should not be can stop it (`crate::service::leaked`).

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use scripto_wire::types::{Envelope, LeakReceived, RevokeLeaked};

use super::ok;
use crate::error::ApiErr;
use crate::extract::JsonBody;
use crate::service::leaked;
use crate::state::AppState;

#[utoipa::path(
    post,
    path = "/v1/keys/revoke-leaked",
    operation_id = "revokeLeakedKeys",
    tag = "keys",
    security(()),
    request_body = RevokeLeaked,
    responses(
        (status = 202, description = "Received; every live key listed is revoked. The same answer whatever the keys were", body = Envelope<LeakReceived>),
        crate::openapi::errors::RevokeLeaked,
    )
)]
pub async fn revoke_leaked(
    State(state): State<AppState>,
    JsonBody(body): JsonBody<RevokeLeaked>,
) -> Result<Response, ApiErr> {
    let received = leaked::revoke_leaked(&state, &body.keys, body.source.as_deref()).await?;
    Ok(ok(StatusCode::ACCEPTED, LeakReceived { received }))
}
