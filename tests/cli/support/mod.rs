//! Helpers shared by the tests: a sandbox per test (its own HOME, config
//! directory and environment), valid keys, and one run of the binary.
//!
//! Every run of scripto in every test, whichever helper starts it (here,
//! `server`, a terminal), starts from [`isolated_env`]: an empty
//! environment but for `PATH`, a `HOME` of the test's own, and
//! `SCRIPTO_KEYRING=none`, in that home as its working directory. So no
//! `SCRIPTO_*`, `NO_COLOR`, `XDG_*` or D-Bus variable of the developer's
//! shell leaks in, no `.scripto.toml` above the checkout is found, and no
//! test touches the developer's real keyring unless it asks for one.

#![allow(dead_code)]

pub mod server;
pub mod terminal;

use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::process::Output;
use std::time::{Duration, Instant};

use assert_cmd::Command;
use serde_json::Value;
use tempfile::TempDir;

/// The binary under test.
pub const SCRIPTO: &str = env!("CARGO_BIN_EXE_scripto");

/// The whole environment of a scripto run in a test: `PATH`, `home` as
/// `HOME`, and no keyring. A builder calls `env_clear()` first, then adds
/// these (and whatever the test sets on top).
pub fn isolated_env(home: &Path) -> Vec<(&'static str, std::ffi::OsString)> {
    vec![
        ("PATH", std::env::var_os("PATH").unwrap_or_default()),
        ("HOME", home.as_os_str().to_owned()),
        ("SCRIPTO_KEYRING", "none".into()),
    ]
}

/// Quotes a word for `sh`, always: for the command lines the terminal
/// drivers hand to `script(1)` and `bash`.
pub fn shell_word(value: &str) -> String {
    format!("'{}'", value.replace('\'', r"'\''"))
}

/// A test's private world: `root/home` is HOME, and config.json lives in
/// `home/.config/scripto` through `XDG_CONFIG_HOME`, as on a real machine.
pub struct Sandbox {
    root: TempDir,
}

impl Default for Sandbox {
    fn default() -> Self {
        Self::new()
    }
}

impl Sandbox {
    pub fn new() -> Self {
        let root = tempfile::tempdir().expect("temp dir");
        std::fs::create_dir(root.path().join("home")).expect("home");
        Self { root }
    }

    pub fn root(&self) -> &Path {
        self.root.path()
    }

    pub fn home(&self) -> PathBuf {
        self.root.path().join("home")
    }

    pub fn config_dir(&self) -> PathBuf {
        self.home().join(".config").join("scripto")
    }

    pub fn config_file(&self) -> PathBuf {
        self.config_dir().join("config.json")
    }

    /// config.json as text; empty when there is none.
    pub fn config_text(&self) -> String {
        std::fs::read_to_string(self.config_file()).unwrap_or_default()
    }

    /// config.json parsed; panics when it does not parse.
    pub fn config_json(&self) -> Value {
        let text = self.config_text();
        serde_json::from_str(&text)
            .unwrap_or_else(|e| panic!("config.json does not parse ({e}):\n{text}"))
    }

    /// Writes config.json as is, creating the directory (0700) and the file
    /// (0600) as scripto would.
    pub fn write_config(&self, text: &str) {
        use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt};
        std::fs::DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(self.config_dir())
            .expect("config dir");
        let mut file = std::fs::OpenOptions::new()
            .write(true)
            .create(true)
            .truncate(true)
            .mode(0o600)
            .open(self.config_file())
            .expect("config file");
        std::io::Write::write_all(&mut file, text.as_bytes()).expect("write config");
    }

    /// `scripto` in this sandbox: empty environment but for `PATH`, `HOME`
    /// and `XDG_CONFIG_HOME`, no keyring, stdin an empty pipe (never a
    /// terminal), a time limit.
    pub fn cmd(&self) -> Command {
        let mut cmd = Command::new(SCRIPTO);
        cmd.env_clear()
            .envs(isolated_env(&self.home()))
            .env("XDG_CONFIG_HOME", self.home().join(".config"))
            .current_dir(self.home())
            .timeout(Duration::from_secs(60));
        cmd
    }

    /// The same as [`Sandbox::cmd`] as a plain `std::process::Command`, for
    /// tests that spawn many processes at once or kill them; stdin and
    /// stdout are null, stderr is piped.
    pub fn spawnable(&self) -> std::process::Command {
        let mut cmd = std::process::Command::new(SCRIPTO);
        cmd.env_clear()
            .envs(isolated_env(&self.home()))
            .env("XDG_CONFIG_HOME", self.home().join(".config"))
            .current_dir(self.home())
            .stdin(std::process::Stdio::null())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::piped());
        cmd
    }

    /// Runs `scripto ARGS` in this sandbox.
    pub fn run(&self, args: &[&str]) -> Outcome {
        outcome(self.cmd().args(args))
    }

    /// Runs `scripto ARGS` with extra environment variables.
    pub fn run_env(&self, env: &[(&str, &str)], args: &[&str]) -> Outcome {
        let mut cmd = self.cmd();
        for (name, value) in env {
            cmd.env(name, value);
        }
        outcome(cmd.args(args))
    }

    /// Stores `key` as `profile` in the config file, unverified.
    pub fn store_key(&self, profile: &str, key: &str) -> Outcome {
        self.run(&[
            "config",
            "set",
            "--api-key",
            key,
            "--profile-name",
            profile,
            "--no-verify",
            "--storage",
            "file",
        ])
        .success()
    }
}

