//! A real `scripto-server` for one test, started in-process on a loopback
//! port, with helpers to add users, read one-time codes from its outbox, and
//! drive the `scripto` binary against it with a fresh config directory.
//!
//! Every `scripto` run here has stdin closed and a time limit, so a command
//! that wrongly waits for input fails the test instead of hanging it.

#![allow(dead_code)]

use std::path::PathBuf;
use std::process::Output;
use std::time::{Duration, Instant};

use assert_cmd::Command;
use scripto_server::admin::{self, AddUser, AddedUser};
use scripto_server::{BackgroundServer, Config, PasswordHashing};
use scripto_wire::types::Role;
use serde_json::Value;
use tempfile::TempDir;

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
        let mut cmd = bare_scripto();
        cmd.env("SCRIPTO_CONFIG_DIR", self.path())
            .env("SCRIPTO_API_URL", server);
        cmd
    }
}

/// `scripto` with no scripto setting from the environment of the test run,
/// stdin closed, no keyring, and a time limit.
pub fn bare_scripto() -> Command {
    let mut cmd = Command::cargo_bin("scripto").expect("scripto binary");
    for var in [
        "SCRIPTO_PROFILE",
        "SCRIPTO_API_KEY",
        "SCRIPTO_API_URL",
        "SCRIPTO_CONFIG_DIR",
        "SCRIPTO_OUTPUT",
        "SCRIPTO_NO_INPUT",
        "SCRIPTO_TIMEOUT",
        "NO_COLOR",
        "XDG_CONFIG_HOME",
        "RUST_BACKTRACE",
    ] {
        cmd.env_remove(var);
    }
    // With nothing to write, assert_cmd gives the child a stdin that is
    // closed at once: not a terminal, and end-of-file on any read.
    cmd.env("SCRIPTO_KEYRING", "none").timeout(RUN_LIMIT);
    cmd
}

/// What one run printed, and how it ended.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.stdout).unwrap_or_else(|e| {
            panic!(
                "stdout is not one JSON document ({e}):\n{}\nstderr:\n{}",
                self.stdout, self.stderr
            )
        })
    }

    #[track_caller]
    pub fn ok(self) -> Self {
        assert_eq!(
            self.code, 0,
            "exit {}\nstdout:\n{}\nstderr:\n{}",
            self.code, self.stdout, self.stderr
        );
        self
    }

    #[track_caller]
    pub fn exit(self, code: i32) -> Self {
        assert_eq!(
            self.code, code,
            "expected exit {code}, got {}\nstdout:\n{}\nstderr:\n{}",
            self.code, self.stdout, self.stderr
        );
        self
    }

    /// Everything the run printed.
    pub fn all(&self) -> String {
        format!("{}{}", self.stdout, self.stderr)
    }
}

pub fn run(cmd: &mut Command) -> Run {
    let Output {
        status,
        stdout,
        stderr,
    } = cmd.output().expect("scripto runs");
    Run {
        code: status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&stdout).into_owned(),
        stderr: String::from_utf8_lossy(&stderr).into_owned(),
    }
}

/// Runs `scripto ARGS` with this config and server.
pub fn scripto(config: &ConfigDir, server: &str, args: &[&str]) -> Run {
    run(config.scripto(server).args(args))
}

/// Logs `email` in with the one-time-code flow, as an agent would, storing
/// the key in the config file as profile `profile`. Returns the login's JSON.
pub fn login(config: &ConfigDir, server: &TestServer, email: &str, profile: &str) -> Value {
    scripto(config, &server.url(), &["auth", "login", "--email", email]).exit(9);
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
    .ok()
    .json()
}

/// The stored key of `profile`, read from config.json.
pub fn stored_key(config: &ConfigDir, profile: &str) -> String {
    config.config_json()["profiles"][profile]["api_key"]
        .as_str()
        .unwrap_or_else(|| panic!("profile {profile} has no key in the file"))
        .to_owned()
}

