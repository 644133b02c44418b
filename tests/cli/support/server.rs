//! A real `scripto-server` for one test, started in-process on a loopback
//! port, with helpers to add users, read one-time codes from its outbox, and
//! drive the `scripto` binary against it with a fresh config directory.
//!
//! Every `scripto` run here has stdin closed and a time limit, so a command
//! that wrongly waits for input fails the test instead of hanging it, and
//! the environment of every run is `support::isolated_env`.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use assert_cmd::Command;
use scripto_server::admin::{self, AddUser, AddedUser};
use scripto_server::{BackgroundServer, Config, PasswordHashing};
use scripto_wire::types::Role;
use serde_json::Value;
use tempfile::TempDir;

use crate::support::terminal::Terminal;
use crate::support::{Outcome, isolated_env, outcome};

/// Argon2 at its cheapest: these tests check flows, not hashing cost.
pub const CHEAP_HASHING: PasswordHashing = PasswordHashing {
    memory_kib: 64,
    iterations: 1,
    parallelism: 1,
};

/// The longest any single `scripto` run may take in a test.
pub const RUN_LIMIT: Duration = Duration::from_secs(60);

pub struct TestServer {
    server: BackgroundServer,
    _dir: TempDir,
}

impl TestServer {
    pub fn start() -> Self {
        Self::start_with(|_| {})
    }

