//! `scripto auth login`
use clap::Args;
use scripto_wire::codes;

use serde_json::json;

use crate::api::types::{ApiKey, LoginOutcome, LoginRequest, LoginRequested, Me, PasswordLogin};
use crate::context::Context;
use crate::error::{Error, ErrorKind, Result};
use crate::input::{is_six_digits, read_stdin_line};
use crate::login::second_factor::{self, Via};
use crate::login::store::{self, KeyToStore};
use crate::login::{LoginOptions, device};
use crate::next_action::global_flags;
use crate::next_action::shell_quote;

/// Log in and store a new key as a profile.
///
/// With `--email` alone, a one-time code is sent to the address: at a terminal
/// you are asked for it (three tries); without one the command prints the
/// `scripto auth login-complete` step to run and exits 9. With a password
/// (asked at a terminal, or `--password-stdin`) the password flow runs, with a
/// TOTP or backup-code step when the account has MFA. `--with-token` stores an
/// existing key read from stdin. `--web` logs in through a browser: at a
/// terminal it shows a URL and a code, opens the browser and waits for the
/// approval there; without one it exits 9 with the URL and the code, and
/// `scripto auth login-complete --device` finishes.
///
/// At a terminal the new profile becomes the active one. Without a terminal
/// it does only when no other profile is active; otherwise use it with
/// `--profile NAME`, or make it active with `scripto profiles use NAME`.
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

    /// Log in through a browser: approve a code on the server's web page (device login)
    #[arg(long, conflicts_with_all = ["email", "password_stdin", "with_token"])]
    pub web: bool,

    /// With --web: print the URL instead of opening a browser
    #[arg(long, requires = "web")]
    pub no_browser: bool,

    #[command(flatten)]
    pub options: LoginOptions,
}

pub fn run(ctx: &Context, args: &LoginArgs) -> Result<()> {
    let options = &args.options;
    if args.web {
        return device::login(ctx, options, args.no_browser);
    }
    if args.with_token {
        return with_token(ctx, args, options);
    }
    let email = match &args.email {
        Some(email) => email.trim().to_owned(),
        None if !ctx.no_input() => ctx.prompt.line("E-mail address: ")?,
        None => {
            return Err(
                Error::usage("`scripto auth login` needs --email without a terminal")
                    .with_next_action(format!(
                        "scripto auth login --email <address>{}",
                        global_flags(&ctx.invocation)
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
        // The server cannot say whether the address has a password without
        // saying whether it is known, so the question offers both: a new
        // address has no password and takes the code.
        let question = format!("Password for {email}, or Enter for a one-time code: ");
        if let Some(password) = ctx.prompt.secret(&question)?
            && !password.expose().is_empty()
        {
            return password_login(ctx, &email, password, options);
        }
    }
    code_login(ctx, &email, options)
}

/// The e-mail one-time-code flow. Without a terminal it stops after sending
/// the code (exit 9) and names the `login-complete` step to run; at one, the
/// code is asked for (three tries).
fn code_login(ctx: &Context, email: &str, options: &LoginOptions) -> Result<()> {
    let anonymous = ctx.anonymous_client()?;
    // The code that follows is a credential: refuse plain http now, before
    // one is sent to the address.
    anonymous.require_private_transport()?;
    let sent = anonymous.post::<_, LoginRequested>(
        &["auth", "login-request"],
        &LoginRequest {
            email: email.to_owned(),
        },
    );
    if ctx.no_input() {
        let sent = sent?.data;
        let next = format!(
            "scripto auth login-complete --email {} --code <code>{}{}",
            shell_quote(email),
            options.as_flags(),
            global_flags(&ctx.invocation)
        );
        return Err(Error::input_needed(
            format!(
                "a one-time code was sent to {email}; it is valid for {} minutes",
                minutes(&sent)
            ),
            next,
        )
        .with_code(codes::cli::CODE_SENT)
        .with_details(json!({ "email": sent.email, "expires_in": sent.expires_in })));
    }
    // At a terminal, a resend refused by the rate limit (a code was sent
    // moments ago) just asks for the code already sent; Enter gives up
    // with the rate limit's own error.
    let refused = match sent {
        Ok(answer) => {
            ctx.out.status(format!(
                "A 6-digit code was sent to {email}; it is valid for {} minutes.",
                minutes(&answer.data)
            ));
            None
        }
        Err(err) if err.kind == ErrorKind::RateLimited => {
            ctx.out.status(format!(
                "A code was sent to {email} a moment ago and a new one cannot be sent yet: type the code already sent, or press Enter to stop."
            ));
            Some(err)
        }
        Err(err) => return Err(err),
    };
    let outcome = ctx
        .prompt
        .code(&ctx.out, "Code: ", check_code_digits, |code| {
            super::login_complete::redeem(ctx, &anonymous, email, code, options)
        })
        .map_err(|err| match refused {
            Some(rate_limited) if err.code == codes::cli::NO_CODE_ENTERED => rate_limited,
            _ if err.code == codes::server::OTP_INVALID => err.with_next_action(format!(
                "scripto auth login --email {}{}",
                shell_quote(email),
                global_flags(&ctx.invocation)
            )),
            _ => err,
        })?;
    super::login_complete::proceed(ctx, &anonymous, email, outcome, options)
}

fn minutes(sent: &LoginRequested) -> u64 {
    (sent.expires_in / 60).max(1)
}

/// Typed at a terminal, a code that is not 6 digits is a typo to retype.
fn check_code_digits(code: &scripto_wire::Secret) -> Result<()> {
    if is_six_digits(code) {
        Ok(())
    } else {
        Err(Error::usage("the code from the e-mail has 6 digits")
            .with_code(codes::cli::INVALID_CODE_FORMAT))
    }
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
        LoginOutcome::MfaRequired(challenge) => second_factor::Pending {
            anonymous: &anonymous,
            email,
            challenge,
            options,
            via: Via::Password,
        }
        .ask(ctx),
        done => second_factor::finish(ctx, &anonymous, done, options),
    }
}

/// `--with-token`: an existing key from stdin (or pasted at a terminal),
/// checked with `GET /v1/me`, stored as an imported key.
fn with_token(ctx: &Context, args: &LoginArgs, options: &LoginOptions) -> Result<()> {
    let key = if ctx.no_input() {
        read_stdin_line("API key", "login --with-token")?
    } else {
        ctx.prompt
            .secret("Paste the API key: ")?
            .ok_or_else(|| Error::usage("no key was entered"))?
    };
    crate::credential::check_key(&key, "the API key read from stdin")?;
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
                allowed_ips: Vec::new(),
                replaces: None,
                replaced_by: None,
            });
            synthetic.as_ref()
        }
    };
    store::finish(
        ctx,
        KeyToStore {
            api_url: client.base_url(),
            secret: &key,
            key: key_info,
            user: Some(&me.user),
            minted_by_cli: false,
        },
        options,
    )
}
