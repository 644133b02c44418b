//! The device login behind `scripto auth login --web` and `scripto auth
//! login-complete --device` (OAuth 2.0 Device Authorization Grant, RFC 8628).
//!
//! The CLI asks the server for a device code and a short user code; a
//! person opens the verification URL in a browser, signs in there (with
//! their second factor) and approves the code; the CLI's polling then gets
//! the key, which is stored like the key of any other login.
//!
//! At a terminal one command does it all: it prints the URL and the code,
//! opens a browser, and polls with a spinner. Without one (an agent), the
//! command starts the login, saves the device code in `device-login.json`
//! (0600, beside the MFA challenge) and exits 9 with the URL and the code
//! for the agent to show its human; `login-complete --device` then checks
//! once, or polls for up to `--wait` seconds.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant, SystemTime};

use scripto_wire::{Secret, codes};
use serde::{Deserialize, Serialize};
use serde_json::json;

use super::store::{self, KeyToStore};
use super::{LoginOptions, login_key_name};
use crate::api::Client;
use crate::api::types::{
    DeviceAuthorization, DeviceStartRequest, DeviceTokenRequest, LoginCompleted, parse_time,
};
use crate::context::Context;
use crate::error::{Error, ErrorKind, Result};
use crate::next_action::global_flags;
use crate::store::StoragePreference;
use crate::store::fs as private_fs;

const FILE_NAME: &str = "device-login.json";
const VERSION: u32 = 1;
/// What `--wait` the exit-9 answer suggests: long enough for a person to
/// approve, short enough for an agent's tool call.
const SUGGESTED_WAIT: u64 = 60;
/// Added to every wait between polls, so that a poll never reaches the
/// server a little before the interval is over (`slow_down`).
const POLL_MARGIN: Duration = Duration::from_millis(250);
/// What RFC 8628 says a `slow_down` adds, if the server does not say the
/// new interval.
const SLOW_DOWN_STEP: u64 = 5;

/// A device login waiting for approval, as `login --web` leaves it without
/// a terminal.
#[derive(Debug, Serialize, Deserialize)]
struct SavedDevice {
    version: u32,
    api_url: String,
    device_code: Secret,
    user_code: String,
    verification_uri: String,
    verification_uri_complete: String,
    expires_at: String,
    interval: u64,
    /// Unix seconds before which the server would answer `slow_down`.
    #[serde(default)]
    next_poll_at: Option<u64>,
    #[serde(default)]
    profile_name: Option<String>,
    #[serde(default)]
    storage: Option<String>,
}

impl SavedDevice {
    fn options(&self) -> LoginOptions {
        use clap::ValueEnum;
        LoginOptions {
            key_name: None,
            profile_name: self.profile_name.clone(),
            expires_in: None,
            storage: self
                .storage
                .as_deref()
                .and_then(|s| StoragePreference::from_str(s, true).ok()),
        }
    }

    fn details(&self) -> serde_json::Value {
        json!({
            "user_code": self.user_code,
            "verification_uri": self.verification_uri,
            "verification_uri_complete": self.verification_uri_complete,
            "expires_at": self.expires_at,
        })
    }
}

/// `scripto auth login --web`.
pub fn login(ctx: &Context, options: &LoginOptions, no_browser: bool) -> Result<()> {
    if options.expires_in.is_some() {
        return Err(Error::usage(
            "--expires-in does not apply to --web: the key a browser approves does not expire (revoke it with scripto keys revoke)",
        ));
    }
    let anonymous = ctx.anonymous_client()?;
    // The device code is a credential: refuse plain http before asking.
    anonymous.require_private_transport()?;
    let started: DeviceAuthorization = anonymous
        .post(
            &["auth", "device"],
            &DeviceStartRequest {
                key_name: Some(options.key_name.clone().unwrap_or_else(login_key_name)),
                client_name: Some(client_name()),
            },
        )?
        .data;
    let expires_at = SystemTime::now() + Duration::from_secs(started.expires_in);
    let saved = SavedDevice {
        version: VERSION,
        api_url: anonymous.base_url().to_owned(),
        device_code: started.device_code,
        user_code: started.user_code,
        verification_uri: started.verification_uri,
        verification_uri_complete: started.verification_uri_complete,
        expires_at: humantime::format_rfc3339_seconds(expires_at).to_string(),
        interval: started.interval.max(1),
        next_poll_at: None,
        profile_name: options.profile_name.clone(),
        storage: options.storage.map(|s| s.as_str().to_owned()),
    };
    if ctx.no_input() {
        save(ctx, &saved)?;
        return Err(pending_error(ctx, &saved, "approve the login in a browser"));
    }
    ctx.out.status(format!(
        "Open {} in a browser, sign in, and check that it shows the code {}.",
        saved.verification_uri_complete, saved.user_code
    ));
    if !no_browser && !open_browser(&saved.verification_uri_complete) {
        ctx.out
            .status("No browser could be opened here: open the address above yourself.");
    }
    let deadline = Instant::now() + Duration::from_secs(started.expires_in);
    let mut saved = saved;
    // The waiting line below stands for the polls: none of their own.
    let anonymous = anonymous.with_spinner(false);
    let done = poll_until(ctx, &anonymous, &mut saved, deadline, true)?;
    match done {
        Some(done) => store(ctx, &anonymous, &done, options),
        None => Err(expired(ctx)),
    }
}

