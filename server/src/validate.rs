//! What a request body must hold beyond its JSON types, checked before any
//! handler runs, with every invalid field reported at once in
//! `details.fields` (a client fixing one field at a time would need as many
//! round trips as mistakes).
//!
//! Each body type says which fields are required, which may be `null`
//! (only those docs/api.md names: serde would read `null` as "absent" for
//! every optional field), and what its values must be.

use scripto_wire::types::{
    CreateKey, DeviceDecision, DeviceStartRequest, DeviceTokenRequest, LoginComplete, LoginRequest,
    MfaVerify, PasswordLogin, RevokeLeaked, RotateKey,
};
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

use crate::ip_rules;
use crate::service::leaked::{MAX_KEYS_PER_REPORT, MAX_SOURCE_CHARS};
use crate::util::{is_id, normalize_email};

pub const MAX_NAME_CHARS: usize = 100;
pub const MAX_PROJECTS_PER_KEY: usize = 100;

/// Invalid fields and why, in the order they were found.
#[derive(Debug, Default)]
pub struct Fields(Vec<(String, String)>);

impl Fields {
    pub fn add(&mut self, field: impl Into<String>, reason: impl Into<String>) {
        let field = field.into();
        if !self.0.iter().any(|(f, _)| *f == field) {
            self.0.push((field, reason.into()));
        }
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn has(&self, field: &str) -> bool {
        self.0.iter().any(|(f, _)| f == field)
    }

    pub fn into_vec(self) -> Vec<(String, String)> {
        self.0
    }
}

/// A JSON request body.
pub trait Body: DeserializeOwned {
    /// Fields that must be present and not `null` (strings, all of them).
    const REQUIRED: &'static [&'static str];
    /// Optional fields that may also be `null` (meaning absent).
    const NULLABLE: &'static [&'static str] = &[];
    /// Checks on values that their types cannot express.
    fn check(&self, _fields: &mut Fields) {}
}

/// Checks the shape of `object` before it is typed: required fields
/// present, `null` only where allowed, numbers in range. Offending fields
/// are removed (a missing required one gets a stand-in), so typing can go
/// on and find the rest.
pub fn precheck<T: Body>(object: &mut Map<String, Value>, fields: &mut Fields) {
    for &name in T::REQUIRED {
        if object.get(name).is_none_or(Value::is_null) {
            fields.add(name, "is required");
            // A stand-in, so typing and the other checks can go on; only
            // the first reason given for a field is kept.
            object.insert(name.to_owned(), Value::String(String::new()));
        }
    }
    let nulls: Vec<String> = object
        .iter()
        .filter(|(k, v)| v.is_null() && !T::NULLABLE.contains(&k.as_str()))
        .map(|(k, _)| k.clone())
        .collect();
    for name in nulls {
        if !fields.has(&name) {
            fields.add(&name, "must not be null; leave it out instead");
        }
        object.remove(&name);
    }
    for &(name, lo, hi) in RANGED {
        if let Some(slot @ Value::Number(_)) = object.get_mut(name) {
            match whole_number(slot).filter(|n| (lo..=hi).contains(n)) {
                // As an integer, so that `30.0` types as the `30` it is.
                Some(n) => *slot = Value::from(n),
                None => {
                    fields.add(
                        name,
                        format!("must be a whole number from {lo} to {hi}, or null"),
                    );
                    object.remove(name);
                }
            }
        }
    }
}

/// A non-negative whole number, written `30` or `30.0`: JSON does not tell
/// them apart (nor does JSON Schema's `integer`, which the published
/// document uses), so neither does the server.
fn whole_number(v: &Value) -> Option<u64> {
    let n = v.as_number()?;
    n.as_u64().or_else(|| {
        n.as_f64()
            .filter(|f| f.fract() == 0.0 && (0.0..=u32::MAX as f64).contains(f))
            .map(|f| f as u64)
    })
}

/// Fields whose numeric range is checked before typing, so `-1` or `1e9`
/// is a 422 naming the field rather than a type error.
const RANGED: &[(&str, u64, u64)] = &[
    ("expires_in_days", 1, 1826),
    (
        "expires_in_seconds",
        scripto_wire::types::MIN_EXPIRES_IN_SECONDS,
        scripto_wire::types::MAX_EXPIRES_IN_SECONDS,
    ),
    ("grace_seconds", 0, scripto_wire::types::MAX_GRACE_SECONDS),
];

