//! `.scripto.toml`: a file in a directory (or a parent of it) that picks the
//! profile for commands run there, e.g. `profile = "staging"` in a project
//! that talks to staging.
//!
//! A repository someone else wrote can carry this file, so it may only
//! choose among the profiles the user already has. It may not say where a
//! key is sent or which key: a file that sets `api_url`, `api_key` or
//! anything but `profile` is refused, and the command stops rather than run
//! with a setting the user did not choose. A file another user could have
//! written (not owned by the user, or writable by group or others) is
//! ignored with a warning.
//!
//! The format is the one-key subset of TOML, read strictly here rather than
//! with a TOML crate: the release binary stays small, and a strict reader
//! refuses what a general one would accept and this file must not contain
//! (tables, other keys). docs/decisions.md says more.

use scripto_wire::codes;
use std::io::Read;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
use crate::store::profiles::check_profile_name;

pub const FILE_NAME: &str = ".scripto.toml";

/// More than this is not a one-line file.
const MAX_BYTES: u64 = 4096;

/// What the search found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Found {
    /// No file from the directory up to the home directory or the root.
    Nothing,
    /// The nearest file, and the profile it names.
    Profile { path: PathBuf, name: String },
    /// The nearest file could have been written by someone else: not used.
    Ignored { path: PathBuf, reason: String },
}

/// Looks for the file in `dir` and its parents, up to and including `home`
/// when `dir` is inside it, else up to the root. The nearest file decides.
pub fn find(dir: &Path, home: Option<&Path>) -> Result<Found> {
    let mut current = Some(dir);
    while let Some(here) = current {
        let path = here.join(FILE_NAME);
        if let Ok(meta) = std::fs::metadata(&path) {
            return read_checked(&path, &meta);
        }
        if home.is_some_and(|home| here == home) {
            break;
        }
        current = here.parent();
    }
    Ok(Found::Nothing)
}

fn read_checked(path: &Path, meta: &std::fs::Metadata) -> Result<Found> {
    if !meta.is_file() {
        return Ok(Found::Ignored {
            path: path.to_owned(),
            reason: "it is not a regular file".to_owned(),
        });
    }
    if let Some(reason) = untrusted(path, meta) {
        return Ok(Found::Ignored {
            path: path.to_owned(),
            reason,
        });
    }
    let mut text = String::new();
    std::fs::File::open(path)
        .and_then(|f| f.take(MAX_BYTES + 1).read_to_string(&mut text))
        .map_err(|err| {
            Error::config(format!("cannot read {}: {err}", path.display()))
                .with_code(codes::cli::DIRECTORY_FILE_UNREADABLE)
        })?;
    if text.len() as u64 > MAX_BYTES {
        return Err(refused(path, "it is longer than a one-line file can be"));
    }
    let name = parse(&text).map_err(|reason| refused(path, &reason))?;
    check_profile_name(&name).map_err(|err| refused(path, &err.message))?;
    Ok(Found::Profile {
        path: path.to_owned(),
        name,
    })
}

/// Why a file another user could have written is not trusted, if so, and
/// what to do about it.
#[cfg(unix)]
fn untrusted(path: &Path, meta: &std::fs::Metadata) -> Option<String> {
    use std::os::unix::fs::MetadataExt;
    // SAFETY: geteuid has no preconditions and cannot fail.
    let me = unsafe { libc::geteuid() };
    if meta.uid() != me {
        return Some(
            "it is owned by another user; if it should apply, make it your own or remove it"
                .to_owned(),
        );
    }
    if meta.mode() & 0o022 != 0 {
        let quoted = crate::next_action::shell_quote(&path.display().to_string());
        return Some(format!(
            "other users can write to it; fix it with: chmod go-w {quoted}"
        ));
    }
    None
}

#[cfg(not(unix))]
fn untrusted(_path: &Path, _meta: &std::fs::Metadata) -> Option<String> {
    None
}

fn refused(path: &Path, reason: &str) -> Error {
    Error::config(format!(
        "{} is refused: {reason}; a directory file may only name a profile, like profile = \"staging\"",
        path.display()
    ))
    .with_code(codes::cli::DIRECTORY_FILE_REFUSED)
    .with_next_action(format!(
        "fix or remove {} (scripto profiles pin NAME writes a valid one)",
        path.display()
    ))
}

/// The profile name of a file with exactly one `profile = "NAME"` line
/// (blank lines and `#` comments aside).
pub fn parse(text: &str) -> std::result::Result<String, String> {
    let mut profile = None;
    for line in text.lines() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        if line.starts_with('[') {
            return Err("it has a table, and only `profile` is allowed".to_owned());
        }
        let Some((key, value)) = line.split_once('=') else {
            return Err(format!("`{}` is not a `key = value` line", shown(line)));
        };
        let key = key.trim().trim_matches('"');
        match key {
            "profile" => {}
            "api_url" | "api-url" | "api_key" | "api-key" | "url" | "key" => {
                return Err(format!(
                    "it sets `{key}`, and a directory file must never change where a key is sent or which key"
                ));
            }
            other => {
                return Err(format!(
                    "it sets `{}`, and only `profile` is allowed",
                    shown(other)
                ));
            }
        }
        if profile.is_some() {
            return Err("it sets `profile` twice".to_owned());
        }
        profile = Some(string_value(value.trim())?);
    }
    profile.ok_or_else(|| "it names no profile".to_owned())
}

/// A TOML basic (`"…"`) or literal (`'…'`) string without escapes, and an
/// optional comment after it.
fn string_value(raw: &str) -> std::result::Result<String, String> {
    let bad = || format!("`{}` is not a quoted profile name", shown(raw));
    let quote = raw.chars().next().filter(|q| *q == '"' || *q == '\'');
    let quote = quote.ok_or_else(bad)?;
    let rest = &raw[1..];
    let end = rest.find(quote).ok_or_else(bad)?;
    let (value, after) = (&rest[..end], rest[end + 1..].trim());
    if value.contains('\\') || !(after.is_empty() || after.starts_with('#')) {
        return Err(bad());
    }
    Ok(value.to_owned())
}

/// A piece of the file, short and printable, for an error message.
fn shown(text: &str) -> String {
    text.chars()
        .take(40)
        .map(|c| if c.is_control() { '?' } else { c })
        .collect()
}

/// The file's text for `profile`.
pub fn contents(profile: &str) -> String {
    format!(
        "# Commands run in this directory and below use this scripto profile.\nprofile = \"{profile}\"\n"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_one_profile_line_is_accepted() {
        assert_eq!(parse("profile = \"staging\"\n").unwrap(), "staging");
        assert_eq!(parse("# x\n\n  profile='dev' # here\n").unwrap(), "dev");
        assert_eq!(parse(&contents("ci")).unwrap(), "ci");
        for bad in [
            "",
            "profile = staging",
            "profile = \"a\"\nprofile = \"b\"",
            "api_url = \"https://evil.example\"",
            "profile = \"a\"\napi_key = \"scripto_x\"",
            "[defaults]\nprofile = \"a\"",
            "timeout = 5",
            "profile = \"a\\\"b\"",
            "profile = \"a\" trailing",
        ] {
            assert!(parse(bad).is_err(), "{bad:?} was accepted");
        }
        assert!(
            parse("api_url = \"x\"")
                .unwrap_err()
                .contains("where a key is sent")
        );
    }
}
