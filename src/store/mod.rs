//! Where profiles and their keys are kept: `config.json` (its layout in
//! [`config_layout`], the one module that reads and writes the file is
//! [`config_file`]) and the OS keyring ([`keyring`]). Commands reach both
//! through [`profiles::ProfileStore`], which keeps them in step; private
//! files and locks are [`fs`]'s.

pub mod config_file;
pub mod config_layout;
pub mod fs;
pub mod keyring;
pub mod lazy_config;
pub mod profiles;

use serde::{Deserialize, Serialize};

/// Where a stored profile's key actually is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StorageKind {
    /// The OS keyring, service `scripto`, one entry per profile and server.
    Keyring,
    /// `api_key` in config.json (0600).
    File,
}

impl StorageKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Keyring => "keyring",
            Self::File => "file",
        }
    }
}

/// Where a new key should go: the `storage` default in config.json and the
/// `--storage` flag. `Auto` means the keyring when one answers, else the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default, clap::ValueEnum)]
#[serde(rename_all = "snake_case")]
pub enum StoragePreference {
    /// The OS keyring when it answers within 3 seconds, else the config file
    #[default]
    Auto,
    /// The OS keyring, or fail
    Keyring,
    /// config.json (0600)
    File,
}

impl StoragePreference {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Auto => "auto",
            Self::Keyring => "keyring",
            Self::File => "file",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        match value {
            "auto" => Some(Self::Auto),
            "keyring" => Some(Self::Keyring),
            "file" => Some(Self::File),
            _ => None,
        }
    }
}

/// A key kept again where it was kept before (`keys rotate`).
impl From<StorageKind> for StoragePreference {
    fn from(kind: StorageKind) -> Self {
        match kind {
            StorageKind::Keyring => Self::Keyring,
            StorageKind::File => Self::File,
        }
    }
}