/// `scripto` at a real terminal: run under `script(1)`, which gives it a
/// pseudo-terminal as stdin, stdout and stderr. Lines sent are typed at that
/// terminal. Tests using it skip themselves where `script` is missing.
pub struct Terminal {
    child: std::process::Child,
    /// What the terminal has shown so far (read on a thread, so a prompt can
    /// be waited for before typing: typed ahead, a password would be echoed
    /// before the prompt turns echo off, as it would for a person).
    screen: std::sync::Arc<std::sync::Mutex<String>>,
    reader: Option<std::thread::JoinHandle<()>>,
}

impl Terminal {
    #[track_caller]
    pub fn spawn(config: &ConfigDir, server: &str, args: &[&str]) -> Self {
        crate::support::require_script();
        let scripto = assert_cmd::cargo::cargo_bin("scripto");
        let mut line = shell_word(&scripto.to_string_lossy());
        for arg in args {
            line.push(' ');
            line.push_str(&shell_word(arg));
        }
        let child = std::process::Command::new("script")
            .args(["-qec", &line, "/dev/null"])
            .env_remove("SCRIPTO_API_KEY")
            .env_remove("SCRIPTO_PROFILE")
            .env_remove("SCRIPTO_NO_INPUT")
            .env_remove("SCRIPTO_OUTPUT")
            .env_remove("RUST_BACKTRACE")
            .env("SCRIPTO_CONFIG_DIR", config.path())
            .env("SCRIPTO_API_URL", server)
            .env("SCRIPTO_KEYRING", "none")
            .env("NO_COLOR", "1")
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("script(1) runs");
        let mut child = child;
        let screen = std::sync::Arc::new(std::sync::Mutex::new(String::new()));
        let mut stdout = child.stdout.take().expect("stdout");
        let shown = screen.clone();
        let reader = std::thread::spawn(move || {
            use std::io::Read;
            let mut buf = [0u8; 4096];
            while let Ok(n) = stdout.read(&mut buf) {
                if n == 0 {
                    break;
                }
                shown
                    .lock()
                    .unwrap()
                    .push_str(&String::from_utf8_lossy(&buf[..n]));
            }
        });
        Self {
            child,
            screen,
            reader: Some(reader),
        }
    }

    /// What the terminal has shown so far.
    pub fn shown(&self) -> String {
        self.screen.lock().unwrap().clone()
    }

    /// Waits until the terminal shows `text` (a prompt).
    pub fn wait_for(&self, text: &str) {
        let deadline = Instant::now() + Duration::from_secs(20);
        while !self.screen.lock().unwrap().contains(text) {
            assert!(
                Instant::now() < deadline,
                "the terminal never showed {text:?}:\n{}",
                self.screen.lock().unwrap()
            );
            std::thread::sleep(Duration::from_millis(10));
        }
    }

    /// Types `line` and Enter, a moment after the prompt showed, as a person
    /// would: a password prompt is printed before echo is turned off, and a
    /// line typed in between would be echoed.
    pub fn send(&mut self, line: &str) {
        use std::io::Write;
        std::thread::sleep(Duration::from_millis(300));
        let stdin = self.child.stdin.as_mut().expect("stdin");
        stdin
            .write_all(format!("{line}\n").as_bytes())
            .and_then(|()| stdin.flush())
            .expect("typed");
    }

    /// Waits for the command to end (killing it after [`RUN_LIMIT`]), and
    /// returns what the terminal showed.
    pub fn finish(mut self) -> Run {
        let deadline = Instant::now() + RUN_LIMIT;
        loop {
            if let Some(status) = self.child.try_wait().expect("wait") {
                drop(self.child.stdin.take());
                if let Some(reader) = self.reader.take() {
                    let _ = reader.join();
                }
                let stdout = self.screen.lock().unwrap().clone();
                let mut stderr = String::new();
                use std::io::Read;
                if let Some(mut err) = self.child.stderr.take() {
                    let _ = err.read_to_string(&mut stderr);
                }
                return Run {
                    code: status.code().unwrap_or(-1),
                    stdout,
                    stderr,
                };
            }
            if Instant::now() > deadline {
                let _ = self.child.kill();
                panic!("scripto at a terminal did not finish within {RUN_LIMIT:?}");
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

fn shell_word(value: &str) -> String {
    format!("'{}'", value.replace('\'', r"'\''"))
}