/// `scripto auth login-complete --device [--wait SECONDS]`; `given`'s
/// `--profile-name` and `--storage` win over those `login --web` saved.
pub fn complete(ctx: &Context, wait: Option<u64>, given: &LoginOptions) -> Result<()> {
    let mut saved = load(ctx)?;
    let expires_at = parse_time(&saved.expires_at);
    if expires_at.is_none_or(|t| t <= SystemTime::now()) {
        discard(ctx);
        return Err(expired(ctx));
    }
    let anonymous = ctx.anonymous_client_for(&saved.api_url)?;
    anonymous.require_private_transport()?;
    let wait = Duration::from_secs(wait.unwrap_or(0));
    let deadline = Instant::now() + wait;
    let result = poll_until(ctx, &anonymous, &mut saved, deadline, false);
    match result {
        Ok(Some(done)) => {
            discard(ctx);
            let mut options = saved.options();
            if given.profile_name.is_some() {
                options.profile_name = given.profile_name.clone();
            }
            if given.storage.is_some() {
                options.storage = given.storage;
            }
            store(ctx, &anonymous, &done, &options)
        }
        Ok(None) => {
            save(ctx, &saved)?;
            Err(pending_error(
                ctx,
                &saved,
                "the login is not approved yet; approve it in a browser",
            ))
        }
        Err(e) => {
            if matches!(
                e.code.as_str(),
                codes::cli::DEVICE_LOGIN_DENIED | codes::cli::DEVICE_LOGIN_EXPIRED
            ) {
                discard(ctx);
            } else {
                let _ = save(ctx, &saved);
            }
            Err(e)
        }
    }
}

/// Polls until the key comes, the login ends, or `deadline` passes
/// (`None`: still pending). Always polls at least once; waits
/// `interval` between polls and grows it on `slow_down`.
fn poll_until(
    ctx: &Context,
    client: &Client,
    saved: &mut SavedDevice,
    deadline: Instant,
    spinner: bool,
) -> Result<Option<LoginCompleted>> {
    let mut spin = Spinner::new(ctx, spinner);
    // A poll sooner than the server allows would only slow the login down.
    if let Some(at) = saved.next_poll_at {
        let now = unix_now();
        if at > now {
            spin.sleep(Duration::from_secs(at - now) + POLL_MARGIN);
        }
    }
    loop {
        let answer = client.post::<_, LoginCompleted>(
            &["auth", "device", "token"],
            &DeviceTokenRequest {
                device_code: saved.device_code.clone(),
            },
        );
        saved.next_poll_at = Some(unix_now() + saved.interval);
        let err = match answer {
            Ok(done) => {
                spin.clear();
                return Ok(Some(done.data));
            }
            Err(err) => err,
        };
        let interval = err
            .details
            .as_ref()
            .and_then(|d| d.get("interval"))
            .and_then(serde_json::Value::as_u64);
        match err.code.as_str() {
            codes::server::AUTHORIZATION_PENDING => {
                if let Some(i) = interval {
                    saved.interval = i.max(1);
                }
            }
            codes::server::SLOW_DOWN => {
                saved.interval = interval.unwrap_or(saved.interval + SLOW_DOWN_STEP).max(1);
            }
            codes::server::ACCESS_DENIED => {
                spin.clear();
                return Err(Error::new(
                    ErrorKind::NotAuthenticated,
                    "the login was denied in the browser",
                )
                .with_code(codes::cli::DEVICE_LOGIN_DENIED)
                .with_next_action(again(ctx)));
            }
            codes::server::EXPIRED_TOKEN => {
                spin.clear();
                return Err(expired(ctx));
            }
            _ => {
                spin.clear();
                return Err(err);
            }
        }
        saved.next_poll_at = Some(unix_now() + saved.interval);
        let pause = Duration::from_secs(saved.interval) + POLL_MARGIN;
        if Instant::now() + pause > deadline {
            spin.clear();
            return Ok(None);
        }
        spin.sleep(pause);
    }
}

fn store(
    ctx: &Context,
    client: &Client,
    done: &LoginCompleted,
    options: &LoginOptions,
) -> Result<()> {
    store::finish(
        ctx,
        KeyToStore {
            api_url: client.base_url(),
            secret: &done.api_key,
            key: Some(&done.key),
            user: Some(&done.user),
            minted_by_cli: true,
        },
        options,
    )
}

/// Exit 9: the URL and code for a person, and the step that finishes.
fn pending_error(ctx: &Context, saved: &SavedDevice, what: &str) -> Error {
    Error::input_needed(
        format!(
            "{what}: open {} and check that it shows the code {}",
            saved.verification_uri_complete, saved.user_code
        ),
        format!(
            "scripto auth login-complete --device --wait {SUGGESTED_WAIT}{}",
            global_flags(&ctx.invocation)
        ),
    )
    .with_code(codes::cli::DEVICE_APPROVAL_NEEDED)
    .with_details(saved.details())
}

