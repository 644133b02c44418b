//! One error type for every command. Its kind decides the exit code (the table
//! in `docs/cli.md`); `next_action` is a step a person or an agent can run as is.

use std::fmt;

use scripto_wire::codes::kind;
use serde::Serialize;
use serde_json::Value;

/// What kind of failure; it decides the exit code. [`ErrorKind::meaning`]
/// is the exit-code table of `docs/cli.md`, and the man page's EXIT STATUS
/// is generated from it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    Unexpected,
    Usage,
    NotAuthenticated,
    Forbidden,
    NotFound,
    RateLimited,
    Network,
    Config,
    InputNeeded,
    /// The reader of stdout went away (`scripto keys list | head -1`): not a
    /// failure, the command just stops quietly with exit 0. Not in
    /// [`ErrorKind::ALL`], which lists the exit codes a failure can have.
    BrokenPipe,
}

impl ErrorKind {
    /// Every kind, in the order of its exit code (a new kind goes here too,
    /// or the man page leaves it out).
    pub const ALL: [ErrorKind; 9] = [
        Self::Unexpected,
        Self::Usage,
        Self::NotAuthenticated,
        Self::Forbidden,
        Self::NotFound,
        Self::RateLimited,
        Self::Network,
        Self::Config,
        Self::InputNeeded,
    ];

    pub fn exit_code(self) -> u8 {
        match self {
            Self::Unexpected | Self::BrokenPipe => 1,
            Self::Usage => 2,
            Self::NotAuthenticated => 3,
            Self::Forbidden => 4,
            Self::NotFound => 5,
            Self::RateLimited => 6,
            Self::Network => 7,
            Self::Config => 8,
            Self::InputNeeded => 9,
        }
    }

    /// What the exit code means, as the man page says it.
    pub fn meaning(self) -> &'static str {
        match self {
            Self::Unexpected => "Unexpected error: a server 5xx, or a bug.",
            Self::Usage => "Usage: bad flags, arguments or values.",
            Self::NotAuthenticated => {
                "Not authenticated: no credential, or the server rejected it (401)."
            }
            Self::Forbidden => "Forbidden (403).",
            Self::NotFound => "Not found (404).",
            Self::RateLimited => {
                "Rate limited (429), after honouring Retry-After within the timeout."
            }
            Self::Network => "Network: unreachable, timed out, TLS.",
            Self::Config => "Local configuration or credential storage problem.",
            Self::InputNeeded => {
                "Input needed: a code or confirmation that a run without a terminal cannot ask \
                 for. The error's next_action says what to run."
            }
            Self::BrokenPipe => "Stdout was closed by its reader; scripto exits 0.",
        }
    }

    /// The machine-readable `error.code` used when nothing more precise is known.
    pub fn default_code(self) -> &'static str {
        match self {
            Self::Unexpected => kind::UNEXPECTED_ERROR,
            Self::Usage => kind::USAGE_ERROR,
            Self::NotAuthenticated => kind::NOT_AUTHENTICATED,
            Self::Forbidden => kind::FORBIDDEN,
            Self::NotFound => kind::NOT_FOUND,
            Self::RateLimited => kind::RATE_LIMITED,
            Self::Network => kind::NETWORK_ERROR,
            Self::Config => kind::CONFIG_ERROR,
            Self::InputNeeded => kind::INPUT_NEEDED,
            Self::BrokenPipe => kind::BROKEN_PIPE,
        }
    }
}

/// What went wrong, in one line, and what to do about it.
///
/// The message must never contain a secret: build it from masked values only.
#[derive(Debug, Clone, Serialize)]
pub struct Error {
    #[serde(skip)]
    pub kind: ErrorKind,
    pub code: String,
    pub message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_action: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub details: Option<Value>,
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        Self {
            kind,
            code: kind.default_code().to_owned(),
            message: message.into(),
            next_action: None,
            details: None,
        }
    }

    pub fn unexpected(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::Unexpected, message)
    }

    pub fn usage(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::Usage, message)
    }

    pub fn config(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::Config, message)
    }

    pub fn not_authenticated(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::NotAuthenticated, message)
    }

    pub fn network(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::Network, message)
    }

    /// Input a run without a terminal cannot ask for; `next_action` says how
    /// to supply it.
    pub fn input_needed(message: impl Into<String>, next_action: impl Into<String>) -> Self {
        Self::new(ErrorKind::InputNeeded, message).with_next_action(next_action)
    }

    /// The reader of stdout went away (`scripto keys list | head -1`): the
    /// command stops quietly.
    pub fn broken_pipe() -> Self {
        Self::new(ErrorKind::BrokenPipe, "stdout was closed")
    }

    pub fn is_broken_pipe(&self) -> bool {
        self.kind == ErrorKind::BrokenPipe
    }

    pub fn with_code(mut self, code: impl Into<String>) -> Self {
        self.code = code.into();
        self
    }

    pub fn with_next_action(mut self, next_action: impl Into<String>) -> Self {
        self.next_action = Some(next_action.into());
        self
    }

    /// The same error said another way: `reword` gets the message and
    /// gives the new one, typically the step that failed before it and
    /// what that leaves after it. Kind, code, next step and details stay.
    pub fn map_message(mut self, reword: impl FnOnce(&str) -> String) -> Self {
        self.message = reword(&self.message);
        self
    }

    pub fn with_details(mut self, details: Value) -> Self {
        self.details = Some(details);
        self
    }

    pub fn exit_code(&self) -> u8 {
        self.kind.exit_code()
    }

    /// An error writing to stdout or stderr: a closed pipe stops quietly,
    /// anything else is unexpected.
    pub fn from_output(err: std::io::Error) -> Self {
        if err.kind() == std::io::ErrorKind::BrokenPipe {
            Self::broken_pipe()
        } else {
            Self::unexpected(format!("could not write the output: {err}"))
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)?;
        if let Some(next) = &self.next_action {
            write!(f, "; next: {next}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Error {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_has_its_own_exit_code() {
        let codes: Vec<u8> = ErrorKind::ALL.iter().map(|k| k.exit_code()).collect();
        assert_eq!(codes, (1..=9).collect::<Vec<u8>>());
    }

    #[test]
    fn the_line_names_the_next_step() {
        let err = Error::input_needed("a code is needed", "scripto auth mfa --code <6-digit-code>");
        assert_eq!(
            err.to_string(),
            "a code is needed; next: scripto auth mfa --code <6-digit-code>"
        );
        assert_eq!(err.exit_code(), 9);
    }
}