/// How one run ended, and what it printed.
#[derive(Debug)]
pub struct Outcome {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
    pub elapsed: Duration,
}

impl Outcome {
    #[track_caller]
    pub fn success(self) -> Self {
        self.code(0)
    }

    #[track_caller]
    pub fn code(self, code: i32) -> Self {
        assert_eq!(
            self.code, code,
            "expected exit {code}, got {}\nstdout:\n{}\nstderr:\n{}",
            self.code, self.stdout, self.stderr
        );
        self
    }

    /// A failed `--json` run: exit `exit` and `error.code` `code`, checked
    /// together (the pair a script relies on); the run is kept for more.
    #[track_caller]
    pub fn expect_error(self, exit: i32, code: &str) -> Self {
        let outcome = self.code(exit);
        assert_eq!(outcome.error()["code"], code, "stderr:\n{}", outcome.stderr);
        outcome
    }

    /// stdout as the one JSON document `--json` promises.
    #[track_caller]
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.stdout).unwrap_or_else(|e| {
            panic!(
                "stdout is not one JSON document ({e}):\n{}\nstderr:\n{}",
                self.stdout, self.stderr
            )
        })
    }

    /// `data` of a successful `--json` run.
    #[track_caller]
    pub fn data(&self) -> Value {
        let doc = self.json();
        assert_eq!(doc["success"], true, "{doc}");
        doc["data"].clone()
    }

    /// `error` of a failed `--json` run.
    #[track_caller]
    pub fn error(&self) -> Value {
        let doc = self.json();
        assert_eq!(doc["success"], false, "{doc}");
        doc["error"].clone()
    }

    pub fn all(&self) -> String {
        format!("{}{}", self.stdout, self.stderr)
    }
}

pub fn outcome(cmd: &mut Command) -> Outcome {
    let started = Instant::now();
    let Output {
        status,
        stdout,
        stderr,
    } = cmd.output().expect("scripto runs");
    Outcome {
        code: status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&stdout).into_owned(),
        stderr: String::from_utf8_lossy(&stderr).into_owned(),
        elapsed: started.elapsed(),
    }
}

/// A valid key (right format and checksum), different for each `n`, and
/// with a different public start (`scripto_` + 4 characters) for each `n`
/// below 62⁴, so tests can tell keys apart by what scripto shows of them.
pub fn key(n: u32) -> String {
    let alphabet = scripto_wire::key::BASE62;
    let mut start = String::new();
    let mut rest = n;
    for _ in 0..4 {
        start.insert(0, alphabet[(rest % 62) as usize] as char);
        rest /= 62;
    }
    let random = format!("{start}TestKeyTestKeyTestKeyTestKey");
    assert_eq!(random.len(), scripto_wire::key::RANDOM_LEN);
    scripto_wire::key::format_key(&random)
}

/// Whether the tests run as root, for whom file permissions do not stop
/// writes (the unwritable-file tests then use a read-only file system).
pub fn running_as_root() -> bool {
    std::fs::metadata("/proc/self").is_ok_and(|m| m.uid() == 0)
}

/// The permission bits of `path`.
pub fn mode(path: &Path) -> u32 {
    std::fs::metadata(path).expect("metadata").mode() & 0o7777
}

/// Runs `scripto ARGS` in `sandbox` at a terminal ([`terminal::Terminal`]);
/// `line` (if not empty) is typed after a short pause, then Enter, and the
/// input ends. Returns the exit code and what the terminal showed.
pub fn run_at_terminal(
    sandbox: &Sandbox,
    env: &[(&str, &str)],
    args: &[&str],
    line: &str,
) -> (i32, String) {
    let config_home = sandbox.home().join(".config");
    let mut all_env = vec![
        ("XDG_CONFIG_HOME", config_home.to_str().expect("UTF-8 path")),
        ("TERM", "dumb"),
    ];
    all_env.extend_from_slice(env);
    let mut terminal = terminal::Terminal::start(&sandbox.home(), &all_env, args, None);
    std::thread::sleep(Duration::from_millis(500));
    if !line.is_empty() {
        terminal.type_ahead(line);
    }
    terminal.close_input();
    let out = terminal.finish();
    (out.code, out.stdout)
}

/// The terminal tests need util-linux `script(1)` (Debian: bsdutils); CI
/// has it, so its absence is a failure with the reason, never a pass.
#[track_caller]
pub fn require_script() {
    let found = std::process::Command::new("script")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    assert!(
        found,
        "util-linux script(1) is needed to run scripto at a terminal; install it (apt-get install bsdutils)"
    );
}