fn expired(ctx: &Context) -> Error {
    Error::new(
        ErrorKind::NotAuthenticated,
        "the browser login expired before it was approved (it waits 10 minutes)",
    )
    .with_code(codes::cli::DEVICE_LOGIN_EXPIRED)
    .with_next_action(again(ctx))
}

/// The step that starts a browser login again, for the same server and config.
fn again(ctx: &Context) -> String {
    format!("scripto auth login --web{}", global_flags(&ctx.invocation))
}

/// What the approval page calls this client: the machine it runs on.
fn client_name() -> String {
    let host = gethostname::gethostname().to_string_lossy().into_owned();
    let name = if host.trim().is_empty() {
        "scripto CLI".to_owned()
    } else {
        format!("scripto CLI on {host}")
    };
    name.chars().filter(|c| !c.is_control()).take(100).collect()
}

/// Opens `url` in the desktop's browser; false when nothing here can.
fn open_browser(url: &str) -> bool {
    let mut command = if cfg!(target_os = "macos") {
        std::process::Command::new("open")
    } else if cfg!(windows) {
        let mut c = std::process::Command::new("cmd");
        c.args(["/C", "start", ""]);
        c
    } else {
        // No display: xdg-open would find nothing to open it with.
        if std::env::var_os("DISPLAY").is_none() && std::env::var_os("WAYLAND_DISPLAY").is_none() {
            return false;
        }
        std::process::Command::new("xdg-open")
    };
    let spawned = command
        .arg(url)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn();
    match spawned {
        Ok(mut child) => {
            // Reaped on a thread, so the opener leaves no zombie behind.
            std::thread::spawn(move || child.wait());
            true
        }
        Err(_) => false,
    }
}

/// The waiting line at a terminal: a spinner on stderr, redrawn while
/// sleeping between polls; nothing otherwise.
struct Spinner {
    on: bool,
    frame: usize,
    started: Instant,
}

impl Spinner {
    fn new(ctx: &Context, wanted: bool) -> Self {
        let on = wanted && ctx.out.wants_spinner(ctx.verbose());
        Self {
            on,
            frame: 0,
            started: Instant::now(),
        }
    }

    fn sleep(&mut self, pause: Duration) {
        if !self.on {
            std::thread::sleep(pause);
            return;
        }
        const FRAMES: [char; 4] = ['|', '/', '-', '\\'];
        let until = Instant::now() + pause;
        while Instant::now() < until {
            let secs = self.started.elapsed().as_secs();
            let _ = write!(
                std::io::stderr(),
                "\r{} Waiting for approval in the browser ({secs} s)",
                FRAMES[self.frame % FRAMES.len()]
            );
            let _ = std::io::stderr().flush();
            self.frame += 1;
            std::thread::sleep(Duration::from_millis(120).min(until - Instant::now()));
        }
    }

    fn clear(&mut self) {
        if self.on {
            let _ = write!(std::io::stderr(), "\r\x1b[2K");
            let _ = std::io::stderr().flush();
            self.on = false;
        }
    }
}

fn unix_now() -> u64 {
    SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

fn path(ctx: &Context) -> Result<PathBuf> {
    Ok(ctx.config_dir()?.join(FILE_NAME))
}

/// Replaces the device login's file atomically, 0600 from the start (the
/// device code is a credential until it expires), in a 0700 directory.
fn save(ctx: &Context, saved: &SavedDevice) -> Result<()> {
    let path = path(ctx)?;
    let dir = path.parent().unwrap_or(Path::new("."));
    private_fs::create_private_dir(dir).map_err(|e| {
        Error::config(format!(
            "could not create the config directory {}: {e}",
            dir.display()
        ))
    })?;
    let json = serde_json::to_vec_pretty(saved)
        .map_err(|e| Error::unexpected(format!("could not encode the device login: {e}")))?;
    let tmp = private_fs::temp_path(dir, &format!("{FILE_NAME}."));
    private_fs::replace_private_file(&tmp, &path, &json).map_err(|e| {
        Error::config(format!(
            "could not write the device login {}: {e}",
            path.display()
        ))
    })
}

fn load(ctx: &Context) -> Result<SavedDevice> {
    let path = path(ctx)?;
    let again = again(ctx);
    let bytes = match private_fs::read_regular_file(&path) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(Error::usage(
                "no browser login is waiting: start one with `auth login --web`",
            )
            .with_code(codes::cli::NO_DEVICE_LOGIN)
            .with_next_action(again));
        }
        Err(e) => {
            return Err(Error::config(format!(
                "could not read the device login {}: {e}",
                path.display()
            )));
        }
    };
    serde_json::from_slice(&bytes).map_err(|e| {
        Error::config(format!(
            "the device login {} is not readable ({e}); start again",
            path.display()
        ))
        .with_next_action(again)
    })
}

fn discard(ctx: &Context) {
    if let Ok(path) = path(ctx) {
        let _ = fs::remove_file(path);
    }
}
