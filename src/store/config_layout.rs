//! What config.json holds (its versioned layout: profiles, defaults, the
//! active profile) and how its text becomes a [`ConfigFile`]: a file that
//! does not parse is an error naming the file, the line and the column.
//! Reading and writing the file itself is [`super::config_file`]'s job.

use std::collections::BTreeMap;
use std::path::Path;
use std::time::SystemTime;

use scripto_wire::Secret;
use scripto_wire::codes;
use scripto_wire::types::Scope;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::{StorageKind, StoragePreference};
use crate::error::{Error, Result};

/// The layout this build reads and writes. A file with another version is
/// refused rather than guessed at: an older scripto must not drop the fields
/// of a newer one.
pub const VERSION: u32 = 1;

/// The whole file, as cli.md lays it out.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ConfigFile {
    pub version: u32,
    #[serde(default)]
    pub active_profile: Option<String>,
    #[serde(default)]
    pub defaults: Defaults,
    #[serde(default)]
    pub profiles: BTreeMap<String, Profile>,
    /// Fields this build does not know (a newer scripto, or a person, wrote
    /// them): kept as they are and written back.
    #[serde(flatten)]
    pub unknown: BTreeMap<String, Value>,
}

impl Default for ConfigFile {
    fn default() -> Self {
        Self {
            version: VERSION,
            active_profile: None,
            defaults: Defaults::default(),
            profiles: BTreeMap::new(),
            unknown: BTreeMap::new(),
        }
    }
}

/// What `scripto config set NAME VALUE` sets: used when neither a flag, the
/// environment nor the selected profile says otherwise.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Defaults {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub api_url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub output: Option<OutputFormat>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub storage: Option<StoragePreference>,
    /// Kept and written back, as in [`ConfigFile::unknown`].
    #[serde(flatten)]
    pub unknown: BTreeMap<String, Value>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OutputFormat {
    Human,
    Json,
}

impl OutputFormat {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Human => "human",
            Self::Json => "json",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        match value {
            "human" | "text" => Some(Self::Human),
            "json" => Some(Self::Json),
            _ => None,
        }
    }
}

/// A stored key and what is known about it. Values the CLI could not learn
/// (an imported key stored without asking the server) are `None`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Profile {
    pub api_url: String,
    #[serde(default)]
    pub email: Option<String>,
    #[serde(default)]
    pub user_id: Option<String>,
    #[serde(default)]
    pub key_id: Option<String>,
    #[serde(default)]
    pub key_name: Option<String>,
    /// The public first 12 characters, shown in place of the key.
    pub key_start: String,
    #[serde(default)]
    pub scopes: Vec<Scope>,
    #[serde(default)]
    pub expires_at: Option<String>,
    pub storage: StorageKind,
    /// The CLI minted this key itself (`auth login`), so `auth logout` may
    /// revoke it; an imported key may be in use elsewhere.
    #[serde(default)]
    pub minted_by_cli: bool,
    pub created_at: String,
    /// Only when `storage` is `file`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub api_key: Option<Secret>,
    /// The server confirmed the key (`GET /v1/me`); false when it was stored
    /// with `--no-verify` or while the server was unreachable.
    #[serde(default)]
    pub verified: bool,
    /// Kept and written back, as in [`ConfigFile::unknown`].
    #[serde(flatten)]
    pub unknown: BTreeMap<String, Value>,
}

impl Profile {
    /// A profile for `key` on `api_url` with nothing else known yet: not
    /// verified, not minted by the CLI, created now. `storage` and `api_key`
    /// are filled in by `Context::save_profile`.
    pub fn new(api_url: impl Into<String>, key: &Secret) -> Self {
        Self {
            api_url: api_url.into(),
            email: None,
            user_id: None,
            key_id: None,
            key_name: None,
            key_start: scripto_wire::key_start(key.expose()).to_owned(),
            scopes: Vec::new(),
            expires_at: None,
            storage: StorageKind::File,
            minted_by_cli: false,
            created_at: now_rfc3339(),
            api_key: None,
            verified: false,
            unknown: BTreeMap::new(),
        }
    }
}

/// The current time as RFC 3339 in UTC, to the second.
pub fn now_rfc3339() -> String {
    humantime::format_rfc3339_seconds(SystemTime::now()).to_string()
}

