//! How the CLI writes the things it shows in many places: a masked key,
//! a list of scopes, where a key is stored. Shared by `auth`, `keys`,
//! `profiles` and `config` so each is said one way.

use scripto_wire::types::Scope;

use crate::store::StorageKind;

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
