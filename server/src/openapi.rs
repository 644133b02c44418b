//! The OpenAPI 3.1 document of `/v1`, generated from the code: the
//! `#[utoipa::path]` annotation above each handler gives its route, body,
//! parameters and success answer; the wire types derive their schemas
//! (`scripto-wire`'s `openapi` feature); the error answers of each endpoint
//! come from [`errors`], whose codes are checked against the constructors of
//! `ApiErr` by this module's tests. Served at `GET /v1/openapi.json` and
//! committed as `docs/openapi.json` (`cargo xtask gen` rewrites it, `cargo
//! xtask check` fails when it is stale).
//!
//! To add a route: annotate its handler with `#[utoipa::path(...)]` (an
//! `operation_id`, `security`, `responses` with the success answer and one
//! of the [`errors`] sets, or a new set), list the handler in `paths(...)`
//! of [`ApiDoc`], then run `cargo xtask gen`.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use scripto_wire::types::{Meta, Pagination};
use serde_json::{Value, json};
use utoipa::openapi::security::{Http, HttpAuthScheme, SecurityScheme};
use utoipa::openapi::{RefOr, ResponseBuilder};
use utoipa::{Modify, OpenApi, ToSchema};

/// A page of a listing: `pagination` is always there.
#[derive(ToSchema)]
pub struct Page<T> {
    pub data: Vec<T>,
    pub meta: Meta,
    pub pagination: Pagination,
}

// The two filters of `GET /v1/keys`, as the document shows them; the
// handler reads them as text.

/// Which keys to list.
#[derive(ToSchema)]
#[schema(rename_all = "snake_case")]
#[allow(dead_code, reason = "described in the document, never built")]
pub enum KeyStatusFilter {
    Active,
    Expired,
    Revoked,
    All,
}

/// Whose keys to list.
#[derive(ToSchema)]
#[schema(rename_all = "snake_case")]
#[allow(dead_code, reason = "described in the document, never built")]
pub enum KeyOwnerFilter {
    Me,
    All,
}

/// The shape of a project id, which the server checks in `project_ids`.
const PROJECT_ID: &str = "^proj_[0-9A-Za-z]{16,64}$";

#[derive(OpenApi)]
#[openapi(
    info(
        title = "scripto API",
        description = "Keys, e-mail one-time codes, passwords with TOTP, roles and projects, \
            as served by `scripto-server`. The prose contract, with the reasons behind each \
            choice, is docs/api.md; this document is generated from the server's code.\n\n\
            Every answer carries `X-Request-Id`, `X-RateLimit-Limit`, `X-RateLimit-Remaining`, \
            `X-RateLimit-Reset` and `Cache-Control: no-store`. An unknown path is 404 \
            `not_found`, a known path with another method 405 `method_not_allowed` (with \
            `Allow`), both in the error envelope.",
        license(name = "MIT OR Apache-2.0", identifier = "MIT OR Apache-2.0"),
    ),
    servers((url = "http://127.0.0.1:8787", description = "scripto-server's default address")),
    paths(
        crate::routes::health,
        crate::routes::ready,
        crate::routes::openapi_json,
        crate::routes::auth::login_request,
        crate::routes::auth::login_complete,
        crate::routes::auth::login,
        crate::routes::auth::login_mfa,
        crate::routes::device::start,
        crate::routes::device::token,
        crate::routes::device::lookup,
        crate::routes::device::approve,
        crate::routes::device::deny,
        crate::routes::me,
        crate::routes::keys::list,
        crate::routes::keys::create,
        crate::routes::keys::get_one,
        crate::routes::keys::revoke,
        crate::routes::keys::rotate,
        crate::routes::leaked::revoke_leaked,
        crate::routes::audit::list,
        crate::routes::projects::list,
        crate::routes::projects::get_one,
    ),
    components(schemas(scripto_wire::types::ErrorEnvelope)),
    modifiers(&BearerScheme),
    tags(
        (name = "meta", description = "The server itself"),
        (name = "auth", description = "Logging in: e-mail codes, passwords, the second factor"),
        (name = "keys", description = "API keys: the secret is shown once, at creation"),
        (name = "audit", description = "The audit log: what happened to keys and logins, by whom, from where"),
        (name = "projects", description = "The projects a credential can reach"),
    ),
)]
struct ApiDoc;

/// The `bearer` scheme: an API key (`scripto_…`) or a session token (`sst_…`).
struct BearerScheme;

