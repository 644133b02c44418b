//! What the login flows share: turning a freshly minted key into a profile
//! (and deciding whether it becomes the active one), the summary printed
//! about it, and reading a line or a code of input.

use std::io::{self, BufRead, IsTerminal, Write};

use clap::Args;
use scripto_wire::Secret;
use serde::Serialize;

use crate::api::Client;
use crate::api::types::{
    ApiKey, CreateKey, ExpiresIn, KeyCreated, Role, Scope, Session, User, parse_expires_in,
};
use crate::context::{Context, shell_quote};
use crate::error::{Error, Result};
use crate::store::config_file::{ConfigFile, Profile};
use crate::store::{StorageKind, StoragePreference};

/// The flags of `auth login` and `auth login-complete` that shape the key
/// and the profile, carried through every step of a flow (and saved with an
/// MFA challenge).
#[derive(Debug, Clone, Default, Args)]
pub struct LoginOptions {
    /// Name of the key minted for this login [default: scripto-cli@HOST]
    #[arg(long = "name", value_name = "KEY_NAME")]
    pub key_name: Option<String>,

    /// Name of the profile to store it as [default: from the e-mail address]
    #[arg(long, value_name = "PROFILE")]
    pub profile_name: Option<String>,

    /// How long the key lives: 1y, 2y, 5y, 90d (any Nd from 1 to 1826) or never
    #[arg(long, value_name = "PERIOD", value_parser = parse_expires_in)]
    pub expires_in: Option<ExpiresIn>,

    /// Where to keep the key: the OS keyring, the config file, or the keyring when it answers (auto)
    #[arg(long, value_enum, value_name = "STORE")]
    pub storage: Option<StoragePreference>,
}

impl LoginOptions {
    /// The flags to repeat in a `next_action`, so the step an agent runs
    /// next ends the way this one was asked to.
    pub fn as_flags(&self) -> String {
        let mut flags = String::new();
        if let Some(name) = &self.key_name {
            flags.push_str(&format!(" --name {}", shell_quote(name)));
        }
        if let Some(profile) = &self.profile_name {
            flags.push_str(&format!(" --profile-name {}", shell_quote(profile)));
        }
        match self.expires_in {
            Some(ExpiresIn::Days(days)) => flags.push_str(&format!(" --expires-in {days}d")),
            Some(ExpiresIn::Never) => flags.push_str(" --expires-in never"),
            None => {}
        }
        if let Some(storage) = self.storage {
            let name = storage.as_str();
            flags.push_str(&format!(" --storage {name}"));
        }
        flags
    }
}

/// `--api-url` and `--config-dir` when they were given as flags: an agent's
/// next command must reach the same server and the same config.
pub fn global_flags(ctx: &Context) -> String {
    let mut flags = String::new();
    if let Some(url) = &ctx.invocation.api_url
        && url.source.is_flag()
    {
        flags.push_str(&format!(" --api-url {}", shell_quote(&url.value)));
    }
    flags.push_str(&config_dir_flag(ctx));
    flags
}

/// `--config-dir` when it was given as a flag; for a next step that finds
/// the server in the config directory (`auth mfa`).
pub fn config_dir_flag(ctx: &Context) -> String {
    match &ctx.invocation.config_dir {
        Some(dir) if dir.source.is_flag() => format!(
            " --config-dir {}",
            shell_quote(&dir.value.to_string_lossy())
        ),
        _ => String::new(),
    }
}

/// A profile is named after the account's e-mail address unless told
/// otherwise: its local part (`alice`), or the whole address made safe
/// (`alice-example.com`) when `alice` is already another account's profile.
pub fn default_profile_name(config: &ConfigFile, email: &str, api_url: &str) -> String {
    let email = email.trim().to_ascii_lowercase();
    let safe = |s: &str| -> String {
        let cleaned: String = s
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.') {
                    c
                } else {
                    '-'
                }
            })
            .collect();
        let cleaned = cleaned.trim_start_matches(['-', '.']).to_owned();
        cleaned.chars().take(64).collect()
    };
    let local = safe(email.split('@').next().unwrap_or(""));
    let local = if local.is_empty() {
        "default".to_owned()
    } else {
        local
    };
    let same_account = |p: &Profile| {
        p.api_url == api_url
            && p.email
                .as_deref()
                .is_some_and(|e| e.eq_ignore_ascii_case(&email))
    };
    match config.profiles.get(&local) {
        Some(existing) if !same_account(existing) => safe(&email),
        _ => local,
    }
}

