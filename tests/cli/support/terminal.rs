//! The one terminal driver of the tests: scripto under util-linux
//! `script(1)`, whose pseudo-terminal is its stdin, stdout and stderr.

use std::path::Path;
use std::time::{Duration, Instant};

use super::server::{RUN_LIMIT, Run};
use super::{Outcome, SCRIPTO, isolated_env, require_script, shell_word};

/// `scripto` at a real terminal: run under `script(1)`, which gives it a
/// pseudo-terminal as stdin, stdout and stderr. Lines sent are typed at that
/// terminal. Without `script` a test using it fails, saying so
/// ([`require_script`]). The one terminal driver of the tests.
pub struct Terminal {
    child: std::process::Child,
    /// What the terminal has shown so far (read on a thread, so a prompt can
    /// be waited for before typing: typed ahead, a password would be echoed
    /// before the prompt turns echo off, as it would for a person).
    screen: std::sync::Arc<std::sync::Mutex<String>>,
    reader: Option<std::thread::JoinHandle<()>>,
}

impl Terminal {
    /// `scripto ARGS` at a terminal (of `cols` columns when given), in
    /// `home` with the isolated environment and `env` on top.
    #[track_caller]
    pub fn start(home: &Path, env: &[(&str, &str)], args: &[&str], cols: Option<u16>) -> Self {
        require_script();
        let mut line = match cols {
            Some(cols) => format!("stty cols {cols}; {}", shell_word(SCRIPTO)),
            None => shell_word(SCRIPTO),
        };
        for arg in args {
            line.push(' ');
            line.push_str(&shell_word(arg));
        }
        let mut child = std::process::Command::new("script");
        child
            .args(["-qec", &line, "/dev/null"])
            .env_clear()
            .envs(isolated_env(home))
            .current_dir(home)
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped());
        for (name, value) in env {
            child.env(name, value);
        }
        let mut child = child.spawn().expect("script(1) runs");
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

    /// Types `line` and Enter whether or not anything asks for it; a
    /// command that has already ended (it did not ask) is no error here:
    /// what it showed and its exit code say so.
    pub fn type_ahead(&mut self, line: &str) {
        use std::io::Write;
        if let Some(stdin) = self.child.stdin.as_mut() {
            let _ = stdin
                .write_all(format!("{line}\n").as_bytes())
                .and_then(|()| stdin.flush());
        }
    }

    /// Nothing more will be typed: the terminal's input ends.
    pub fn close_input(&mut self) {
        drop(self.child.stdin.take());
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
        let stdin = self.child.stdin.as_mut().expect("input still open");
        stdin
            .write_all(format!("{line}\n").as_bytes())
            .and_then(|()| stdin.flush())
            .expect("typed");
    }

    /// Waits for the command to end (killing it after [`RUN_LIMIT`]), and
    /// returns what the terminal showed.
    pub fn finish(mut self) -> Run {
        let started = Instant::now();
        let deadline = started + RUN_LIMIT;
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
                return Outcome {
                    code: status.code().unwrap_or(-1),
                    stdout,
                    stderr,
                    elapsed: started.elapsed(),
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
