//! `scripto auth mfa`
use clap::Args;
use scripto_wire::codes;

use scripto_wire::Secret;

use crate::api::types::{LoginOutcome, MfaVerify};
use crate::context::Context;
use crate::error::{Error, Result};
use crate::input::{check_six_digits, read_stdin_line};
use crate::login::{challenge, second_factor};

/// Finish a login that asked for a second factor.
///
/// Uses the challenge that `scripto auth login` or `scripto auth
/// login-complete` saved (it lives 5 minutes).
#[derive(Debug, Args)]
pub struct MfaArgs {
    /// The 6-digit code from the authenticator app
    #[arg(long, value_name = "CODE", group = "factor", value_parser = crate::cli::secret)]
    pub code: Option<Secret>,

    /// One of the single-use backup codes
    #[arg(long, value_name = "CODE", group = "factor", value_parser = crate::cli::secret)]
    pub backup_code: Option<Secret>,

    /// Read the TOTP code from stdin
    #[arg(long, group = "factor")]
    pub code_stdin: bool,
}

pub fn run(ctx: &Context, args: &MfaArgs) -> Result<()> {
    let (saved, token) = challenge::load_usable(ctx)?;
    let (totp, backup) = factor(ctx, args)?;
    let options = saved.options();
    let anonymous = ctx.anonymous_client_for(&saved.api_url)?;
    anonymous.require_private_transport()?;
    let verify = MfaVerify {
        mfa_token: token,
        totp_code: totp,
        backup_code: backup,
    };
    let outcome = anonymous.post::<_, LoginOutcome>(&["auth", "login", "mfa"], &verify);
    match outcome {
        Ok(answer) => {
            challenge::mark_used(ctx, saved);
            second_factor::finish(ctx, &anonymous, answer.data, &options)
        }
        Err(err) if err.code == codes::server::MFA_INVALID => {
            Err(err.with_next_action("scripto auth mfa --code <6-digit-code>"))
        }
        Err(err) if err.code == codes::server::MFA_CHALLENGE_EXPIRED => {
            challenge::discard(ctx);
            let email = &saved.email;
            let expired = challenge::expired_error(&saved).map_message(|_| {
                format!(
                    "the server no longer accepts the MFA challenge for {email} (it expired, or too many codes were wrong); log in again"
                )
            });
            Err(Error {
                details: err.details,
                ..expired
            })
        }
        Err(err) => Err(err),
    }
}

/// The second factor from the flags, stdin, or a prompt at a terminal.
fn factor(ctx: &Context, args: &MfaArgs) -> Result<(Option<Secret>, Option<Secret>)> {
    if let Some(code) = &args.code {
        let code = Secret::new(code.expose().trim());
        check_six_digits(&code, "--code")?;
        return Ok((Some(code), None));
    }
    if let Some(backup) = &args.backup_code {
        let backup = Secret::new(backup.expose().trim());
        if backup.expose().is_empty() {
            return Err(Error::usage("--backup-code is empty"));
        }
        return Ok((None, Some(backup)));
    }
    if args.code_stdin {
        let code = read_stdin_line("code", "mfa --code-stdin")?;
        check_six_digits(&code, "--code-stdin")?;
        return Ok((Some(code), None));
    }
    if ctx.no_input() {
        return Err(Error::input_needed(
            "a code from the authenticator app is needed",
            "scripto auth mfa --code <6-digit-code>",
        ));
    }
    // Echoed as typed: a one-time code is no password.
    let answer = ctx
        .prompt
        .ask("Code from your authenticator app (or a backup code): ")?;
    let code = Secret::new(answer.trim());
    if code.expose().is_empty() {
        return Err(Error::usage("no code was entered"));
    }
    let body = second_factor::mfa_body(Secret::new(""), code);
    Ok((body.totp_code, body.backup_code))
}
