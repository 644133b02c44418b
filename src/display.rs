//! How the CLI writes the things it shows in many places: a masked key,
//! a list of scopes, where a key is stored. Shared by `auth`, `keys`,
//! `profiles` and `config` so each is said one way.

use scripto_wire::types::Scope;
use serde::Serialize;

use crate::api::types::short_date;
use crate::store::StorageKind;
use crate::store::config_layout::Profile;

/// What a key without a project limit reaches, said the same way by `keys
/// get`, `keys create` and `auth status`.
pub const ALL_PROJECTS: &str = "all projects";

pub fn storage_label(storage: StorageKind) -> &'static str {
    match storage {
        StorageKind::Keyring => "the OS keyring",
        StorageKind::File => "the config file",
    }
}

pub fn scope_names(scopes: &[Scope]) -> String {
    if scopes.is_empty() {
        return "-".to_owned();
    }
    scopes
        .iter()
        .map(|s| s.as_str())
        .collect::<Vec<_>>()
        .join(",")
}

/// A key's public start, written as the masked key it stands for.
pub fn masked_start(start: &str) -> String {
    format!("{start}…")
}

/// A stored profile as it is shown: everything but the key itself, which
/// is only ever shown by its public start. `profiles list`, `profiles show`
/// and the summary of a login show it alike (each adds what is its own).
#[derive(Debug, Clone, Serialize)]
pub struct ProfileShown {
    pub api_url: String,
    pub email: Option<String>,
    pub user_id: Option<String>,
    pub key_id: Option<String>,
    pub key_name: Option<String>,
    pub key_start: String,
    pub scopes: Vec<Scope>,
    pub expires_at: Option<String>,
    pub storage: StorageKind,
    pub minted_by_cli: bool,
}

impl ProfileShown {
    pub fn of(profile: &Profile) -> Self {
        Self {
            api_url: profile.api_url.clone(),
            email: profile.email.clone(),
            user_id: profile.user_id.clone(),
            key_id: profile.key_id.clone(),
            key_name: profile.key_name.clone(),
            key_start: profile.key_start.clone(),
            scopes: profile.scopes.clone(),
            expires_at: profile.expires_at.clone(),
            storage: profile.storage,
            minted_by_cli: profile.minted_by_cli,
        }
    }

    /// The key's public start, as shown in place of the key.
    pub fn masked_key(&self) -> String {
        masked_start(&self.key_start)
    }

    /// `2027-05-01` or `never`.
    pub fn expiry(&self) -> String {
        match &self.expires_at {
            Some(at) => short_date(at).to_owned(),
            None => "never".to_owned(),
        }
    }
}
