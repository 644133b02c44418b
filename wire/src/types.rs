//! Request and response bodies of `/v1`. Request bodies refuse unknown
//! fields, so a misspelt option is an error rather than silently ignored.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::Secret;

/// `{"data": …, "meta": …, "pagination"?: …}`: every success.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Envelope<T> {
    pub data: T,
    pub meta: Meta,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pagination: Option<Pagination>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Meta {
    #[cfg_attr(feature = "openapi", schema(pattern = "^req_[0-9A-Za-z]{16,64}$"))]
    pub request_id: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Pagination {
    pub has_more: bool,
    /// The id of the last item of this page; `null` on the last page.
    pub next_cursor: Option<String>,
}

/// `{"error": …, "meta": …}`: every failure.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ErrorEnvelope {
    pub error: ApiError,
    pub meta: Meta,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ApiError {
    pub code: String,
    pub message: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<Object>, nullable = false))]
    pub details: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(nullable = false))]
    pub next_action: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "clap", derive(clap::ValueEnum))]
#[serde(rename_all = "snake_case")]
pub enum KeyType {
    #[default]
    #[cfg_attr(
        feature = "clap",
        value(help = "For data stored first and processed later, such as uploaded files")
    )]
    Batch,
    #[cfg_attr(
        feature = "clap",
        value(help = "For data processed as it arrives, such as live audio streams")
    )]
    Realtime,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "clap", derive(clap::ValueEnum))]
#[serde(rename_all = "snake_case")]
pub enum Scope {
    Read,
    Write,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum KeyStatus {
    Active,
    Expired,
    Revoked,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Member,
    Developer,
    Admin,
}

/// Each variant's name on the wire, for the places that need it as text
/// rather than through serde: tables, the server's database columns.
macro_rules! wire_names {
    ($ty:ident { $($variant:ident => $name:literal),+ $(,)? }) => {
        impl $ty {
            pub const ALL: &'static [$ty] = &[$($ty::$variant),+];

            pub fn as_str(self) -> &'static str {
                match self {
                    $($ty::$variant => $name),+
                }
            }

            pub fn from_name(name: &str) -> Option<Self> {
                match name {
                    $($name => Some($ty::$variant),)+
                    _ => None,
                }
            }
        }
    };
}

wire_names!(KeyType { Batch => "batch", Realtime => "realtime" });
wire_names!(Scope { Read => "read", Write => "write" });
/// `GET /v1/keys?status=`: which keys a listing shows (`active` unless
/// asked), the key statuses and `all`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "clap", derive(clap::ValueEnum))]
#[serde(rename_all = "snake_case")]
pub enum KeyStatusFilter {
    #[default]
    Active,
    Expired,
    Revoked,
    All,
}

wire_names!(KeyStatusFilter { Active => "active", Expired => "expired", Revoked => "revoked", All => "all" });
wire_names!(KeyStatus { Active => "active", Expired => "expired", Revoked => "revoked" });
wire_names!(Role { Member => "member", Developer => "developer", Admin => "admin" });

