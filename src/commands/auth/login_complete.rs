//! `scripto auth login-complete`
use clap::Args;
use scripto_wire::codes;

use scripto_wire::Secret;

use crate::api::Client;
use crate::api::types::{ExpiresIn, LoginComplete, LoginOutcome};
use crate::context::Context;
use crate::error::{ErrorKind, Result};
use crate::input::check_six_digits;
use crate::login::second_factor::{self, Via};
use crate::login::{LoginOptions, device, login_key_name};
use crate::next_action::global_flags;
use crate::next_action::shell_quote;

/// Finish an e-mail code login, or (`--device`) a browser login, and store the key.
///
/// With `--email` and `--code`: the one-time code is traded for a new key.
/// With `--device`: the browser login that `auth login --web` started
/// without a terminal is finished; it checks once whether the login was approved (exit 9 while it
/// is not), or with `--wait SECONDS` polls for up to that long.
#[derive(Debug, Args)]
// Only the code flow ends here, so only its default name applies.
#[command(mut_arg("key_name", |arg| arg.help("Name of the minted key [default: scripto-cli]")))]
pub struct LoginCompleteArgs {
    /// The address the code was sent to
    #[arg(long, value_name = "EMAIL", required_unless_present = "device")]
    pub email: Option<String>,

    /// The 6-digit code from the e-mail
    #[arg(long, value_name = "CODE", value_parser = crate::cli::secret, required_unless_present = "device")]
    pub code: Option<Secret>,

    /// Finish the browser login that `auth login --web` started without a terminal
    #[arg(long, conflicts_with_all = ["email", "code", "key_name", "expires_in"])]
    pub device: bool,

    /// With --device: wait up to this many seconds for the approval
    #[arg(long, value_name = "SECONDS", requires = "device", value_parser = clap::value_parser!(u64).range(0..=900))]
    pub wait: Option<u64>,

    #[command(flatten)]
    pub options: LoginOptions,
}

pub fn run(ctx: &Context, args: &LoginCompleteArgs) -> Result<()> {
    let (Some(email), Some(code)) = (&args.email, &args.code) else {
        // clap requires both unless --device.
        return device::complete(ctx, args.wait, &args.options);
    };
    let code = Secret::new(code.expose().trim());
    check_six_digits(&code, "--code")?;
    let anonymous = ctx.anonymous_client()?;
    complete(ctx, &anonymous, email.trim(), code, &args.options)
}

/// Trades the one-time code for a key the server mints (after the second
/// factor, for an account with MFA), and stores it.
pub fn complete(
    ctx: &Context,
    anonymous: &Client,
    email: &str,
    code: Secret,
    options: &LoginOptions,
) -> Result<()> {
    let outcome = redeem(ctx, anonymous, email, code, options)?;
    proceed(ctx, anonymous, email, outcome, options)
}

/// Trades the one-time code for the server's answer: a key, or (for an
/// account with MFA) a second-factor challenge. A wrong code is an error
/// with the tries the server has left in its details.
pub fn redeem(
    ctx: &Context,
    anonymous: &Client,
    email: &str,
    code: Secret,
    options: &LoginOptions,
) -> Result<LoginOutcome> {
    anonymous.require_private_transport()?;
    let request = LoginComplete {
        email: email.to_owned(),
        code,
        key_name: Some(options.key_name.clone().unwrap_or_else(login_key_name)),
        expires_in_days: options.expires_in.and_then(ExpiresIn::days),
    };
    Ok(anonymous
        .post(&["auth", "login-complete"], &request)
        .map_err(|err| explain_code_error(ctx, err, email, options))?
        .data)
}

/// After an accepted code: the second factor when the account has MFA,
/// then the key is stored.
pub fn proceed(
    ctx: &Context,
    anonymous: &Client,
    email: &str,
    outcome: LoginOutcome,
    options: &LoginOptions,
) -> Result<()> {
    match outcome {
        // An account with MFA: the key comes after the second factor.
        LoginOutcome::MfaRequired(challenge) => second_factor::Pending {
            anonymous,
            email,
            challenge,
            options,
            via: Via::Code,
        }
        .ask(ctx),
        done => second_factor::finish(ctx, anonymous, done, options),
    }
}

/// A wrong code is the server refusing a credential (exit 3) and can be
/// tried again while attempts remain; a used-up one needs a new code.
fn explain_code_error(
    ctx: &Context,
    err: crate::error::Error,
    email: &str,
    options: &LoginOptions,
) -> crate::error::Error {
    let again = format!(
        "scripto auth login-complete --email {} --code <code>{}{}",
        shell_quote(email),
        options.as_flags(),
        global_flags(&ctx.invocation)
    );
    let new_code = format!(
        "scripto auth login --email {}{}",
        shell_quote(email),
        global_flags(&ctx.invocation)
    );
    let remaining = err
        .details
        .as_ref()
        .and_then(|d| d.get("attempts_remaining"))
        .and_then(|n| n.as_u64());
    match err.code.as_str() {
        codes::server::OTP_INVALID => {
            let mut err = err;
            err.kind = ErrorKind::NotAuthenticated;
            let next = if remaining == Some(0) {
                new_code
            } else {
                again
            };
            err.with_next_action(next)
        }
        codes::server::OTP_EXPIRED => err.with_next_action(new_code),
        _ => err,
    }
}
