//! Request and response bodies of `/v1`. Request bodies refuse unknown
//! fields, so a misspelt option is an error rather than silently ignored.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::Secret;

/// `{"data": …, "meta": …, "pagination"?: …}`: every success.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Envelope<T> {
    pub data: T,
    pub meta: Meta,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pagination: Option<Pagination>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Meta {
    pub request_id: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Pagination {
    pub has_more: bool,
    pub next_cursor: Option<String>,
}

/// `{"error": …, "meta": …}`: every failure.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ErrorEnvelope {
    pub error: ApiError,
    pub meta: Meta,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ApiError {
    pub code: String,
    pub message: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub details: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_action: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum KeyType {
    #[default]
    Batch,
    Realtime,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Scope {
    Read,
    Write,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum KeyStatus {
    Active,
    Expired,
    Revoked,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
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
wire_names!(KeyStatus { Active => "active", Expired => "expired", Revoked => "revoked" });
wire_names!(Role { Member => "member", Developer => "developer", Admin => "admin" });

/// An API key as the server shows it: never the secret.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ApiKey {
    pub id: String,
    pub name: String,
    pub start: String,
    #[serde(rename = "type")]
    pub key_type: KeyType,
    pub scopes: Vec<Scope>,
    pub project_ids: Vec<String>,
    pub created_at: String,
    pub expires_at: Option<String>,
    pub last_used_at: Option<String>,
    pub revoked_at: Option<String>,
    pub status: KeyStatus,
    pub owner_id: String,
    /// The key this one was rotated from. Absent from servers that predate
    /// rotation, so both directions still parse.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub replaces: Option<String>,
    /// The key that replaced this one by rotation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub replaced_by: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct User {
    pub id: String,
    pub email: String,
    pub name: Option<String>,
    pub role: Role,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Organization {
    pub id: String,
    pub name: String,
    pub plan: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CredentialType {
    ApiKey,
    Session,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Credential {
    #[serde(rename = "type")]
    pub credential_type: CredentialType,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key_id: Option<String>,
    pub scopes: Vec<Scope>,
    pub project_ids: Vec<String>,
    pub expires_at: Option<String>,
}

/// `GET /v1/me`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Me {
    pub user: User,
    pub organization: Organization,
    pub credential: Credential,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Health {
    pub status: String,
    pub version: String,
}

/// `POST /v1/auth/login-request`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LoginRequest {
    pub email: String,
}

/// 202 answer to `login-request`: the same whether or not the address is known.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct LoginRequested {
    pub email: String,
    pub expires_in: u64,
}

/// `POST /v1/auth/login-complete`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LoginComplete {
    pub email: String,
    pub code: Secret,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key_name: Option<String>,
    /// 1–1826; absent or null: the key does not expire.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expires_in_days: Option<u32>,
}

/// 201 answer to `login-complete`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct LoginCompleted {
    pub api_key: Secret,
    pub key: ApiKey,
    pub user: User,
}

/// `POST /v1/auth/login`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PasswordLogin {
    pub email: String,
    pub password: Secret,
}

/// 200 answer to a password login or to its MFA step.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(untagged)]
pub enum LoginOutcome {
    MfaRequired(MfaChallenge),
    Session(Session),
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Session {
    pub access_token: Secret,
    pub token_type: String,
    pub expires_in: u64,
    pub user: User,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct MfaChallenge {
    pub mfa_required: bool,
    pub mfa_token: Secret,
    pub methods: Vec<String>,
    pub expires_in: u64,
}

/// `POST /v1/auth/login/mfa`: exactly one of the two codes.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MfaVerify {
    pub mfa_token: Secret,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub totp_code: Option<Secret>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub backup_code: Option<Secret>,
}

/// `POST /v1/keys`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CreateKey {
    pub name: String,
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub key_type: Option<KeyType>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scopes: Option<Vec<Scope>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub project_ids: Option<Vec<String>>,
    /// 1–1826; absent or null: the key does not expire.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expires_in_days: Option<u32>,
    /// 60 s to 1826 days, for short-lived keys; not together with
    /// `expires_in_days`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expires_in_seconds: Option<u64>,
}

/// The range of `expires_in_seconds`: a minute to 1826 days.
pub const MIN_EXPIRES_IN_SECONDS: u64 = 60;
pub const MAX_EXPIRES_IN_SECONDS: u64 = 1826 * 86_400;
/// The longest overlap a rotation may leave the old key: 30 days.
pub const MAX_GRACE_SECONDS: u64 = 30 * 86_400;

/// `POST /v1/keys/{id}/rotate`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RotateKey {
    /// 0 (the default) revokes the old key at once; at most 30 days.
    #[serde(default)]
    pub grace_seconds: u64,
}

/// 201 answer to `POST /v1/keys/{id}/rotate`: the new key (its secret shown
/// this once) and the old key as the rotation left it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct KeyRotated {
    pub api_key: Secret,
    pub key: ApiKey,
    pub old_key: ApiKey,
}

/// 201 answer to `POST /v1/keys`: the only time the secret is sent.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct KeyCreated {
    pub api_key: Secret,
    pub key: ApiKey,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Project {
    pub id: String,
    pub name: String,
    pub org_id: String,
    pub created_at: String,
}

/// One line of the server's outbox file.
#[derive(Debug, Clone, Serialize, Deserialize)]
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