/// An API key as the server shows it: never the secret.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ApiKey {
    #[cfg_attr(feature = "openapi", schema(pattern = "^key_[0-9A-Za-z]{16,64}$"))]
    pub id: String,
    pub name: String,
    /// The first 12 characters of the key: shown, never enough to use it.
    #[cfg_attr(feature = "openapi", schema(pattern = "^scripto_[0-9A-Za-z]{4}$"))]
    pub start: String,
    #[serde(rename = "type")]
    pub key_type: KeyType,
    pub scopes: Vec<Scope>,
    /// Empty: every project of the organization.
    pub project_ids: Vec<String>,
    #[cfg_attr(feature = "openapi", schema(format = DateTime))]
    pub created_at: String,
    #[cfg_attr(feature = "openapi", schema(format = DateTime))]
    pub expires_at: Option<String>,
    #[cfg_attr(feature = "openapi", schema(format = DateTime))]
    pub last_used_at: Option<String>,
    #[cfg_attr(feature = "openapi", schema(format = DateTime))]
    pub revoked_at: Option<String>,
    pub status: KeyStatus,
    #[cfg_attr(feature = "openapi", schema(pattern = "^usr_[0-9A-Za-z]{16,64}$"))]
    pub owner_id: String,
    /// Networks the key may be used from (CIDR); empty: anywhere. Absent
    /// from servers older than the allow-lists.
    #[serde(default)]
    pub allowed_ips: Vec<String>,
    /// The key this one was rotated from. Absent from servers that predate
    /// rotation, so both directions still parse.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(
        feature = "openapi",
        schema(nullable = false, pattern = "^key_[0-9A-Za-z]{16,64}$")
    )]
    pub replaces: Option<String>,
    /// The key that replaced this one by rotation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(
        feature = "openapi",
        schema(nullable = false, pattern = "^key_[0-9A-Za-z]{16,64}$")
    )]
    pub replaced_by: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct User {
    pub id: String,
    pub email: String,
    pub name: Option<String>,
    pub role: Role,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Organization {
    pub id: String,
    pub name: String,
    pub plan: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum CredentialType {
    ApiKey,
    Session,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Credential {
    #[serde(rename = "type")]
    pub credential_type: CredentialType,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    /// Present for an API key only.
    #[cfg_attr(feature = "openapi", schema(nullable = false))]
    pub key_id: Option<String>,
    pub scopes: Vec<Scope>,
    pub project_ids: Vec<String>,
    /// A session's end, or a key's expiry (`null`: never).
    #[cfg_attr(feature = "openapi", schema(format = DateTime))]
    pub expires_at: Option<String>,
}

/// `GET /v1/me`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Me {
    pub user: User,
    pub organization: Organization,
    pub credential: Credential,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Health {
    /// `ok`; `unavailable` when the database does not answer; on the
    /// readiness route also `draining` while the instance shuts down.
    pub status: String,
    pub version: String,
    /// `ok` or `unavailable`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub database: Option<String>,
    /// With `--redis`: `ok`, or `unavailable` (budgets are then counted
    /// per instance until it answers again).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub redis: Option<String>,
}

/// `POST /v1/auth/login-request`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct LoginRequest {
    /// Trimmed and lower-cased by the server: one `@` with something on
    /// each side, no spaces or control characters, at most 254 characters.
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::schemas::email))]
    pub email: String,
}

/// 202 answer to `login-request`: the same whether or not the address is known.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LoginRequested {
    pub email: String,
    pub expires_in: u64,
}

/// `POST /v1/auth/login-complete`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct LoginComplete {
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::schemas::email))]
    pub email: String,
    /// The 6-digit code sent to the address.
    #[cfg_attr(feature = "openapi", schema(examples("123456")))]
    pub code: Secret,
    /// The new key's name (default `scripto-cli`): 1–100 characters, not
    /// blank, no control characters.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::schemas::key_name))]
    pub key_name: Option<String>,
    /// 1–1826; absent or null: the key does not expire.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 1826, examples(90)))]
    pub expires_in_days: Option<u32>,
}

/// 201 answer to `login-complete` (or, for a user with MFA, to its
/// `login/mfa` step).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LoginCompleted {
    pub api_key: Secret,
    pub key: ApiKey,
    pub user: User,
    /// Wrong second factors given for this account since its last
    /// successful login (0 from servers that do not count them).
    #[serde(default)]
    pub failed_mfa_attempts_since_last_login: u32,
}

/// `POST /v1/auth/device`: starts a device login (RFC 8628). Both fields
/// are optional; the body may be `{}`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct DeviceStartRequest {
    /// The name of the key the login mints (default `scripto-cli`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::schemas::key_name))]
    pub key_name: Option<String>,
    /// What the approval page calls the client (a host name, a tool).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::schemas::key_name))]
    pub client_name: Option<String>,
}

/// 200 answer to `POST /v1/auth/device`: poll `POST /v1/auth/device/token`
/// with `device_code` every `interval` seconds while a person approves
/// `user_code` at `verification_uri`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DeviceAuthorization {
    /// Kept by the client, never shown: it polls with it.
    pub device_code: Secret,
    /// What the person types: 8 letters of `BCDFGHJKLMNPQRSTVWXZ`, shown
    /// as `WDJB-MJHT`; any case, with or without the dash.
    #[cfg_attr(
        feature = "openapi",
        schema(
            pattern = "^[BCDFGHJKLMNPQRSTVWXZ]{4}-[BCDFGHJKLMNPQRSTVWXZ]{4}$",
            examples("WDJB-MJHT")
        )
    )]
    pub user_code: String,
    /// The approval page: `<public URL>/device`.
    #[cfg_attr(feature = "openapi", schema(examples("http://127.0.0.1:8787/device")))]
    pub verification_uri: String,
    /// The approval page with the code filled in.
    #[cfg_attr(
        feature = "openapi",
        schema(examples("http://127.0.0.1:8787/device?code=WDJB-MJHT"))
    )]
    pub verification_uri_complete: String,
    /// Seconds the login waits for approval (600).
    pub expires_in: u64,
    /// Seconds between two polls (5).
    pub interval: u64,
}