impl Modify for BearerScheme {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        let mut http = Http::new(HttpAuthScheme::Bearer);
        http.description = Some(
            "An API key (`scripto_…`, 46 characters) or a session access token (`sst_…`, \
             from `POST /v1/auth/login`). Never in a query string."
                .to_owned(),
        );
        components.add_security_scheme("bearer", SecurityScheme::Http(http));
    }
}

/// One error code of the contract: its status and when it is answered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Code {
    pub code: &'static str,
    pub status: u16,
    pub when: &'static str,
}

/// Every error code of docs/api.md.
pub mod codes {
    use super::Code;
    use scripto_wire::codes as wire;

    macro_rules! codes {
        ($($name:ident = ($code:expr, $status:literal, $when:literal);)*) => {
            $(pub const $name: Code = Code { code: $code, status: $status, when: $when };)*
            pub const ALL: &[Code] = &[$($name),*];
        };
    }

    codes! {
        INVALID_REQUEST = (wire::server::INVALID_REQUEST, 400, "malformed JSON, an empty body, a body that is not an object, a wrong type, an unknown field (`details.field`), an unknown or repeated query parameter");
        VALIDATION_ERROR = (wire::server::VALIDATION_ERROR, 422, "a value out of range or not in its set, a missing required field; `details.fields: {name: reason}`");
        AUTHENTICATION_REQUIRED = (wire::server::AUTHENTICATION_REQUIRED, 401, "no `Authorization`, not `Bearer`, or an empty token");
        INVALID_API_KEY = (wire::server::INVALID_API_KEY, 401, "an unknown key or session token, a key that fails its format check (`details.reason`)");
        KEY_REVOKED = (wire::server::KEY_REVOKED, 401, "the key was revoked");
        KEY_EXPIRED = (wire::server::KEY_EXPIRED, 401, "the key is past its `expires_at`");
        SESSION_EXPIRED = (wire::server::SESSION_EXPIRED, 401, "a session token past its lifetime");
        INVALID_CREDENTIALS = (wire::server::INVALID_CREDENTIALS, 401, "wrong e-mail or password (the same answer for both)");
        MFA_INVALID = (wire::server::MFA_INVALID, 401, "a wrong or reused TOTP code, a wrong or used backup code; `details.attempts_remaining`");
        MFA_CHALLENGE_EXPIRED = (wire::server::MFA_CHALLENGE_EXPIRED, 401, "the `mfa_token` is unknown, too old, used, or burnt by 5 failures");
        OTP_INVALID = (wire::server::OTP_INVALID, 400, "a wrong e-mail code; `details.attempts_remaining` (0 on the try that burns it)");
        OTP_EXPIRED = (wire::server::OTP_EXPIRED, 410, "no live code for this address: never sent, expired, used, or burnt");
        INSUFFICIENT_PERMISSIONS = (wire::server::INSUFFICIENT_PERMISSIONS, 403, "the role or the key's scopes do not allow it");
        PROJECT_FORBIDDEN = (wire::server::PROJECT_FORBIDDEN, 403, "a project outside the credential's list; `details.project_id`");
        NOT_FOUND = (wire::kind::NOT_FOUND, 404, "an unknown or malformed id, or one the caller may not see");
        METHOD_NOT_ALLOWED = (wire::server::METHOD_NOT_ALLOWED, 405, "a known path with another method");
        PAYLOAD_TOO_LARGE = (wire::server::PAYLOAD_TOO_LARGE, 413, "a body over 64 KiB (`details.max_bytes`)");
        RATE_LIMITED = (wire::kind::RATE_LIMITED, 429, "a budget is used up; `Retry-After`, `details.retry_after`, `details.limit`");
        ALREADY_ROTATED = (wire::cli::ALREADY_ROTATED, 409, "the key already has a successor (`details.replaced_by`); rotate that one instead");
        KEY_NOT_ACTIVE = (wire::server::KEY_NOT_ACTIVE, 409, "the key is revoked or expired: nothing to rotate");
        IP_FORBIDDEN = (wire::server::IP_FORBIDDEN, 403, "the key has `allowed_ips` and the request comes from elsewhere; `details.ip`");
        REQUEST_TIMEOUT = (wire::server::REQUEST_TIMEOUT, 408, "the request body was not all sent within the body timeout");
        AUTHORIZATION_PENDING = (wire::server::AUTHORIZATION_PENDING, 400, "RFC 8628: the device login is not approved yet; poll again after `details.interval` seconds");
        SLOW_DOWN = (wire::server::SLOW_DOWN, 400, "RFC 8628: polled faster than the interval, which grew by 5 s (`details.interval`)");
        ACCESS_DENIED = (wire::server::ACCESS_DENIED, 400, "RFC 8628: the person denied the device login");
        EXPIRED_TOKEN = (wire::server::EXPIRED_TOKEN, 400, "RFC 8628: the device login ran out (10 minutes), was used, was burnt by wrong entries of its user code, or is unknown");
        INVALID_USER_CODE = (wire::server::INVALID_USER_CODE, 400, "no pending device login has this user code (a wrong entry; a few that get its first half right burn it)");
        INTERNAL_ERROR = (wire::server::INTERNAL_ERROR, 500, "a server failure (the cause is in the server log under the request id)");
        SERVICE_UNAVAILABLE = (wire::server::SERVICE_UNAVAILABLE, 503, "the database does not answer right now; `Retry-After`, `details.retry_after`");
        ACCOUNT_REMOVED = (wire::server::ACCOUNT_REMOVED, 403, "the address belongs to an account an admin removed: it cannot sign up again");
    }

