//! The second factor of a login, whichever login asked for it (a password,
//! or an e-mail code for an account with MFA): at a terminal the TOTP or
//! backup code is asked for; without one the challenge is saved for
//! `scripto auth mfa` and the command exits 9. Once passed, the login ends
//! the way its first step would have: a password login's session mints the
//! CLI's key, a code login's key comes from the server.

use scripto_wire::codes;
use std::time::Duration;

use scripto_wire::Secret;
use serde_json::json;

use super::LoginOptions;
use super::challenge::{self, SavedChallenge};
use super::store::{self, KeyToStore};
use crate::api::Client;
use crate::api::types::{LoginOutcome, MfaChallenge, MfaVerify};
use crate::context::Context;
use crate::error::{Error, Result};
use crate::input::check_six_digits;
use crate::next_action::shell_quote;
use crate::next_action::{config_dir_flag, global_flags};

/// Which first step was accepted: it names what to redo when the
/// challenge is lost.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Via {
    Password,
    Code,
}

impl Via {
    pub fn as_str(self) -> &'static str {
        match self {
            Via::Password => "password",
            Via::Code => "code",
        }
    }

    pub fn from_name(name: Option<&str>) -> Via {
        match name {
            Some("code") => Via::Code,
            _ => Via::Password,
        }
    }

    fn accepted(self) -> &'static str {
        match self {
            Via::Password => "the password was accepted",
            Via::Code => "the e-mail code was accepted",
        }
    }
}

const MAX_CHALLENGE_LIFETIME_SECS: u64 = 24 * 60 * 60;

/// A first step the server accepted, waiting for the second factor.
pub struct Pending<'a> {
    /// A client without a credential, for the server that issued the challenge.
    pub anonymous: &'a Client,
    pub email: &'a str,
    pub challenge: MfaChallenge,
    pub options: &'a LoginOptions,
    pub via: Via,
}

impl Pending<'_> {
    /// Asks for the second factor at a terminal, else saves the challenge
    /// and exits 9.
    pub fn ask(self, ctx: &Context) -> Result<()> {
        if ctx.no_input() {
            self.save(ctx)
        } else {
            self.prompt(ctx)
        }
    }

    /// Without a terminal: keep the challenge for `scripto auth mfa`, exit 9.
    fn save(self, ctx: &Context) -> Result<()> {
        let Self {
            anonymous,
            email,
            challenge,
            options,
            via,
        } = self;
        // The server says how long its token lives; an answer too large for the
        // clock (or for an RFC 3339 date) must not panic, and a day is longer
        // than any second factor is waited for.
        let lifetime = Duration::from_secs(challenge.expires_in.min(MAX_CHALLENGE_LIFETIME_SECS));
        let saved = SavedChallenge::new(
            anonymous.base_url(),
            email,
            challenge.mfa_token,
            challenge.methods.clone(),
            lifetime,
            options,
            via,
        );
        let expires_at = saved.expires_at.clone();
        challenge::save(ctx, &saved)?;
        // `auth mfa` finds the challenge in the config directory, and the
        // server is saved with it: only `--config-dir` needs repeating.
        let flags = config_dir_flag(&ctx.invocation);
        Err(Error::input_needed(
            format!(
                "{} and {email} needs a second factor: run `scripto auth mfa` within {} minutes",
                via.accepted(),
                (lifetime.as_secs() / 60).max(1)
            ),
            format!("scripto auth mfa --code <6-digit-code>{flags}"),
        )
        .with_code(codes::cli::MFA_REQUIRED)
        .with_details(json!({
            "email": email,
            "methods": challenge.methods,
            "expires_at": expires_at,
            "backup_code_action": format!("scripto auth mfa --backup-code <backup-code>{flags}"),
        })))
    }

    /// At a terminal: ask for the TOTP code (or a backup code), up to three
    /// times, echoed as typed; after the last wrong one the login is to be
    /// started again.
    fn prompt(self, ctx: &Context) -> Result<()> {
        let Self {
            anonymous,
            email,
            challenge,
            options,
            ..
        } = self;
        let question = "Code from your authenticator app (or a backup code): ";
        let outcome = ctx
            .prompt
            .code(
                &ctx.out,
                question,
                |_| Ok(()),
                |code| {
                    let verify = mfa_body(challenge.mfa_token.clone(), code);
                    anonymous.post::<_, LoginOutcome>(&["auth", "login", "mfa"], &verify)
                },
            )
            .map_err(|err| {
                if err.code == codes::server::MFA_INVALID {
                    err.with_next_action(format!(
                        "scripto auth login --email {}{}",
                        shell_quote(email),
                        global_flags(&ctx.invocation)
                    ))
                } else {
                    err
                }
            })?;
        finish(ctx, anonymous, outcome.data, options)
    }
}

/// A 6-digit answer is a TOTP code; anything else is taken as a backup code.
pub fn mfa_body(mfa_token: Secret, code: Secret) -> MfaVerify {
    let totp = check_six_digits(&code, "").is_ok();
    MfaVerify {
        mfa_token,
        totp_code: totp.then(|| code.clone()),
        backup_code: (!totp).then_some(code),
    }
}

/// Ends a login whose last step succeeded: a session mints the CLI's key,
/// a key is stored as it is. Wrong second factors given for the account
/// since its last login are reported: they may be someone else's guesses.
pub fn finish(
    ctx: &Context,
    anonymous: &Client,
    outcome: LoginOutcome,
    options: &LoginOptions,
) -> Result<()> {
    match outcome {
        LoginOutcome::Session(session) => {
            warn_failed_attempts(ctx, session.failed_mfa_attempts_since_last_login);
            store::mint_with_session(ctx, anonymous, session, options)
        }
        LoginOutcome::KeyMinted(done) => {
            warn_failed_attempts(ctx, done.failed_mfa_attempts_since_last_login);
            store::finish(
                ctx,
                KeyToStore {
                    api_url: anonymous.base_url(),
                    secret: &done.api_key,
                    key: Some(&done.key),
                    user: Some(&done.user),
                    minted_by_cli: true,
                },
                options,
            )
        }
        LoginOutcome::MfaRequired(_) => Err(Error::unexpected(
            "the server asked for a second factor again",
        )),
    }
}

fn warn_failed_attempts(ctx: &Context, failures: u32) {
    if failures > 0 {
        let codes = if failures == 1 {
            "code was"
        } else {
            "codes were"
        };
        ctx.out.warn(format!(
            "{failures} wrong second-factor {codes} given for this account since its last login; if they were not yours, change the password"
        ));
    }
}
