//! The rows the store hands out and takes: plain data, the same for both
//! backends, and how their enums and lists are kept as text.

use scripto_wire::types::{KeyType, Role, Scope};
use serde_json::Value;

use crate::ip_rules::Cidr;

// ---- enums as text ----------------------------------------------------------

/// An unknown role in the database reads as the least privileged one.
pub(super) fn parse_role(s: &str) -> Role {
    Role::from_name(s).unwrap_or(Role::Member)
}

pub(super) fn scopes_str(scopes: &[Scope]) -> String {
    scopes
        .iter()
        .map(|s| s.as_str())
        .collect::<Vec<_>>()
        .join(" ")
}

pub(super) fn parse_scopes(s: &str) -> Vec<Scope> {
    s.split_whitespace().filter_map(Scope::from_name).collect()
}

// ---- rows -------------------------------------------------------------------

#[derive(Debug, Clone)]
pub struct OrgRow {
    pub id: String,
    pub name: String,
    pub plan: String,
}

#[derive(Debug, Clone)]
pub struct UserRow {
    pub id: String,
    pub org_id: String,
    pub email: String,
    pub name: Option<String>,
    pub role: Role,
    pub password_hash: Option<String>,
    pub totp_secret_enc: Option<Vec<u8>>,
}

#[derive(Debug, Clone)]
pub struct KeyRow {
    pub seq: i64,
    pub id: String,
    pub name: String,
    pub start: String,
    pub key_type: KeyType,
    pub scopes: Vec<Scope>,
    pub project_ids: Vec<String>,
    pub owner_id: String,
    pub org_id: String,
    pub created_at: i64,
    pub expires_at: Option<i64>,
    pub last_used_at: Option<i64>,
    pub revoked_at: Option<i64>,
    /// Empty: every address.
    pub allowed_ips: Vec<Cidr>,
    /// The key this one was rotated from, and the one that replaced it.
    pub replaces: Option<String>,
    pub replaced_by: Option<String>,
}

#[derive(Debug, Clone)]
pub struct ProjectRow {
    pub seq: i64,
    pub id: String,
    pub org_id: String,
    pub name: String,
    pub created_at: i64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatusFilter {
    Active,
    Expired,
    Revoked,
    All,
}

pub struct KeyQuery<'a> {
    pub org_id: &'a str,
    /// `None`: every owner of the organization.
    pub owner_id: Option<&'a str>,
    pub status: StatusFilter,
    /// Only keys older than this `seq` (the cursor).
    pub before_seq: Option<i64>,
    pub limit: usize,
    pub now: i64,
}

/// One live code: for an address, sent at the request of one client.
pub struct CodeRow {
    pub client: String,
    pub code_hash: Vec<u8>,
    pub expires_at: i64,
    pub failures: u32,
}

/// What passing an MFA challenge finishes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChallengeFor {
    /// A password login (or a console code login): a session.
    Session,
    /// A single sign-on to the web console: a web session.
    SsoSession,
    /// An e-mail code login: the key it asked for.
    Key {
        name: String,
        expires_in_days: Option<u32>,
    },
}

pub struct ChallengeRow {
    pub user_id: String,
    pub expires_at: i64,
    pub failures: u32,
    pub purpose: ChallengeFor,
}

pub struct SessionRow {
    pub id: String,
    pub user_id: String,
    pub expires_at: i64,
}

/// A web console session: ends `expires_at` (absolute), or when unused
/// for the idle lifetime since `last_seen_at`.
pub struct WebSessionRow {
    pub id: String,
    pub user_id: String,
    pub created_at: i64,
    pub last_seen_at: i64,
    pub expires_at: i64,
}

/// Project ids are kept as one text, separated by spaces.
pub(super) fn ids_str(ids: &[String]) -> String {
    ids.join(" ")
}

pub(super) fn parse_ids(s: &str) -> Vec<String> {
    s.split_whitespace().map(str::to_owned).collect()
}

/// A stored audit event.
#[derive(Debug, Clone)]
pub struct EventRow {
    pub id: String,
    pub created_at: i64,
    pub kind: String,
    pub actor_user_id: Option<String>,
    pub actor_credential: Option<String>,
    pub ip: Option<String>,
    pub target_type: Option<String>,
    pub target_id: Option<String>,
    pub outcome: String,
    pub details: Value,
}

/// Who may see which audit events, and the filters of
/// `GET /v1/audit-events`. Every filter is a query parameter, never SQL
/// text.
pub struct EventQuery<'a> {
    pub org_id: &'a str,
    /// `None`: the whole organization (admins); else only events this user
    /// did or that are about them.
    pub visible_to: Option<&'a str>,
    /// A key id: events about the key or done with it.
    pub key_id: Option<&'a str>,
    /// A user or credential id.
    pub actor: Option<&'a str>,
    pub kind: Option<&'a str>,
    pub since: Option<i64>,
    pub until: Option<i64>,
    /// Only events older than this `seq` (the cursor).
    pub before_seq: i64,
    pub limit: usize,
}

impl ChallengeFor {
    /// As stored: the kind, and for a key its name and lifetime.
    pub(super) fn to_columns(&self) -> (&'static str, Option<&str>, Option<u32>) {
        match self {
            ChallengeFor::Session => ("session", None, None),
            ChallengeFor::SsoSession => ("sso_session", None, None),
            ChallengeFor::Key {
                name,
                expires_in_days,
            } => ("key", Some(name.as_str()), *expires_in_days),
        }
    }

    pub(super) fn from_columns(kind: &str, name: Option<String>, days: Option<u32>) -> Self {
        match kind {
            "sso_session" => ChallengeFor::SsoSession,
            "key" => ChallengeFor::Key {
                name: name.unwrap_or_default(),
                expires_in_days: days,
            },
            _ => ChallengeFor::Session,
        }
    }
}

/// Where a device login stands (RFC 8628): waiting for a person, or
/// decided by one. A minted key deletes the row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeviceStatus {
    Pending,
    Approved,
    Denied,
}

impl DeviceStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            DeviceStatus::Pending => "pending",
            DeviceStatus::Approved => "approved",
            DeviceStatus::Denied => "denied",
        }
    }

    /// An unknown status reads as denied: never a key by mistake.
    pub fn parse(s: &str) -> DeviceStatus {
        match s {
            "pending" => DeviceStatus::Pending,
            "approved" => DeviceStatus::Approved,
            _ => DeviceStatus::Denied,
        }
    }
}

/// A device login: digests of its two codes, what the client asked for,
/// and where it stands.
#[derive(Debug, Clone)]
pub struct DeviceRow {
    pub device_hash: Vec<u8>,
    pub user_hash: Vec<u8>,
    /// The digest of the user code's first half (see `service::device`).
    pub group_hash: Vec<u8>,
    pub key_name: String,
    pub client_name: Option<String>,
    pub client_ip: String,
    pub created_at: i64,
    pub expires_at: i64,
    /// The polling interval the client is held to: grows by 5 s with each
    /// `slow_down`.
    pub interval_secs: i64,
    pub last_polled_ms: Option<i64>,
    pub status: DeviceStatus,
    pub approver_id: Option<String>,
    pub approver_ip: Option<String>,
    /// Wrong entries that got the first half of the user code right.
    pub failures: u32,
}