/// `scripto-cli@<hostname>` for the key of every login flow, so the key
/// list says which machine holds each one.
pub fn login_key_name() -> String {
    let host = gethostname::gethostname().to_string_lossy().into_owned();
    if host.is_empty() {
        "scripto-cli".to_owned()
    } else {
        format!("scripto-cli@{host}")
    }
}

/// What the login commands print (and return under `--json`): the profile,
/// never the secret.
#[derive(Debug, Serialize)]
pub struct ProfileSummary {
    pub profile: String,
    pub active: bool,
    pub api_url: String,
    pub email: Option<String>,
    pub user_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub role: Option<Role>,
    pub key_id: Option<String>,
    pub key_name: Option<String>,
    pub key_start: String,
    pub scopes: Vec<Scope>,
    pub expires_at: Option<String>,
    pub storage: StorageKind,
    pub minted_by_cli: bool,
    /// When the profile was saved but not made active: how to use it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hint: Option<String>,
}

/// What is known about a new key when it is stored.
pub struct NewKey<'a> {
    pub api_url: &'a str,
    pub secret: &'a Secret,
    pub key: Option<&'a ApiKey>,
    pub user: Option<&'a User>,
    pub minted_by_cli: bool,
}

/// Builds the profile of a new key, stores it as `name` (active when
/// `make_active`), and returns what to show about it.
pub fn save_new_key(
    ctx: &Context,
    name: &str,
    new: &NewKey<'_>,
    storage: Option<StoragePreference>,
    make_active: bool,
) -> Result<ProfileSummary> {
    let mut profile = Profile::new(new.api_url, new.secret);
    if let Some(user) = new.user {
        profile.email = Some(user.email.clone());
        profile.user_id = Some(user.id.clone());
    }
    if let Some(key) = new.key {
        profile.key_id = Some(key.id.clone());
        profile.key_name = (!key.name.is_empty()).then(|| key.name.clone());
        profile.key_start = key.start.clone();
        profile.scopes = key.scopes.clone();
        profile.expires_at = key.expires_at.clone();
    }
    profile.minted_by_cli = new.minted_by_cli;
    profile.verified = true;
    let summary_base = profile.clone();
    let storage = ctx.save_profile(name, profile, new.secret, storage, make_active)?;
    Ok(ProfileSummary {
        profile: name.to_owned(),
        active: make_active,
        api_url: summary_base.api_url,
        email: summary_base.email,
        user_id: summary_base.user_id,
        role: new.user.map(|u| u.role),
        key_id: summary_base.key_id,
        key_name: summary_base.key_name,
        key_start: summary_base.key_start,
        scopes: summary_base.scopes,
        expires_at: summary_base.expires_at,
        storage,
        minted_by_cli: summary_base.minted_by_cli,
        hint: None,
    })
}

/// Runs `store`, which keeps a key the server has just minted for this
/// command. Every flow that mints then stores (each login path, `keys
/// create --save-as`) goes through here, so none can leave a key active on
/// the server whose secret nobody has: when storing fails, the key is
/// revoked (with itself: a key may always revoke itself) and the error says
/// so, keeping its own exit code; nothing is lost, the command can simply
/// be run again. Should the revocation fail too, the error hands the key
/// out, this one time, in `details` (and, for a person, alone on stdout).
/// A key that was not minted here (`--with-token`) is the user's own and
/// is left alone.
pub fn store_minted<T>(
    ctx: &Context,
    new: &NewKey<'_>,
    store: impl FnOnce() -> Result<T>,
) -> Result<T> {
    match store() {
        Ok(stored) => Ok(stored),
        Err(err) if !new.minted_by_cli => Err(err),
        Err(err) => Err(revoke_unstored(ctx, new, err)),
    }
}

