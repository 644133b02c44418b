//! `scripto auth login`
use clap::Args;

use std::time::Duration;

use serde_json::json;

use super::challenge::{self, SavedChallenge};
use super::common::{
    self, LoginOptions, NewKey, check_six_digits, config_dir_flag, global_flags, prompt_line,
    read_stdin_line,
};
use crate::api::Client;
use crate::api::types::{
    ApiKey, LoginOutcome, LoginRequest, LoginRequested, Me, MfaChallenge, MfaVerify, PasswordLogin,
};
use crate::context::{Context, shell_quote};
use crate::error::{Error, ErrorKind, Result};

/// Log in and store a new key as the active profile.
///
/// With `--email` alone, a one-time code is sent to the address: at a terminal
/// you are asked for it; without one the command prints the
/// `scripto auth login-complete` step to run and exits 9. With a password
/// (asked at a terminal, or `--password-stdin`) the password flow runs, with a
/// TOTP or backup-code step when the account has MFA. `--with-token` stores an
/// existing key read from stdin.
#[derive(Debug, Args)]
pub struct LoginArgs {
    /// The account's e-mail address
    #[arg(long, value_name = "EMAIL")]
    pub email: Option<String>,

    /// Log in with a password read from stdin (the first line)
    #[arg(long, conflicts_with = "with_token")]
    pub password_stdin: bool,

    /// Store an existing API key read from stdin, after checking it with the server
    #[arg(long)]
    pub with_token: bool,

    #[command(flatten)]
    pub options: LoginOptions,
}

pub fn run(ctx: &Context, args: &LoginArgs) -> Result<()> {
    let options = &args.options;
    if args.with_token {
        return with_token(ctx, args, options);
    }
    let email = match &args.email {
        Some(email) => email.trim().to_owned(),
        None if !ctx.no_input() => prompt_line("E-mail address: ")?,
        None => {
            return Err(
                Error::usage("`scripto auth login` needs --email without a terminal")
                    .with_next_action(format!(
                        "scripto auth login --email <address>{}",
                        global_flags(ctx)
                    )),
            );
        }
    };
    if !email.contains('@') {
        return Err(Error::usage(format!("`{email}` is not an e-mail address")));
    }
    if args.password_stdin {
        let password = read_stdin_line("password", "login --password-stdin")?;
        return password_login(ctx, &email, password, options);
    }
    if !ctx.no_input() {
        let question =
            format!("Password for {email} (Enter to get a one-time code by e-mail instead): ");
        if let Some(password) = ctx.prompt_secret(&question)?
            && !password.expose().is_empty()
        {
            return password_login(ctx, &email, password, options);
        }
    }
    code_login(ctx, &email, options)
}

/// The e-mail one-time-code flow. Without a terminal it stops after sending
/// the code (exit 9) and names the `login-complete` step to run.
fn code_login(ctx: &Context, email: &str, options: &LoginOptions) -> Result<()> {
    let anonymous = ctx.anonymous_client()?;
    // The code that follows is a credential: refuse plain http now, before
    // one is sent to the address.
    anonymous.require_private_transport()?;
    let sent: LoginRequested = anonymous
        .post(
            &["auth", "login-request"],
            &LoginRequest {
                email: email.to_owned(),
            },
        )?
        .data;
    let minutes = (sent.expires_in / 60).max(1);
    if ctx.no_input() {
        let next = format!(
            "scripto auth login-complete --email {} --code <code>{}{}",
            shell_quote(email),
            options.as_flags(),
            global_flags(ctx)
        );
        return Err(Error::input_needed(
            format!("a one-time code was sent to {email}; it is valid for {minutes} minutes"),
            next,
        )
        .with_code("code_sent")
        .with_details(json!({ "email": sent.email, "expires_in": sent.expires_in })));
    }
    ctx.out.status(format!(
        "A 6-digit code was sent to {email}; it is valid for {minutes} minutes."
    ));
    let code = ctx
        .prompt_secret("Code: ")?
        .ok_or_else(|| Error::usage("no code was entered"))?;
    check_six_digits(&code, "the code")?;
    super::login_complete::complete(ctx, &anonymous, email, code, options)
}

/// The password flow: a session, then (with MFA) a second factor, then the
/// CLI's own key minted with the session.
fn password_login(
    ctx: &Context,
    email: &str,
    password: scripto_wire::Secret,
    options: &LoginOptions,
) -> Result<()> {
    let anonymous = ctx.anonymous_client()?;
    anonymous.require_private_transport()?;
    let outcome: LoginOutcome = anonymous
        .post(
            &["auth", "login"],
            &PasswordLogin {
                email: email.to_owned(),
                password,
            },
        )?
        .data;
    match outcome {
        LoginOutcome::Session(session) => {
            common::mint_with_session(ctx, &anonymous, session, options)
        }
        LoginOutcome::MfaRequired(challenge) if ctx.no_input() => {
            save_challenge(ctx, &anonymous, email, challenge, options)
        }
        LoginOutcome::MfaRequired(challenge) => {
            prompt_second_factor(ctx, &anonymous, challenge, options)
        }
    }
}

const MAX_CHALLENGE_LIFETIME_SECS: u64 = 24 * 60 * 60;