/// 1–100 characters, not blank, no control characters.
pub fn check_name(name: &str, field: &str, fields: &mut Fields) {
    let chars = name.chars().count();
    if name.trim().is_empty() {
        fields.add(field, "must not be empty");
    } else if chars > MAX_NAME_CHARS {
        fields.add(
            field,
            format!("must be at most {MAX_NAME_CHARS} characters (it has {chars})"),
        );
    } else if name.chars().any(char::is_control) {
        fields.add(field, "must not contain control characters");
    }
}

fn check_email(email: &str, fields: &mut Fields) {
    if normalize_email(email).is_none() {
        fields.add("email", "is not an e-mail address");
    }
}

impl Body for LoginRequest {
    const REQUIRED: &'static [&'static str] = &["email"];
    fn check(&self, fields: &mut Fields) {
        check_email(&self.email, fields);
    }
}

impl Body for LoginComplete {
    const REQUIRED: &'static [&'static str] = &["email", "code"];
    const NULLABLE: &'static [&'static str] = &["expires_in_days"];
    fn check(&self, fields: &mut Fields) {
        check_email(&self.email, fields);
        if let Some(name) = &self.key_name {
            check_name(name, "key_name", fields);
        }
    }
}

impl Body for DeviceStartRequest {
    const REQUIRED: &'static [&'static str] = &[];
    fn check(&self, fields: &mut Fields) {
        if let Some(name) = &self.key_name {
            check_name(name, "key_name", fields);
        }
        if let Some(name) = &self.client_name {
            check_name(name, "client_name", fields);
        }
    }
}

impl Body for DeviceTokenRequest {
    const REQUIRED: &'static [&'static str] = &["device_code"];
}

impl Body for DeviceDecision {
    const REQUIRED: &'static [&'static str] = &["user_code"];
}

impl Body for PasswordLogin {
    const REQUIRED: &'static [&'static str] = &["email", "password"];
    fn check(&self, fields: &mut Fields) {
        check_email(&self.email, fields);
    }
}

impl Body for MfaVerify {
    const REQUIRED: &'static [&'static str] = &["mfa_token"];
    fn check(&self, fields: &mut Fields) {
        if self.totp_code.is_some() == self.backup_code.is_some() {
            fields.add(
                "totp_code",
                "give exactly one of `totp_code` and `backup_code`",
            );
        }
    }
}

impl Body for CreateKey {
    const REQUIRED: &'static [&'static str] = &["name"];
    const NULLABLE: &'static [&'static str] = &["expires_in_days"];
    fn check(&self, fields: &mut Fields) {
        check_name(&self.name, "name", fields);
        if self.scopes.as_ref().is_some_and(Vec::is_empty) {
            fields.add("scopes", "must name at least one scope");
        }
        if let Some(ids) = &self.project_ids {
            if ids.len() > MAX_PROJECTS_PER_KEY {
                fields.add(
                    "project_ids",
                    format!("must have at most {MAX_PROJECTS_PER_KEY} entries"),
                );
            } else if let Some(bad) = ids.iter().find(|id| !is_id(id, "proj_")) {
                fields.add(
                    "project_ids",
                    format!(
                        "`{}` is not a project id",
                        bad.chars().take(80).collect::<String>()
                    ),
                );
            }
        }
        if let Some(list) = &self.allowed_ips
            && let Err(reason) = ip_rules::parse_allow_list(list)
        {
            fields.add("allowed_ips", reason);
        }
        if self.expires_in_days.is_some() && self.expires_in_seconds.is_some() {
            fields.add(
                "expires_in_seconds",
                "give either expires_in_days or expires_in_seconds, not both",
            );
        }
    }
}

impl Body for RotateKey {
    const REQUIRED: &'static [&'static str] = &[];
}

impl Body for RevokeLeaked {
    const REQUIRED: &'static [&'static str] = &["keys"];
    fn check(&self, fields: &mut Fields) {
        let n = self.keys.len();
        if n == 0 {
            fields.add("keys", "must list at least one key");
        } else if n > MAX_KEYS_PER_REPORT {
            fields.add(
                "keys",
                format!(
                    "must list at most {MAX_KEYS_PER_REPORT} keys (it has {n}); send the rest in another request"
                ),
            );
        }
        if let Some(source) = &self.source {
            let chars = source.chars().count();
            if chars > MAX_SOURCE_CHARS {
                fields.add(
                    "source",
                    format!("must be at most {MAX_SOURCE_CHARS} characters (it has {chars})"),
                );
            } else if source.chars().any(char::is_control) {
                fields.add("source", "must not contain control characters");
            }
        }
    }
}
