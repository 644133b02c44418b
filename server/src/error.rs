//! The error envelope. Every failure a handler or extractor can meet is an
//! `ApiErr`; internal ones are logged with their cause and answered with a
//! bare `internal_error`.

use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use scripto_wire::codes;
use scripto_wire::types::{ApiError, ErrorEnvelope, Meta};
use serde_json::{Value, json};

use crate::context;
use crate::limiter::RateInfo;
use crate::store::StoreError;

#[derive(Debug, Clone)]
pub struct ApiErr {
    pub status: StatusCode,
    pub code: &'static str,
    pub message: String,
    pub details: Option<Value>,
    pub next_action: Option<String>,
    pub retry_after: Option<u64>,
}

impl ApiErr {
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        ApiErr {
            status,
            code,
            message: message.into(),
            details: None,
            next_action: None,
            retry_after: None,
        }
    }

    pub fn details(mut self, details: Value) -> Self {
        self.details = Some(details);
        self
    }

    pub fn next(mut self, next_action: impl Into<String>) -> Self {
        self.next_action = Some(next_action.into());
        self
    }

    pub fn invalid_request(message: impl Into<String>) -> Self {
        Self::new(
            StatusCode::BAD_REQUEST,
            codes::server::INVALID_REQUEST,
            message,
        )
    }

    /// 422 with `details.fields = {field: reason}`.
    pub fn validation(field: &str, reason: impl Into<String>) -> Self {
        let reason = reason.into();
        Self::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            codes::server::VALIDATION_ERROR,
            format!("`{field}` {reason}"),
        )
        .details(json!({ "fields": { field: reason } }))
    }

    /// 422 naming every invalid field: `details.fields = {field: reason, …}`.
    pub fn invalid_fields(fields: crate::validate::Fields) -> Self {
        let fields = fields.into_vec();
        let message = fields
            .iter()
            .map(|(f, r)| format!("`{f}` {r}"))
            .collect::<Vec<_>>()
            .join("; ");
        let map: serde_json::Map<String, Value> = fields
            .into_iter()
            .map(|(f, r)| (f, Value::String(r)))
            .collect();
        Self::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            codes::server::VALIDATION_ERROR,
            message,
        )
        .details(json!({ "fields": map }))
    }

    pub fn authentication_required() -> Self {
        Self::new(
            StatusCode::UNAUTHORIZED,
            codes::server::AUTHENTICATION_REQUIRED,
            "this endpoint needs `Authorization: Bearer <credential>`",
        )
        .next("scripto auth login")
    }

    pub fn invalid_api_key() -> Self {
        Self::new(
            StatusCode::UNAUTHORIZED,
            codes::server::INVALID_API_KEY,
            "the credential is not a valid API key or session token",
        )
        .next("scripto auth login")
    }

    pub fn key_revoked() -> Self {
        Self::new(
            StatusCode::UNAUTHORIZED,
            codes::server::KEY_REVOKED,
            "this API key has been revoked",
        )
        .next("scripto auth login")
    }

    pub fn key_expired() -> Self {
        Self::new(
            StatusCode::UNAUTHORIZED,
            codes::server::KEY_EXPIRED,
            "this API key has expired",
        )
        .next("scripto auth login")
    }

    pub fn session_expired() -> Self {
        Self::new(
            StatusCode::UNAUTHORIZED,
            codes::server::SESSION_EXPIRED,
            "this session token has expired",
        )
        .next("scripto auth login --password-stdin")
    }

    pub fn invalid_credentials() -> Self {
        Self::new(
            StatusCode::UNAUTHORIZED,
            codes::server::INVALID_CREDENTIALS,
            "wrong e-mail or password",
        )
        .next("scripto auth login --email <address>")
    }

    pub fn mfa_invalid(attempts_remaining: u32) -> Self {
        Self::new(
            StatusCode::UNAUTHORIZED,
            codes::server::MFA_INVALID,
            "that code is not valid for this account",
        )
        .details(json!({ "attempts_remaining": attempts_remaining, "reason": "wrong" }))
        .next("scripto auth mfa --code <6-digit-code>")
    }

    /// The right TOTP code, already accepted once: the next one is needed.
    pub fn mfa_reused(attempts_remaining: u32) -> Self {
        Self::new(
            StatusCode::UNAUTHORIZED,
            codes::server::MFA_INVALID,
            "this code was already used; wait for the next one",
        )
        .details(json!({ "attempts_remaining": attempts_remaining, "reason": "reused" }))
        .next("wait for the authenticator app's next code, then: scripto auth mfa --code <6-digit-code>")
    }

    pub fn mfa_challenge_expired() -> Self {
        Self::new(
            StatusCode::UNAUTHORIZED,
            codes::server::MFA_CHALLENGE_EXPIRED,
            "this MFA challenge is unknown, too old, or used up",
        )
        .next("scripto auth login --password-stdin")
    }

    pub fn otp_invalid(attempts_remaining: u32) -> Self {
        let e = Self::new(
            StatusCode::BAD_REQUEST,
            codes::server::OTP_INVALID,
            "that code is not the one we sent",
        )
        .details(json!({ "attempts_remaining": attempts_remaining }));
        if attempts_remaining == 0 {
            e.next("scripto auth login --email <address>")
        } else {
            e.next("scripto auth login-complete --email <address> --code <code>")
        }
    }

    pub fn otp_expired() -> Self {
        Self::new(
            StatusCode::GONE,
            codes::server::OTP_EXPIRED,
            "there is no valid code for this address: it expired, was used, or was burnt by wrong tries",
        )
        .next("scripto auth login --email <address>")
    }

    pub fn insufficient_permissions(message: impl Into<String>) -> Self {
        Self::new(
            StatusCode::FORBIDDEN,
            codes::server::INSUFFICIENT_PERMISSIONS,
            message,
        )
    }

    pub fn project_forbidden(project_id: &str) -> Self {
        Self::new(
            StatusCode::FORBIDDEN,
            codes::server::PROJECT_FORBIDDEN,
            format!("this credential cannot reach project {project_id}"),
        )
        .details(json!({ "project_id": project_id }))
        .next("use a key that includes this project (scripto keys create --name NAME --project ID)")
    }

    /// The key has an allow-list and the request comes from elsewhere.
    pub fn ip_forbidden(ip: std::net::IpAddr) -> Self {
        Self::new(
            StatusCode::FORBIDDEN,
            codes::server::IP_FORBIDDEN,
            format!("this key may not be used from {ip}: it is limited to other addresses"),
        )
        .details(json!({ "ip": ip.to_string() }))
        .next("use this key from an allowed address, or a key without that limit (scripto keys get ID shows its allowed_ips)")
    }

    pub fn not_found(what: &str) -> Self {
        Self::new(
            StatusCode::NOT_FOUND,
            codes::kind::NOT_FOUND,
            format!("no such {what}"),
        )
    }

    pub fn rate_limited(info: RateInfo) -> Self {
        let retry = info.retry_after.unwrap_or(1);
        let mut e = Self::new(
            StatusCode::TOO_MANY_REQUESTS,
            codes::kind::RATE_LIMITED,
            format!("too many requests; retry in {retry} s"),
        )
        .details(json!({ "retry_after": retry, "limit": info.limit }))
        .next(format!("wait {retry} seconds, then retry"));
        e.retry_after = Some(retry);
        context::set_rate(info);
        e
    }

    pub fn payload_too_large(limit: usize) -> Self {
        Self::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            codes::server::PAYLOAD_TOO_LARGE,
            format!("the request body is over {limit} bytes"),
        )
        .details(json!({ "max_bytes": limit }))
    }

    pub fn request_timeout(bound: std::time::Duration) -> Self {
        Self::new(
            StatusCode::REQUEST_TIMEOUT,
            codes::server::REQUEST_TIMEOUT,
            format!(
                "the request body was not all sent within {} s",
                bound.as_secs_f64()
            ),
        )
        .details(json!({ "body_timeout_secs": bound.as_secs_f64() }))
        .next("send the whole body at once, then retry")
    }

    /// RFC 8628 `authorization_pending`: nobody approved the login yet.
    pub fn authorization_pending(interval: u64) -> Self {
        Self::new(
            StatusCode::BAD_REQUEST,
            codes::server::AUTHORIZATION_PENDING,
            "the login is waiting for approval in the browser",
        )
        .details(json!({ "interval": interval }))
        .next(format!(
            "approve it at the verification URL, then poll again in {interval} s (scripto auth login-complete --device)"
        ))
    }

    /// RFC 8628 `slow_down`: polled faster than the interval, which grew.
    pub fn slow_down(interval: u64) -> Self {
        Self::new(
            StatusCode::BAD_REQUEST,
            codes::server::SLOW_DOWN,
            format!("polled too fast; poll at most every {interval} s"),
        )
        .details(json!({ "interval": interval }))
        .next(format!("wait {interval} seconds, then poll again"))
    }

    /// RFC 8628 `access_denied`: the person denied the login.
    pub fn access_denied() -> Self {
        Self::new(
            StatusCode::BAD_REQUEST,
            codes::server::ACCESS_DENIED,
            "the login was denied in the browser",
        )
        .next("scripto auth login --web")
    }

    /// RFC 8628 `expired_token`: the device code ran out, was used, was
    /// burnt by wrong entries of its user code, or never was.
    pub fn expired_token() -> Self {
        Self::new(
            StatusCode::BAD_REQUEST,
            codes::server::EXPIRED_TOKEN,
            "this device login expired, was already used, or is unknown",
        )
        .next("scripto auth login --web")
    }

    /// A typed user code that no pending device login has.
    pub fn invalid_user_code() -> Self {
        Self::new(
            StatusCode::BAD_REQUEST,
            codes::server::INVALID_USER_CODE,
            "no pending login has this code",
        )
        .next("check the code the CLI shows (like WDJB-MJHT) and type it again")
    }

    pub fn internal() -> Self {
        Self::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            codes::server::INTERNAL_ERROR,
            "the server failed; the request may be retried",
        )
    }
}