    /// Starts a server after `tune` has adjusted its configuration.
    pub fn start_with(tune: impl FnOnce(&mut Config)) -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        let mut config = Config::in_dir(dir.path());
        config.limits.password_hashing = CHEAP_HASHING;
        config.log_codes = false;
        tune(&mut config);
        let server = scripto_server::spawn_background(config).expect("server starts");
        Self { server, _dir: dir }
    }

    pub fn url(&self) -> String {
        self.server.url()
    }

    pub fn db(&self) -> &scripto_server::admin::Target {
        self.server.db()
    }

    /// A user with a password and no MFA.
    pub fn add_user(&self, email: &str, role: Role, password: &str) -> AddedUser {
        self.add(email, role, Some(password), false)
    }

    /// A user with a password and TOTP (plus backup codes).
    pub fn add_mfa_user(&self, email: &str, role: Role, password: &str) -> AddedUser {
        self.add(email, role, Some(password), true)
    }

    fn add(&self, email: &str, role: Role, password: Option<&str>, mfa: bool) -> AddedUser {
        admin::add_user_with(
            self.db(),
            AddUser {
                email: email.to_owned(),
                role,
                org: None,
                password: password.map(str::to_owned),
                mfa,
                issuer: None,
            },
            &CHEAP_HASHING,
        )
        .expect("user added")
    }

    /// The newest one-time code sent to `email`, read from the outbox.
    pub fn last_code(&self, email: &str) -> String {
        let deadline = Instant::now() + Duration::from_secs(5);
        loop {
            let text = std::fs::read_to_string(self.server.outbox_path()).unwrap_or_default();
            let code = text
                .lines()
                .rev()
                .filter_map(|l| serde_json::from_str::<Value>(l).ok())
                .filter(|m| m["to"].as_str() == Some(email))
                .find_map(|m| m["code"].as_str().map(str::to_owned));
            if let Some(code) = code {
                return code;
            }
            assert!(
                Instant::now() < deadline,
                "no code for {email} in the outbox"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

/// The current TOTP code for a secret the admin tool printed.
pub fn totp(secret_base32: &str) -> String {
    scripto_server::totp_now(secret_base32)
}

/// A fresh, empty config directory for one test; `path` is a subdirectory
/// that does not exist yet, as on a machine where scripto never ran.
pub struct ConfigDir {
    dir: TempDir,
}

impl ConfigDir {
    pub fn new() -> Self {
        Self {
            dir: tempfile::tempdir().expect("temp dir"),
        }
    }

    pub fn path(&self) -> PathBuf {
        self.dir.path().join("scripto")
    }

    /// The HOME (and working directory) of runs with this config: the
    /// temporary directory that holds it.
    pub fn home(&self) -> &Path {
        self.dir.path()
    }

    pub fn config_file(&self) -> PathBuf {
        self.path().join("config.json")
    }

    /// config.json as it is on disk now (empty if there is none).
    pub fn config_text(&self) -> String {
        std::fs::read_to_string(self.config_file()).unwrap_or_default()
    }

    pub fn config_json(&self) -> Value {
        serde_json::from_str(&self.config_text()).unwrap_or(Value::Null)
    }

    /// `scripto` with this config directory and `server` as its server.
    pub fn scripto(&self, server: &str) -> Command {
        let mut cmd = scripto_in(self.home());
        cmd.env("SCRIPTO_CONFIG_DIR", self.path())
            .env("SCRIPTO_API_URL", server);
        cmd
    }
}

/// `scripto` in `home` (HOME and working directory), with the isolated
/// environment, stdin closed and a time limit.
fn scripto_in(home: &Path) -> Command {
    let mut cmd = Command::new(crate::support::SCRIPTO);
    // With nothing to write, assert_cmd gives the child a stdin that is
    // closed at once: not a terminal, and end-of-file on any read.
    cmd.env_clear()
        .envs(isolated_env(home))
        .current_dir(home)
        .timeout(RUN_LIMIT);
    cmd
}

/// `scripto` with no config of its own: HOME is an empty directory shared
/// by such runs (they never write to it).
pub fn bare_scripto() -> Command {
    static EMPTY_HOME: std::sync::OnceLock<TempDir> = std::sync::OnceLock::new();
    scripto_in(
        EMPTY_HOME
            .get_or_init(|| tempfile::tempdir().expect("temp dir"))
            .path(),
    )
}

/// What one run printed, and how it ended: the one result type of every
/// helper.
pub type Run = Outcome;

pub fn run(cmd: &mut Command) -> Run {
    outcome(cmd)
}

/// Runs `scripto ARGS` with this config and server.
pub fn scripto(config: &ConfigDir, server: &str, args: &[&str]) -> Run {
    run(config.scripto(server).args(args))
}

/// Runs `scripto --json ARGS` with this config and server, which must
/// succeed; the JSON document it printed.
#[track_caller]
pub fn scripto_json(config: &ConfigDir, server: &str, args: &[&str]) -> Value {
    let mut all = vec!["--json"];
    all.extend_from_slice(args);
    scripto(config, server, &all).success().json()
}

/// `keys create --name NAME` with this config and server: the new key, as
/// printed alone on stdout.
#[track_caller]
pub fn create_key(config: &ConfigDir, server: &str, name: &str) -> String {
    scripto(config, server, &["keys", "create", "--name", name])
        .success()
        .stdout
        .trim()
        .to_owned()
}

/// Logs `email` in with the one-time-code flow, as an agent would, storing
/// the key in the config file as profile `profile`. Returns the login's JSON.
pub fn login(config: &ConfigDir, server: &TestServer, email: &str, profile: &str) -> Value {
    scripto(config, &server.url(), &["auth", "login", "--email", email]).code(9);
    let code = server.last_code(email);
    scripto(
        config,
        &server.url(),
        &[
            "--json",
            "auth",
            "login-complete",
            "--email",
            email,
            "--code",
            &code,
            "--profile-name",
            profile,
            "--storage",
            "file",
        ],
    )
    .success()
    .json()
}

/// The stored key of `profile`, read from config.json.
pub fn stored_key(config: &ConfigDir, profile: &str) -> String {
    config.config_json()["profiles"][profile]["api_key"]
        .as_str()
        .unwrap_or_else(|| panic!("profile {profile} has no key in the file"))
        .to_owned()
}

impl Terminal {
    /// `scripto ARGS` at a terminal with this config and `server`, colour
    /// off.
    #[track_caller]
    pub fn spawn(config: &ConfigDir, server: &str, args: &[&str]) -> Self {
        let config_dir = config.path();
        Terminal::start(
            config.home(),
            &[
                (
                    "SCRIPTO_CONFIG_DIR",
                    config_dir.to_str().expect("UTF-8 path"),
                ),
                ("SCRIPTO_API_URL", server),
                ("NO_COLOR", "1"),
            ],
            args,
            None,
        )
    }
}