/// Parses the file, refusing an unknown version before anything else so a
/// newer layout is reported as such rather than as a field error.
pub fn parse(bytes: &[u8], path: &Path) -> Result<ConfigFile> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(corrupt(
            path,
            format!("{} is empty (line 1, column 1)", path.display()),
        ));
    }
    #[derive(Deserialize)]
    struct VersionOnly {
        version: Option<serde_json::Value>,
    }
    let probe: VersionOnly =
        serde_json::from_slice(bytes).map_err(|err| syntax_error(path, &err))?;
    match probe.version {
        Some(serde_json::Value::Number(n)) if n.as_u64() == Some(u64::from(VERSION)) => {}
        Some(other) => {
            return Err(Error::config(format!(
                "{} has layout version {other}, which scripto {} does not know",
                path.display(),
                env!("CARGO_PKG_VERSION")
            ))
            .with_code(codes::cli::CONFIG_VERSION)
            .with_next_action(
                "upgrade scripto, or point it at another directory with --config-dir",
            ));
        }
        None => {
            return Err(corrupt(
                path,
                format!("{} has no \"version\" field", path.display()),
            ));
        }
    }
    serde_json::from_slice(bytes).map_err(|err| syntax_error(path, &err))
}

fn syntax_error(path: &Path, err: &serde_json::Error) -> Error {
    let what = match err.classify() {
        serde_json::error::Category::Eof => "ends early, as if truncated".to_owned(),
        serde_json::error::Category::Data => {
            // serde_json appends " at line L column C"; the position is
            // given in our own words below.
            let text = err.to_string();
            let cut = text.rfind(" at line ").unwrap_or(text.len());
            format!("has an invalid value: {}", &text[..cut])
        }
        _ => "is not valid JSON".to_owned(),
    };
    corrupt(
        path,
        format!(
            "{} {what} (line {}, column {})",
            path.display(),
            err.line(),
            err.column()
        ),
    )
}

pub fn corrupt(path: &Path, message: String) -> Error {
    Error::config(message)
        .with_code(codes::cli::CONFIG_CORRUPT)
        .with_next_action(format!(
            "fix it by hand, or move it away and log in again: mv {0} {0}.broken",
            path.display()
        ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_truncated_file_is_reported_with_its_position() {
        let err = parse(
            b"{\"version\":1,\"profiles\":{",
            Path::new("/c/config.json"),
        )
        .unwrap_err();
        assert_eq!(err.exit_code(), 8);
        assert!(err.message.contains("/c/config.json"), "{}", err.message);
        assert!(err.message.contains("truncated"), "{}", err.message);
        assert!(err.message.contains("line 1, column 25"), "{}", err.message);
    }

    #[test]
    fn an_unknown_version_is_refused() {
        let err = parse(b"{\"version\":2}", Path::new("config.json")).unwrap_err();
        assert_eq!(err.code, "config_version");
    }

    #[test]
    fn every_prefix_and_mangling_of_a_file_is_an_error_or_a_config_never_a_panic() {
        let mut config = ConfigFile::default();
        let key = Secret::new(scripto_wire::key::format_key(
            "Ab3dEfGhIjKlMnOpQrStUvWxYz012345",
        ));
        let mut profile = Profile::new("https://api.example.com", &key);
        profile.api_key = Some(key);
        config.profiles.insert("work".into(), profile);
        config.active_profile = Some("work".into());
        let text = serde_json::to_vec_pretty(&config).unwrap();
        let path = Path::new("config.json");
        assert_eq!(parse(&text, path).unwrap(), config);
        for end in 0..text.len() {
            let err = parse(&text[..end], path).unwrap_err();
            assert_eq!(err.exit_code(), 8);
        }
        for _ in 0..2000 {
            let mut mangled = text.clone();
            let at = fastrand::usize(..mangled.len());
            mangled[at] = fastrand::u8(..);
            if let Err(err) = parse(&mangled, path) {
                assert_eq!(err.exit_code(), 8);
                assert_eq!(err.message.lines().count(), 1, "{}", err.message);
            }
        }
    }

    #[test]
    fn the_default_round_trips() {
        let text = serde_json::to_vec(&ConfigFile::default()).unwrap();
        assert_eq!(parse(&text, Path::new("c")).unwrap(), ConfigFile::default());
    }
}