/// `POST /v1/auth/device/token`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct DeviceTokenRequest {
    pub device_code: Secret,
}

/// `POST /v1/auth/device/approve` and `/deny`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct DeviceDecision {
    /// As shown by the client; any case, with or without the dash.
    #[cfg_attr(feature = "openapi", schema(examples("WDJB-MJHT")))]
    pub user_code: String,
}

/// 200 answer to `POST /v1/auth/device/lookup`: what approving would do.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DevicePending {
    #[cfg_attr(feature = "openapi", schema(examples("WDJB-MJHT")))]
    pub user_code: String,
    /// What the client called itself, if it did.
    pub client_name: Option<String>,
    /// The address the login was started from.
    pub client_ip: String,
    /// The name of the key approving mints.
    pub key_name: String,
    /// RFC 3339: when the login stops waiting.
    pub expires_at: String,
}

/// 200 answer to `POST /v1/auth/device/approve` and `/deny`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DeviceDecided {
    #[cfg_attr(feature = "openapi", schema(examples("WDJB-MJHT")))]
    pub user_code: String,
    /// `approved` or `denied`.
    #[cfg_attr(feature = "openapi", schema(examples("approved")))]
    pub status: String,
}

/// `POST /v1/auth/login`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct PasswordLogin {
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::schemas::email))]
    pub email: String,
    pub password: Secret,
}

/// The answer to a login step: a second factor is needed (200), a password
/// login's session (200), or a code login's key (201).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(untagged)]
pub enum LoginOutcome {
    MfaRequired(MfaChallenge),
    Session(Session),
    KeyMinted(Box<LoginCompleted>),
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Session {
    pub access_token: Secret,
    pub token_type: String,
    pub expires_in: u64,
    pub user: User,
    /// Wrong second factors given for this account since its last
    /// successful login (0 from servers that do not count them).
    #[serde(default)]
    pub failed_mfa_attempts_since_last_login: u32,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MfaChallenge {
    pub mfa_required: bool,
    pub mfa_token: Secret,
    pub methods: Vec<String>,
    pub expires_in: u64,
}

/// `POST /v1/auth/login/mfa`: exactly one of the two codes.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct MfaVerify {
    pub mfa_token: Secret,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(nullable = false))]
    pub totp_code: Option<Secret>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(nullable = false))]
    pub backup_code: Option<Secret>,
}

/// `POST /v1/keys`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CreateKey {
    /// 1–100 characters, not blank, no control characters.
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::schemas::key_name))]
    pub name: String,
    /// Default `batch`.
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(nullable = false))]
    pub key_type: Option<KeyType>,
    /// A non-empty subset of the caller's own scopes (the default).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(nullable = false, min_items = 1))]
    pub scopes: Option<Vec<Scope>>,
    /// Projects of the caller's organization, within the caller's own
    /// (the default); `[]` is every project.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(nullable = false, max_items = 100))]
    pub project_ids: Option<Vec<String>>,
    /// 1–1826; absent or null: the key does not expire.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 1826, examples(90)))]
    pub expires_in_days: Option<u32>,
    /// Up to 50 IPv4/IPv6 networks (`203.0.113.0/24`, or one address); a
    /// request from elsewhere is `ip_forbidden`. Absent: the creating
    /// key's list; `[]`: anywhere, unless the creating key is restricted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(nullable = false, max_items = 50))]
    pub allowed_ips: Option<Vec<String>>,
    /// 60 s to 1826 days, for short-lived keys; not together with
    /// `expires_in_days`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(
        feature = "openapi",
        schema(nullable = false, minimum = 60, maximum = 157_766_400)
    )]
    pub expires_in_seconds: Option<u64>,
}

