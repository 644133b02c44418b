//! Everything scripto reads from a person or a pipe: one reader of stdin
//! with one size cap, and one prompter that knows whether it may ask.
//!
//! Stdin may be anything (a file, a FIFO, /dev/zero), so no read takes more
//! than [`MAX_LINE`] bytes of it. Whatever is read is handed on as typed:
//! secrets as [`Secret`] from the first moment.

use scripto_wire::codes;
use std::io::{self, BufRead, Read, Write};

use scripto_wire::Secret;

use crate::error::{Error, Result};
use crate::output::{Output, terminal_safe_lines};

/// The most any one read of stdin takes: a line of input, a key, a code.
pub const MAX_LINE: u64 = 64 * 1024;

/// How many codes a person at a terminal may type before a login stops.
pub const CODE_TRIES: u32 = 3;

/// The one read of stdin: a line, at most [`MAX_LINE`] bytes of it, with
/// its line break.
fn read_line() -> io::Result<String> {
    let mut line = String::new();
    io::stdin().lock().take(MAX_LINE).read_line(&mut line)?;
    Ok(line)
}

/// The first line of stdin without its line break and surrounding blanks;
/// `what` names it in the error.
fn stdin_line(what: &str) -> Result<String> {
    let line = read_line()
        .map_err(|e| Error::usage(format!("could not read the {what} from stdin: {e}")))?;
    Ok(line.trim().to_owned())
}

/// `--api-key -`: the key is the first line of stdin, so it never shows in
/// the process list or the shell history.
pub fn read_key_from_stdin() -> Result<Secret> {
    let key = stdin_line("API key")?;
    if key.is_empty() {
        return Err(Error::usage("`--api-key -` read nothing from stdin")
            .with_next_action("echo \"$KEY\" | scripto --api-key - <command>"));
    }
    Ok(Secret::new(key))
}

/// The first line of stdin, for `--password-stdin`, `--with-token` and
/// `--code-stdin`. Nothing is echoed, and an empty line is refused.
pub fn read_stdin_line(what: &str, flag: &str) -> Result<Secret> {
    let value = stdin_line(what)?;
    if value.is_empty() {
        return Err(Error::usage(format!("{flag} read no {what} from stdin"))
            .with_next_action(format!("pipe the {what} in: … | scripto auth {flag}")));
    }
    Ok(Secret::new(value))
}

/// Asks at the terminal, or refuses to: `--no-input` (or no terminal) means
/// every question fails with what to pass instead, and `--yes` answers
/// every confirmation.
#[derive(Debug, Clone, Copy)]
pub struct Prompter {
    pub no_input: bool,
    pub yes: bool,
}

impl Prompter {
    /// Writes `question` on stderr and reads the answer, one line of stdin
    /// (the caller has made sure it is a terminal).
    pub fn ask(&self, question: &str) -> Result<String> {
        let mut stderr = io::stderr();
        // A question may quote a profile name or an address: untrusted text.
        let _ = write!(stderr, "{}", terminal_safe_lines(question));
        let _ = stderr.flush();
        read_line().map_err(|err| Error::unexpected(format!("could not read the answer: {err}")))
    }

    /// Asks for a line of plain (echoed) text; an error without a terminal.
    pub fn line(&self, question: &str) -> Result<String> {
        if self.no_input {
            return Err(cannot_ask(question));
        }
        Ok(self.ask(question)?.trim().to_owned())
    }

    /// Asks for a secret without echo; `None` when there is no terminal or
    /// `--no-input` is set, so the caller can fail with exit 9 and say how
    /// to pass it instead.
    pub fn secret(&self, prompt: &str) -> Result<Option<Secret>> {
        if self.no_input {
            return Ok(None);
        }
        let value = rpassword::prompt_password(terminal_safe_lines(prompt))
            .map_err(|err| Error::unexpected(format!("could not read from the terminal: {err}")))?;
        Ok(Some(Secret::new(value.trim())))
    }

    /// Asks a yes/no question. `--yes` answers yes; without a terminal (or
    /// with `--no-input`) it fails with exit 9 and the command to rerun.
    pub fn confirm(&self, question: &str) -> Result<bool> {
        if self.yes {
            return Ok(true);
        }
        if self.no_input {
            return Err(Error::input_needed(
                format!("{question} Confirmation is needed and there is no terminal to ask"),
                crate::next_action::rerun_with_yes(),
            )
            .with_code(codes::cli::CONFIRMATION_NEEDED));
        }
        let answer = self.ask(&format!("{question} [y/N] "))?;
        Ok(matches!(
            answer.trim().to_ascii_lowercase().as_str(),
            "y" | "yes"
        ))
    }

    /// Asks for a code (echoed as typed: a one-time code is no password)
    /// and hands it to `redeem`, up to [`CODE_TRIES`] times. A wrong code
    /// (`otp_invalid`, `mfa_invalid`, or one `check` refuses) asks again,
    /// saying on `out` how many tries are left, so a typo does not end the
    /// login; any other error ends it. An empty answer stops with
    /// `no_code_entered`.
    pub fn code<T>(
        &self,
        out: &Output,
        question: &str,
        check: impl Fn(&Secret) -> Result<()>,
        mut redeem: impl FnMut(Secret) -> Result<T>,
    ) -> Result<T> {
        let mut tries = 0;
        loop {
            tries += 1;
            if self.no_input {
                return Err(cannot_ask(question));
            }
            let code = Secret::new(self.ask(question)?.trim());
            if code.expose().is_empty() {
                return Err(
                    Error::usage("no code was entered").with_code(codes::cli::NO_CODE_ENTERED)
                );
            }
            let err = match check(&code).and_then(|()| redeem(code)) {
                Ok(done) => return Ok(done),
                Err(err) if is_wrong_code(&err) => err,
                Err(err) => return Err(err),
            };
            // The server may allow fewer tries than the prompt does.
            let server_left = err
                .details
                .as_ref()
                .and_then(|d| d.get("attempts_remaining"))
                .and_then(|n| n.as_u64());
            let left = u64::from(CODE_TRIES - tries).min(server_left.unwrap_or(u64::MAX));
            if left == 0 {
                return Err(err.map_message(|message| {
                    format!("{message}, and that was the last try ({tries} wrong codes were typed)")
                }));
            }
            let plural = if left == 1 { "try" } else { "tries" };
            out.warn(format!("{}; {left} {plural} left", err.message));
        }
    }
}

fn cannot_ask(question: &str) -> Error {
    Error::usage(format!("{question} cannot be asked without a terminal"))
}

fn is_wrong_code(err: &Error) -> bool {
    [
        codes::server::OTP_INVALID,
        codes::server::MFA_INVALID,
        codes::cli::INVALID_CODE_FORMAT,
    ]
    .contains(&err.code.as_str())
}

/// Whether `code` has the shape of a one-time or TOTP code: 6 digits.
pub fn is_six_digits(code: &Secret) -> bool {
    let value = code.expose();
    value.len() == 6 && value.bytes().all(|b| b.is_ascii_digit())
}

/// A 6-digit one-time or TOTP code, checked before it is sent.
pub fn check_six_digits(code: &Secret, flag: &str) -> Result<()> {
    if is_six_digits(code) {
        Ok(())
    } else {
        Err(Error::usage(format!("{flag} takes the 6-digit code"))
            .with_code(codes::cli::INVALID_CODE_FORMAT))
    }
}