fn revoke_unstored(ctx: &Context, new: &NewKey<'_>, err: Error) -> Error {
    let start = masked_start(scripto_wire::key_start(new.secret.expose()));
    let key_id = new.key.map(|k| k.id.clone());
    let revoked = match &key_id {
        Some(id) => ctx
            .anonymous_client_for(new.api_url)
            .and_then(|c| c.with_credential(new.secret.clone()))
            .and_then(|c| c.delete::<ApiKey>(&["keys", id]))
            .map(|_| ())
            .map_err(|e| e.message),
        None => Err("the server did not say its id".to_owned()),
    };
    let mut details = match err.details.clone() {
        Some(serde_json::Value::Object(map)) => map,
        _ => serde_json::Map::new(),
    };
    let message = match revoked {
        Ok(()) => {
            details.insert("revoked_key_id".into(), key_id.into());
            format!(
                "{}; the new key {start} was revoked on the server, so nothing is left behind",
                err.message
            )
        }
        Err(why) => {
            details.insert("key_id".into(), key_id.into());
            details.insert("api_key".into(), new.secret.expose().into());
            if !ctx.out.json {
                // Under --json the key is in the error's details instead.
                let mut stdout = io::stdout().lock();
                let _ = writeln!(stdout, "{}", new.secret.expose());
                let _ = stdout.flush();
            }
            format!(
                "{}; the new key {start} is active but could not be revoked ({why}): it is shown this once, store it now or revoke it",
                err.message
            )
        }
    };
    Error {
        message,
        details: Some(details.into()),
        ..err
    }
}

/// Stores a key a login produced as a profile, and prints the masked
/// summary. Every login flow ends here, so the rule of which profile is
/// active lives here once: see [`makes_active`]. A profile of the same name
/// that held a key the CLI had minted is replaced, and that old key
/// revoked, so that logging in again does not leave keys behind on the
/// server.
pub fn finish_login(ctx: &Context, new: NewKey<'_>, options: &LoginOptions) -> Result<()> {
    let (name, replaced, previous, mut summary) = store_minted(ctx, &new, || {
        let email = new.user.map(|u| u.email.as_str()).unwrap_or("");
        let config = ctx.config()?;
        let name = options
            .profile_name
            .clone()
            .unwrap_or_else(|| default_profile_name(&config, email, new.api_url));
        let replaced = config.profiles.get(&name).cloned();
        let previous = active_other_than(&config, &name);
        let make_active = makes_active(ctx, previous.as_deref());
        let summary = save_new_key(ctx, &name, &new, options.storage, make_active)?;
        Ok((name, replaced, previous, summary))
    })?;
    if let Some(old) = replaced {
        revoke_replaced_key(ctx, &name, &old, &new);
    }
    match previous {
        Some(previous) if summary.active => ctx.out.status(format!(
            "Profile {name} is now active in place of {previous} (`scripto profiles use {previous}` switches back)."
        )),
        Some(previous) => {
            let hint = format!(
                "profile {previous} stays active: use this login with --profile {name}, or make it active with `scripto profiles use {name}`"
            );
            ctx.out.status(format!("Profile {name} is saved; {hint}."));
            summary.hint = Some(hint);
        }
        None => {}
    }
    if std::env::var_os(crate::cli::env_vars::API_KEY).is_some_and(|v| !v.is_empty()) {
        // SCRIPTO_API_KEY beats the active profile: say so, or the login
        // would seem to have no effect.
        ctx.out.warn(format!(
            "{} is set and is used before the active profile: unset it, or pass --profile {name}",
            crate::cli::env_vars::API_KEY
        ));
    }
    print_login_summary(ctx, &summary, "Logged in")
}

/// The active profile, when it is another existing profile than `name`.
fn active_other_than(config: &ConfigFile, name: &str) -> Option<String> {
    config
        .active_profile
        .clone()
        .filter(|active| active != name && config.profiles.contains_key(active))
}

/// Whether a login makes its profile active. A person at a terminal logs in
/// to use the account, so it does (as `gh auth login` does). Without a
/// terminal the caller may be one agent among several sharing the config
/// directory, and switching the active profile under the others would send
/// their next commands to another account: it does only when no other
/// profile is active, and otherwise says how to use the new one.
fn makes_active(ctx: &Context, other_active: Option<&str>) -> bool {
    !ctx.no_input() || other_active.is_none()
}