/// Without a terminal: keep the challenge for `scripto auth mfa`, exit 9.
fn save_challenge(
    ctx: &Context,
    anonymous: &Client,
    email: &str,
    challenge: MfaChallenge,
    options: &LoginOptions,
) -> Result<()> {
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
    );
    let expires_at = saved.expires_at.clone();
    challenge::save(ctx, &saved)?;
    // `auth mfa` finds the challenge in the config directory, and the
    // server is saved with it: only `--config-dir` needs repeating.
    let flags = config_dir_flag(ctx);
    Err(Error::input_needed(
        format!(
            "the password was accepted and {email} needs a second factor: run `scripto auth mfa` within {} minutes",
            (lifetime.as_secs() / 60).max(1)
        ),
        format!("scripto auth mfa --code <6-digit-code>{flags}"),
    )
    .with_code("mfa_required")
    .with_details(json!({
        "email": email,
        "methods": challenge.methods,
        "expires_at": expires_at,
        "backup_code_action": format!("scripto auth mfa --backup-code <backup-code>{flags}"),
    })))
}

/// At a terminal: ask for the TOTP code (or a backup code), up to three times.
fn prompt_second_factor(
    ctx: &Context,
    anonymous: &Client,
    challenge: MfaChallenge,
    options: &LoginOptions,
) -> Result<()> {
    let mut tries = 0;
    loop {
        tries += 1;
        let code = ctx
            .prompt_secret("Code from your authenticator app (or a backup code): ")?
            .ok_or_else(|| Error::usage("no code was entered"))?;
        let verify = mfa_body(challenge.mfa_token.clone(), code);
        match anonymous.post::<_, LoginOutcome>(&["auth", "login", "mfa"], &verify) {
            Ok(answer) => match answer.data {
                LoginOutcome::Session(session) => {
                    return common::mint_with_session(ctx, anonymous, session, options);
                }
                LoginOutcome::MfaRequired(_) => {
                    return Err(Error::unexpected(
                        "the server asked for a second factor again",
                    ));
                }
            },
            Err(err) if err.code == "mfa_invalid" && tries < 3 => {
                ctx.out.warn(format!("{}; try again", err.message));
            }
            Err(err) => return Err(err),
        }
    }
}

/// A 6-digit answer is a TOTP code; anything else is taken as a backup code.
pub fn mfa_body(mfa_token: scripto_wire::Secret, code: scripto_wire::Secret) -> MfaVerify {
    let totp = check_six_digits(&code, "").is_ok();
    MfaVerify {
        mfa_token,
        totp_code: totp.then(|| code.clone()),
        backup_code: (!totp).then_some(code),
    }
}

/// `--with-token`: an existing key from stdin (or pasted at a terminal),
/// checked with `GET /v1/me`, stored as an imported key.
fn with_token(ctx: &Context, args: &LoginArgs, options: &LoginOptions) -> Result<()> {
    let key = if ctx.no_input() {
        read_stdin_line("API key", "login --with-token")?
    } else {
        ctx.prompt_secret("Paste the API key: ")?
            .ok_or_else(|| Error::usage("no key was entered"))?
    };
    if let Err(why) = scripto_wire::check_key(key.expose()) {
        return Err(Error::usage(format!("the API key read from stdin {why}"))
            .with_code("malformed_api_key"));
    }
    let api_url = ctx.api_url()?.value;
    let client = ctx.client_for(&api_url, Some(key.clone()))?;
    let me: Me = client
        .get(&["me"], &[])
        .map_err(|e| match e.kind {
            ErrorKind::NotAuthenticated => Error::new(
                ErrorKind::NotAuthenticated,
                format!("the server refused the key {}: {}", key.masked(), e.message),
            )
            .with_code(e.code.clone()),
            _ => e,
        })?
        .data;
    if let Some(email) = &args.email
        && !email.eq_ignore_ascii_case(&me.user.email)
    {
        return Err(Error::usage(format!(
            "the key belongs to {}, not to {email}",
            me.user.email
        )));
    }
    // The key's name and start, when the key may read itself.
    let details: Option<ApiKey> = me
        .credential
        .key_id
        .as_deref()
        .and_then(|id| client.get(&["keys", id], &[]).ok())
        .map(|answer| answer.data);
    let synthetic;
    let key_info = match &details {
        Some(info) => Some(info),
        None => {
            synthetic = me.credential.key_id.clone().map(|id| ApiKey {
                id,
                name: String::new(),
                start: scripto_wire::key_start(key.expose()).to_owned(),
                key_type: Default::default(),
                scopes: me.credential.scopes.clone(),
                project_ids: me.credential.project_ids.clone(),
                created_at: String::new(),
                expires_at: me.credential.expires_at.clone(),
                last_used_at: None,
                revoked_at: None,
                status: crate::api::types::KeyStatus::Active,
                owner_id: me.user.id.clone(),
                replaces: None,
                replaced_by: None,
            });
            synthetic.as_ref()
        }
    };
    common::finish_login(
        ctx,
        NewKey {
            api_url: client.base_url(),
            secret: &key,
            key: key_info,
            user: Some(&me.user),
            minted_by_cli: false,
        },
        options,
    )
}