/// The range of `expires_in_seconds`: a minute to 1826 days.
pub const MIN_EXPIRES_IN_SECONDS: u64 = 60;
pub const MAX_EXPIRES_IN_SECONDS: u64 = 1826 * 86_400;
/// The longest overlap a rotation may leave the old key: 30 days.
pub const MAX_GRACE_SECONDS: u64 = 30 * 86_400;

/// `POST /v1/keys/{id}/rotate`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct RotateKey {
    /// 0 (the default) revokes the old key at once; at most 30 days.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(minimum = 0, maximum = 2_592_000))]
    pub grace_seconds: u64,
}

/// 201 answer to `POST /v1/keys/{id}/rotate`: the new key (its secret shown
/// this once) and the old key as the rotation left it.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct KeyRotated {
    pub api_key: Secret,
    pub key: ApiKey,
    pub old_key: ApiKey,
}

/// 201 answer to `POST /v1/keys`: the only time the secret is sent.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct KeyCreated {
    pub api_key: Secret,
    pub key: ApiKey,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Project {
    #[cfg_attr(feature = "openapi", schema(pattern = "^proj_[0-9A-Za-z]{16,64}$"))]
    pub id: String,
    pub name: String,
    #[cfg_attr(feature = "openapi", schema(pattern = "^org_[0-9A-Za-z]{16,64}$"))]
    pub org_id: String,
    #[cfg_attr(feature = "openapi", schema(format = DateTime))]
    pub created_at: String,
}

/// `POST /v1/keys/revoke-leaked`: keys found where they should not be.
/// Sent without a credential.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct RevokeLeaked {
    /// 1–100 strings; anything that is not a live key is ignored.
    #[cfg_attr(feature = "openapi", schema(value_type = Vec<String>, min_items = 1, max_items = 100))]
    pub keys: Vec<Secret>,
    /// Where they were found (a URL or a note), up to 500 characters.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(
        feature = "openapi",
        schema(
            nullable = false,
            max_length = 500,
            pattern = "^[^\\u0000-\\u001f\\u007f-\\u009f]*$"
        )
    )]
    pub source: Option<String>,
}

/// 202 answer to `POST /v1/keys/revoke-leaked`: the same whatever the keys
/// were, so it tells nothing about them.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LeakReceived {
    /// How many strings the request listed.
    pub received: usize,
}

/// One entry of the audit log (`GET /v1/audit-events`). Never holds a
/// secret.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AuditEvent {
    pub id: String,
    #[cfg_attr(feature = "openapi", schema(format = DateTime))]
    pub time: String,
    /// `key.created`, `login.failed`, … (docs/api.md lists them).
    #[serde(rename = "type")]
    #[cfg_attr(feature = "openapi", schema(example = "key.created"))]
    pub event_type: String,
    pub actor: AuditActor,
    pub ip: Option<String>,
    pub target: Option<AuditTarget>,
    /// `success`, `failure` or `refused`.
    pub outcome: String,
    /// Facts of the event: a method, a count, a role, a key's settings.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub details: serde_json::Value,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AuditActor {
    pub user_id: Option<String>,
    /// `key_…`, `ses_…`, or `admin-command`.
    pub credential: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AuditTarget {
    /// `key`, `user` or `project`.
    #[serde(rename = "type")]
    pub target_type: String,
    pub id: String,
}

/// One line of the server's outbox file.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OutboxMessage {
    pub to: String,
    pub code: Secret,
    pub purpose: String,
    pub sent_at: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn serde_name<T: Serialize>(value: T) -> String {
        serde_json::to_value(value)
            .unwrap()
            .as_str()
            .unwrap()
            .to_owned()
    }

    #[test]
    fn the_names_as_text_are_the_names_on_the_wire() {
        for &v in KeyType::ALL {
            assert_eq!(v.as_str(), serde_name(v));
            assert_eq!(KeyType::from_name(v.as_str()), Some(v));
        }
        for &v in Scope::ALL {
            assert_eq!(v.as_str(), serde_name(v));
            assert_eq!(Scope::from_name(v.as_str()), Some(v));
        }
        for &v in KeyStatus::ALL {
            assert_eq!(v.as_str(), serde_name(v));
            assert_eq!(KeyStatus::from_name(v.as_str()), Some(v));
        }
        for &v in Role::ALL {
            assert_eq!(v.as_str(), serde_name(v));
            assert_eq!(Role::from_name(v.as_str()), Some(v));
        }
        assert_eq!(Role::from_name("root"), None);
    }
}