fn revoke_replaced_key(ctx: &Context, name: &str, old: &Profile, new: &NewKey<'_>) {
    let new_id = new.key.map(|k| k.id.as_str());
    let Some(old_id) = old.key_id.as_deref() else {
        return;
    };
    let same_user = new.user.map(|u| u.id.as_str()) == old.user_id.as_deref();
    if !old.minted_by_cli || !same_user || old.api_url != new.api_url || Some(old_id) == new_id {
        return;
    }
    // Another profile may still use the old key (`keys create --save-as`).
    let shared = ctx.config().is_ok_and(|c| {
        c.profiles
            .iter()
            .any(|(n, p)| n != name && p.key_id.as_deref() == Some(old_id))
    });
    if shared {
        return;
    }
    let revoked = ctx
        .anonymous_client_for(new.api_url)
        .and_then(|c| c.with_credential(new.secret.clone()))
        .and_then(|c| c.delete::<ApiKey>(&["keys", old_id]));
    match revoked {
        Ok(_) => ctx.out.status(format!(
            "Revoked {old_id} ({}…), the key of the earlier login to profile {name}.",
            old.key_start
        )),
        Err(err) => ctx.out.warn(format!(
            "the key {} that profile {name} held before could not be revoked: {}; revoke it with `scripto keys revoke {old_id}`",
            old.key_start, err.message
        )),
    }
}

pub fn print_login_summary(ctx: &Context, summary: &ProfileSummary, verb: &str) -> Result<()> {
    ctx.out.success(summary, |w| {
        let who = summary.email.as_deref().unwrap_or("an unknown account");
        let role = summary
            .role
            .map(|r| format!(" ({})", r.as_str()))
            .unwrap_or_default();
        writeln!(w, "{verb} to {} as {who}{role}.", summary.api_url)?;
        writeln!(
            w,
            "Profile {} is {}; its key {} ({}) is stored in {}.",
            summary.profile,
            if summary.active {
                "now active"
            } else {
                "saved"
            },
            summary.key_name.as_deref().unwrap_or("(unnamed)"),
            masked_start(&summary.key_start),
            storage_label(summary.storage),
        )?;
        if let Some(expires) = &summary.expires_at {
            writeln!(w, "The key expires at {expires}.")?;
        }
        Ok(())
    })
}

pub fn storage_label(storage: StorageKind) -> &'static str {
    match storage {
        StorageKind::Keyring => "the OS keyring",
        StorageKind::File => "the config file",
    }
}

pub fn scope_names(scopes: &[Scope]) -> String {
    if scopes.is_empty() {
        return "-".to_owned();
    }
    scopes
        .iter()
        .map(|s| s.as_str())
        .collect::<Vec<_>>()
        .join(",")
}

/// A key's public start, written as the masked key it stands for.
pub fn masked_start(start: &str) -> String {
    format!("{start}…")
}

/// With the session a password login produced, mints the CLI's own key and
/// stores it; the session token is dropped with the client that used it.
pub fn mint_with_session(
    ctx: &Context,
    anonymous: &Client,
    session: Session,
    options: &LoginOptions,
) -> Result<()> {
    let with_session = anonymous.with_credential(session.access_token)?;
    let request = CreateKey {
        name: options.key_name.clone().unwrap_or_else(login_key_name),
        key_type: None,
        scopes: None,
        project_ids: None,
        expires_in_days: options.expires_in.and_then(ExpiresIn::days),
        allowed_ips: None,
        expires_in_seconds: None,
    };
    let created: KeyCreated = with_session
        .post(&["keys"], &request)
        .map_err(|e| {
            if e.kind == crate::error::ErrorKind::Forbidden {
                e.with_next_action(
                    "ask an admin for the developer role, or log in with a one-time code: scripto auth login --email <address>",
                )
            } else {
                e
            }
        })?
        .data;
    drop(with_session);
    finish_login(
        ctx,
        NewKey {
            api_url: anonymous.base_url(),
            secret: &created.api_key,
            key: Some(&created.key),
            user: Some(&session.user),
            minted_by_cli: true,
        },
        options,
    )
}