impl ApiErr {
    /// 503: the database (or another part the answer needs) does not
    /// answer now; the request may be retried after `Retry-After`.
    pub fn service_unavailable() -> Self {
        let mut e = Self::new(
            StatusCode::SERVICE_UNAVAILABLE,
            codes::server::SERVICE_UNAVAILABLE,
            "the server cannot reach its database right now; retry in a few seconds",
        );
        e.retry_after = Some(SERVICE_UNAVAILABLE_RETRY_SECS);
        e.details(json!({ "retry_after": SERVICE_UNAVAILABLE_RETRY_SECS }))
    }
}

/// What a 503 tells the client to wait.
const SERVICE_UNAVAILABLE_RETRY_SECS: u64 = 2;

impl From<StoreError> for ApiErr {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::Unavailable(why) => {
                tracing::warn!(error = %why, "database unavailable");
                ApiErr::service_unavailable()
            }
            other => {
                tracing::error!(error = %other, "database error");
                ApiErr::internal()
            }
        }
    }
}

impl IntoResponse for ApiErr {
    fn into_response(self) -> Response {
        let body = ErrorEnvelope {
            error: ApiError {
                code: self.code.to_owned(),
                message: self.message,
                details: self.details,
                next_action: self.next_action,
            },
            meta: Meta {
                request_id: context::request_id(),
            },
        };
        let mut resp = (self.status, axum::Json(body)).into_response();
        if let Some(secs) = self.retry_after {
            resp.headers_mut()
                .insert("retry-after", HeaderValue::from(secs));
        }
        resp
    }
}
