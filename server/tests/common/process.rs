//! The `scripto-server` binary run as a real process on a loopback port, for
//! tests that may only use what an operator and a client see: its command
//! line flags and its HTTP API (no library types, no SQL), so that they keep
//! testing the same contract whatever the server's insides become.
//!
//! Not part of `common/mod.rs` on purpose: a test that includes it with
//! `#[path = "common/process.rs"] mod process;` does not depend on the
//! server's library API.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

/// How long a server has to answer its first `/v1/health`.
const START_TIMEOUT: Duration = Duration::from_secs(20);

/// The binary with none of the caller's `SCRIPTO_SERVER_*` settings, which
/// would otherwise change what the test runs against.
pub fn command() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_scripto-server"));
    for (name, _) in std::env::vars_os() {
        if name.to_string_lossy().starts_with("SCRIPTO_SERVER_") {
            c.env_remove(name);
        }
    }
    c
}

/// Runs an admin subcommand (`users add`, `users set-role`, `projects add`)
/// on `db`; its output, whatever its exit status.
pub fn admin(db: &Path, args: &[&str], stdin: Option<&str>) -> Output {
    use std::io::Write as _;
    let mut child = command()
        .args(args)
        .arg("--db")
        .arg(db)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("scripto-server runs");
    let mut input = child.stdin.take().expect("piped stdin");
    if let Some(s) = stdin {
        input.write_all(s.as_bytes()).expect("stdin written");
    }
    drop(input);
    child.wait_with_output().expect("scripto-server exits")
}

/// A running `scripto-server serve`, killed when dropped.
pub struct ServerProcess {
    child: Child,
    /// `http://127.0.0.1:PORT`, no trailing slash.
    pub url: String,
    log: PathBuf,
}

impl ServerProcess {
    /// Serves `db` on a free loopback port with `extra` flags; returns once
    /// `/v1/health` answers 200. The log goes to `server.log` beside `db`.
    pub async fn start(db: &Path, extra: &[&str]) -> ServerProcess {
        Self::start_logging(db.as_os_str(), &db.with_file_name("server.log"), extra).await
    }

    /// Serves `db` (a path or a PostgreSQL URL) with `extra` flags, its
    /// log to `log`; returns once `/v1/health` answers 200.
    pub async fn start_logging(db: &std::ffi::OsStr, log: &Path, extra: &[&str]) -> ServerProcess {
        Self::launch(db, log, extra, &[]).await
    }

    /// As [`ServerProcess::start`], with `env` set: settings that are no
    /// flags (a secret).
    pub async fn start_with_env(db: &Path, extra: &[&str], env: &[(&str, &str)]) -> ServerProcess {
        Self::launch(db.as_os_str(), &db.with_file_name("server.log"), extra, env).await
    }

    async fn launch(
        db: &std::ffi::OsStr,
        log: &Path,
        extra: &[&str],
        env: &[(&str, &str)],
    ) -> ServerProcess {
        let log = log.to_path_buf();
        // A port found free can be taken before the server binds it: a
        // server that exits at once is retried on another.
        for _ in 0..3 {
            let port = free_port();
            let child = command()
                .args(["serve", "--addr", &format!("127.0.0.1:{port}"), "--db"])
                .arg(db)
                .args(extra)
                .envs(env.iter().copied())
                .stdin(Stdio::null())
                .stdout(Stdio::null())
                .stderr(std::fs::File::create(&log).expect("log file"))
                .spawn()
                .expect("scripto-server starts");
            let mut server = ServerProcess {
                child,
                url: format!("http://127.0.0.1:{port}"),
                log: log.clone(),
            };
            if server.wait_until_healthy().await {
                return server;
            }
        }
        panic!(
            "scripto-server did not start 3 times; its log:\n{}",
            read(&log)
        );
    }

    /// True once `/v1/health` answers 200; false when the process exited
    /// first. Panics, with the log, after [`START_TIMEOUT`].
    async fn wait_until_healthy(&mut self) -> bool {
        let client = reqwest::Client::builder()
            .timeout(Duration::from_secs(2))
            .build()
            .expect("client");
        let deadline = Instant::now() + START_TIMEOUT;
        loop {
            if let Ok(r) = client.get(format!("{}/v1/health", self.url)).send().await
                && r.status() == reqwest::StatusCode::OK
            {
                return true;
            }
            if self.child.try_wait().expect("child status").is_some() {
                return false;
            }
            assert!(
                Instant::now() < deadline,
                "scripto-server did not answer /v1/health within {START_TIMEOUT:?}; its log:\n{}",
                read(&self.log)
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Kills the process with SIGKILL: no shutdown, nothing flushed.
    pub fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    /// What the server logged so far.
    pub fn log(&self) -> String {
        read(&self.log)
    }
}

impl Drop for ServerProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("a free port");
    listener.local_addr().expect("its address").port()
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path)
        .unwrap_or_else(|e| format!("(cannot read {}: {e})", path.display()))
}