/// The first line of stdin, for `--password-stdin`, `--with-token` and
/// `--code-stdin`. Nothing is echoed, and an empty line is refused.
pub fn read_stdin_line(what: &str, flag: &str) -> Result<Secret> {
    let mut line = String::new();
    io::stdin()
        .lock()
        .take_line(&mut line)
        .map_err(|e| Error::usage(format!("could not read the {what} from stdin: {e}")))?;
    let value = line.trim_end_matches(['\r', '\n']).trim();
    if value.is_empty() {
        return Err(Error::usage(format!("{flag} read no {what} from stdin"))
            .with_next_action(format!("pipe the {what} in: … | scripto auth {flag}")));
    }
    Ok(Secret::new(value))
}

trait TakeLine {
    fn take_line(&mut self, buf: &mut String) -> io::Result<usize>;
}

impl<R: BufRead> TakeLine for R {
    /// One line, at most 64 KiB: stdin may be anything.
    fn take_line(&mut self, buf: &mut String) -> io::Result<usize> {
        use std::io::Read;
        self.take(64 * 1024).read_line(buf)
    }
}

/// Asks for a line of plain (echoed) text at the terminal.
pub fn prompt_line(question: &str) -> Result<String> {
    if !io::stdin().is_terminal() {
        return Err(Error::usage(format!(
            "{question} cannot be asked without a terminal"
        )));
    }
    Ok(crate::context::ask_line(question)?.trim().to_owned())
}

/// How many codes a person at a terminal may type before a login stops.
pub const CODE_TRIES: u32 = 3;

/// At a terminal, asks for a code (echoed as typed: a one-time code is no
/// password) and hands it to `redeem`, up to [`CODE_TRIES`] times. A wrong
/// code (`otp_invalid`, `mfa_invalid`, or one `check` refuses) asks again,
/// saying how many tries are left, so a typo does not end the login; any
/// other error ends it. An empty answer stops with `no_code_entered`.
pub fn ask_code<T>(
    ctx: &Context,
    question: &str,
    check: impl Fn(&Secret) -> Result<()>,
    mut redeem: impl FnMut(Secret) -> Result<T>,
) -> Result<T> {
    let mut tries = 0;
    loop {
        tries += 1;
        if ctx.no_input() {
            return Err(Error::usage(format!(
                "{question} cannot be asked without a terminal"
            )));
        }
        let answer = crate::context::ask_line(question)?;
        let code = Secret::new(answer.trim());
        if code.expose().is_empty() {
            return Err(Error::usage("no code was entered").with_code("no_code_entered"));
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
            let message = format!(
                "{}, and that was the last try ({tries} wrong codes were typed)",
                err.message
            );
            return Err(Error { message, ..err });
        }
        let plural = if left == 1 { "try" } else { "tries" };
        ctx.out
            .warn(format!("{}; {left} {plural} left", err.message));
    }
}

fn is_wrong_code(err: &Error) -> bool {
    matches!(
        err.code.as_str(),
        "otp_invalid" | "mfa_invalid" | "invalid_code_format"
    )
}

/// A 6-digit one-time or TOTP code, checked before it is sent.
pub fn check_six_digits(code: &Secret, flag: &str) -> Result<()> {
    let value = code.expose();
    if value.len() == 6 && value.bytes().all(|b| b.is_ascii_digit()) {
        Ok(())
    } else {
        Err(Error::usage(format!("{flag} takes the 6-digit code")).with_code("invalid_code_format"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn profile(api_url: &str, email: &str) -> Profile {
        let mut p = Profile::new(api_url, &Secret::new("scripto_x"));
        p.email = Some(email.to_owned());
        p
    }

    #[test]
    fn a_profile_is_named_after_the_local_part_unless_another_account_has_it() {
        let mut config = ConfigFile::default();
        assert_eq!(
            default_profile_name(&config, "Ada.L@Example.com", "u"),
            "ada.l"
        );
        config
            .profiles
            .insert("ada".into(), profile("u", "ada@example.com"));
        assert_eq!(default_profile_name(&config, "ada@example.com", "u"), "ada");
        assert_eq!(
            default_profile_name(&config, "ada@other.org", "u"),
            "ada-other.org"
        );
        assert_eq!(
            default_profile_name(&config, "ada@example.com", "v"),
            "ada-example.com"
        );
    }

    #[test]
    fn values_are_quoted_for_the_shell_only_when_needed() {
        assert_eq!(shell_quote("a@b.c"), "a@b.c");
        assert_eq!(shell_quote("my key"), "'my key'");
        assert_eq!(shell_quote("it's"), r"'it'\''s'");
    }
}