    /// What any authenticated route may answer about its credential.
    pub const CREDENTIAL: &[Code] = &[
        AUTHENTICATION_REQUIRED,
        INVALID_API_KEY,
        KEY_REVOKED,
        KEY_EXPIRED,
        SESSION_EXPIRED,
        IP_FORBIDDEN,
    ];
}

/// The error answers of each endpoint, one type per endpoint for
/// `responses(...)` of its `#[utoipa::path]`.
pub mod errors {
    use super::codes::*;
    use super::error_responses;

    macro_rules! error_sets {
        ($($(#[$doc:meta])* $name:ident = [$($codes:expr),* $(,)?];)*) => {
            $(
                $(#[$doc])*
                pub struct $name;
                impl utoipa::IntoResponses for $name {
                    fn responses() -> std::collections::BTreeMap<
                        String,
                        utoipa::openapi::RefOr<utoipa::openapi::response::Response>,
                    > {
                        error_responses(&[$($codes as &[super::Code]),*].concat())
                    }
                }
            )*
        };
    }

    error_sets! {
        Health = [&[RATE_LIMITED]];
        LoginRequest = [&[INVALID_REQUEST, VALIDATION_ERROR, PAYLOAD_TOO_LARGE, RATE_LIMITED, SERVICE_UNAVAILABLE, INTERNAL_ERROR]];
        LoginComplete = [&[INVALID_REQUEST, OTP_INVALID, OTP_EXPIRED, ACCOUNT_REMOVED, VALIDATION_ERROR, PAYLOAD_TOO_LARGE, RATE_LIMITED, SERVICE_UNAVAILABLE, INTERNAL_ERROR]];
        Login = [&[INVALID_REQUEST, VALIDATION_ERROR, INVALID_CREDENTIALS, PAYLOAD_TOO_LARGE, RATE_LIMITED, SERVICE_UNAVAILABLE, INTERNAL_ERROR]];
        LoginMfa = [&[INVALID_REQUEST, VALIDATION_ERROR, MFA_INVALID, MFA_CHALLENGE_EXPIRED, PAYLOAD_TOO_LARGE, RATE_LIMITED, SERVICE_UNAVAILABLE, INTERNAL_ERROR]];
        Me = [CREDENTIAL, &[RATE_LIMITED, SERVICE_UNAVAILABLE, INTERNAL_ERROR]];
        ListKeys = [&[INVALID_REQUEST, VALIDATION_ERROR, INSUFFICIENT_PERMISSIONS], CREDENTIAL, &[RATE_LIMITED, SERVICE_UNAVAILABLE, INTERNAL_ERROR]];
        CreateKey = [&[INVALID_REQUEST, VALIDATION_ERROR, INSUFFICIENT_PERMISSIONS, PROJECT_FORBIDDEN, PAYLOAD_TOO_LARGE], CREDENTIAL, &[RATE_LIMITED, SERVICE_UNAVAILABLE, INTERNAL_ERROR]];
        GetKey = [&[NOT_FOUND], CREDENTIAL, &[RATE_LIMITED, SERVICE_UNAVAILABLE, INTERNAL_ERROR]];
        RevokeKey = [&[INSUFFICIENT_PERMISSIONS, NOT_FOUND], CREDENTIAL, &[RATE_LIMITED, SERVICE_UNAVAILABLE, INTERNAL_ERROR]];
        ListProjects = [&[INVALID_REQUEST, VALIDATION_ERROR], CREDENTIAL, &[RATE_LIMITED, SERVICE_UNAVAILABLE, INTERNAL_ERROR]];
        GetProject = [&[PROJECT_FORBIDDEN, NOT_FOUND], CREDENTIAL, &[RATE_LIMITED, SERVICE_UNAVAILABLE, INTERNAL_ERROR]];
        RotateKey = [&[INVALID_REQUEST, VALIDATION_ERROR, INSUFFICIENT_PERMISSIONS, PROJECT_FORBIDDEN, NOT_FOUND, ALREADY_ROTATED, KEY_NOT_ACTIVE, PAYLOAD_TOO_LARGE, REQUEST_TIMEOUT], CREDENTIAL, &[RATE_LIMITED, SERVICE_UNAVAILABLE, INTERNAL_ERROR]];
        RevokeLeaked = [&[INVALID_REQUEST, VALIDATION_ERROR, PAYLOAD_TOO_LARGE, REQUEST_TIMEOUT, RATE_LIMITED, SERVICE_UNAVAILABLE, INTERNAL_ERROR]];
        DeviceStart = [&[INVALID_REQUEST, VALIDATION_ERROR, PAYLOAD_TOO_LARGE, RATE_LIMITED, SERVICE_UNAVAILABLE, INTERNAL_ERROR]];
        DeviceToken = [&[INVALID_REQUEST, VALIDATION_ERROR, AUTHORIZATION_PENDING, SLOW_DOWN, ACCESS_DENIED, EXPIRED_TOKEN, PAYLOAD_TOO_LARGE, RATE_LIMITED, SERVICE_UNAVAILABLE, INTERNAL_ERROR]];
        DeviceDecide = [&[INVALID_REQUEST, VALIDATION_ERROR, INVALID_USER_CODE, EXPIRED_TOKEN, INSUFFICIENT_PERMISSIONS, PAYLOAD_TOO_LARGE], CREDENTIAL, &[RATE_LIMITED, SERVICE_UNAVAILABLE, INTERNAL_ERROR]];
        ListAuditEvents = [&[INVALID_REQUEST, VALIDATION_ERROR], CREDENTIAL, &[RATE_LIMITED, SERVICE_UNAVAILABLE, INTERNAL_ERROR]];
    }
}

/// One response per status, its envelope's `error.code` limited to the
/// codes this endpoint answers with that status.
fn error_responses(codes: &[Code]) -> BTreeMap<String, RefOr<utoipa::openapi::response::Response>> {
    let mut by_status: BTreeMap<u16, Vec<Code>> = BTreeMap::new();
    for c in codes {
        by_status.entry(c.status).or_default().push(*c);
    }
    by_status
        .into_iter()
        .map(|(status, codes)| {
            let names: Vec<&str> = codes.iter().map(|c| c.code).collect();
            let description = codes
                .iter()
                .map(|c| format!("`{}`: {}", c.code, c.when))
                .collect::<Vec<_>>()
                .join("; ");
            let schema: utoipa::openapi::Schema = serde_json::from_value(json!({
                "allOf": [
                    {"$ref": "#/components/schemas/ErrorEnvelope"},
                    {"type": "object", "properties": {"error": {"type": "object", "properties": {
                        "code": {"type": "string", "enum": names}
                    }}}}
                ]
            }))
            .expect("a valid schema");
            let response = ResponseBuilder::new()
                .description(description)
                .content(
                    "application/json",
                    utoipa::openapi::ContentBuilder::new()
                        .schema(Some(schema))
                        .build(),
                )
                .build();
            (status.to_string(), RefOr::T(response))
        })
        .collect()
}

/// Headers every answer carries, and `Retry-After` on a 429: defined once
/// in `components.headers`, referenced from each response.
fn with_common_headers(doc: &mut Value) {
    let int = json!({"type": "integer", "minimum": 0});
    let common = json!({
        "X-Request-Id": {"description": "The same `req_…` as `meta.request_id`", "required": true,
            "schema": {"type": "string", "pattern": "^req_[0-9A-Za-z]{16,64}$"}},
        "X-RateLimit-Limit": {"description": "The limit of the budget this request was counted against", "required": true, "schema": int},
        "X-RateLimit-Remaining": {"description": "What is left of that budget after this request", "required": true, "schema": int},
        "X-RateLimit-Reset": {"description": "Unix seconds when that budget's window ends", "required": true, "schema": int},
        "Cache-Control": {"description": "Always `no-store`: some answers carry a secret shown once", "required": true,
            "schema": {"type": "string", "const": "no-store"}},
    });
    let retry_after = json!({"description": "Seconds to wait (also `details.retry_after`)", "required": true,
        "schema": {"type": "integer", "minimum": 1}});
    let reference = |name: &str| json!({"$ref": format!("#/components/headers/{name}")});
    let names: Vec<String> = common
        .as_object()
        .into_iter()
        .flatten()
        .map(|(k, _)| k.clone())
        .collect();
    if let Some(paths) = doc["paths"].as_object_mut() {
        for op in paths
            .values_mut()
            .filter_map(Value::as_object_mut)
            .flat_map(|item| item.values_mut())
        {
            let Some(responses) = op["responses"].as_object_mut() else {
                continue;
            };
            for (status, response) in responses.iter_mut() {
                let mut headers = serde_json::Map::new();
                for name in &names {
                    headers.insert(name.clone(), reference(name));
                }
                if status == "429" {
                    headers.insert("Retry-After".to_owned(), reference("Retry-After"));
                }
                response["headers"] = Value::Object(headers);
            }
        }
    }
    let mut all = common;
    all["Retry-After"] = retry_after;
    doc["components"]["headers"] = all;
}

/// `POST /v1/auth/login/mfa` takes exactly one of the two codes, which the
/// derived schema (two optional fields) cannot say.
fn exactly_one_second_factor(doc: &mut Value) {
    let schema = &mut doc["components"]["schemas"]["MfaVerify"];
    if schema.is_object() {
        schema["oneOf"] = json!([
            {"required": ["totp_code"]},
            {"required": ["backup_code"]}
        ]);
    }
}

/// The items of every `project_ids` are project ids (the derive cannot put
/// a pattern on the items of a `Vec<String>`).
fn project_id_items(doc: &mut Value) {
    for name in ["CreateKey", "ApiKey", "Credential"] {
        let items = &mut doc["components"]["schemas"][name]["properties"]["project_ids"]["items"];
        if items.is_object() {
            items["pattern"] = json!(PROJECT_ID);
        }
    }
}

/// The document as a JSON value.
pub fn document() -> Value {
    let mut doc = serde_json::to_value(ApiDoc::openapi()).expect("the document serialises");
    with_common_headers(&mut doc);
    exactly_one_second_factor(&mut doc);
    project_id_items(&mut doc);
    doc
}

/// The document as committed in `docs/openapi.json`: pretty, one trailing
/// newline, so a change reads well in a diff.
pub fn json() -> String {
    let mut text = serde_json::to_string_pretty(&document()).expect("the document serialises");
    text.push('\n');
    text
}

/// `GET /v1/openapi.json`: built once, then served from memory.
pub fn response() -> Response {
    static BODY: OnceLock<String> = OnceLock::new();
    let body = BODY.get_or_init(json).as_str();
    (
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        )],
        body,
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::codes;
    use crate::error::ApiErr;
    use crate::limiter::RateInfo;

    /// Every code the server can answer is in the table with its status, so
    /// the document cannot promise a status the server does not send.
    #[test]
    fn every_error_constructor_is_in_the_table_with_its_status() {
        let rate = RateInfo {
            limit: 1,
            remaining: 0,
            reset: 0,
            retry_after: Some(1),
        };
        let errors = [
            ApiErr::invalid_request("x"),
            ApiErr::validation("f", "x"),
            ApiErr::authentication_required(),
            ApiErr::invalid_api_key(),
            ApiErr::key_revoked(),
            ApiErr::key_expired(),
            ApiErr::session_expired(),
            ApiErr::invalid_credentials(),
            ApiErr::mfa_invalid(1),
            ApiErr::mfa_challenge_expired(),
            ApiErr::otp_invalid(1),
            ApiErr::otp_expired(),
            ApiErr::insufficient_permissions("x"),
            ApiErr::project_forbidden("proj_x"),
            ApiErr::not_found("x"),
            ApiErr::payload_too_large(1),
            ApiErr::rate_limited(rate),
            ApiErr::ip_forbidden(std::net::Ipv4Addr::LOCALHOST.into()),
            ApiErr::request_timeout(std::time::Duration::from_secs(1)),
            ApiErr::mfa_reused(1),
            ApiErr::authorization_pending(5),
            ApiErr::slow_down(10),
            ApiErr::access_denied(),
            ApiErr::expired_token(),
            ApiErr::invalid_user_code(),
            ApiErr::internal(),
            ApiErr::service_unavailable(),
        ];
        for e in errors {
            let found = codes::ALL.iter().find(|c| c.code == e.code);
            let found = found.unwrap_or_else(|| panic!("{} is not in openapi::codes", e.code));
            assert_eq!(found.status, e.status.as_u16(), "{}", e.code);
        }
    }
}
