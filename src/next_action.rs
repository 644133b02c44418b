//! The text of a `next_action`: a command a person or an agent can run as
//! is. Every word that came from the user or the config is shell-quoted, no
//! secret is ever echoed, and the flags that decided where this command
//! went (`--api-url`, `--config-dir`) are repeated, so the next step goes
//! to the same place.

use crate::invocation::Invocation;
use crate::settings;

/// Quotes a word for a POSIX shell only when it needs it, so a
/// `next_action` reads as typed and still runs as is.
pub fn shell_quote(word: &str) -> String {
    if !word.is_empty()
        && word
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-_./:=@,+%".contains(&b))
    {
        word.to_owned()
    } else {
        format!("'{}'", word.replace('\'', r"'\''"))
    }
}

/// The command that stores a fresh key under this profile name, for a
/// profile of the server `api_url`.
pub fn login_command(name: &str, api_url: &str) -> String {
    let mut command = format!("scripto auth login --profile-name {name}");
    if api_url != settings::DEFAULT_API_URL {
        command.push_str(&format!(" --api-url {}", shell_quote(api_url)));
    }
    command
}

/// This command line with `--yes` added, every key replaced by a
/// placeholder so the `next_action` never echoes a secret.
pub fn rerun_with_yes() -> String {
    let mut words = vec!["scripto".to_owned()];
    let mut hide_next = false;
    for arg in std::env::args().skip(1) {
        if hide_next {
            words.push("<KEY>".to_owned());
            hide_next = false;
        } else if arg == "--api-key" {
            words.push(arg);
            hide_next = true;
        } else if arg.starts_with("--api-key=") {
            words.push("--api-key=<KEY>".to_owned());
        } else {
            words.push(shell_quote(&arg));
        }
    }
    words.push("--yes".to_owned());
    words.join(" ")
}

/// `--api-url` and `--config-dir` when they were given as flags: an agent's
/// next command must reach the same server and the same config.
pub fn global_flags(invocation: &Invocation) -> String {
    let mut flags = String::new();
    if let Some(url) = &invocation.api_url
        && url.source.is_flag()
    {
        flags.push_str(&format!(" --api-url {}", shell_quote(&url.value)));
    }
    flags.push_str(&config_dir_flag(invocation));
    flags
}

/// `--config-dir` when it was given as a flag; for a next step that finds
/// the server in the config directory (`auth mfa`).
pub fn config_dir_flag(invocation: &Invocation) -> String {
    match &invocation.config_dir {
        Some(dir) if dir.source.is_flag() => format!(
            " --config-dir {}",
            shell_quote(&dir.value.to_string_lossy())
        ),
        _ => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_quoted_for_the_shell_only_when_needed() {
        assert_eq!(shell_quote("a@b.c"), "a@b.c");
        assert_eq!(shell_quote("my key"), "'my key'");
        assert_eq!(shell_quote("it's"), r"'it'\''s'");
    }
}
