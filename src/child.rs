//! Running another program as `scripto run` does: its stdio is ours, its
//! environment is ours plus the variables given, its exit status becomes
//! ours (128+N when a signal ended it), and SIGINT, SIGTERM and SIGHUP sent
//! to scripto are passed on to it. scripto itself survives those signals
//! until the child has exited, so it can clean up after it (revoke an
//! ephemeral key).
//!
//! A signal the terminal sends (Ctrl-C) already reaches the child, which is
//! in the same foreground process group: it is not sent a second time. Only
//! a signal sent to scripto alone (`kill PID`) is forwarded.
//!
//! On other systems the child is run and waited for, without forwarding.

use scripto_wire::codes;
use std::ffi::OsString;
use std::process::Command;

use scripto_wire::Secret;

use crate::error::{Error, Result};

/// What to run: the program, its arguments, and the variables to add.
pub struct Child<'a> {
    pub program: &'a OsString,
    pub args: &'a [OsString],
    pub env: Vec<(&'static str, EnvValue<'a>)>,
}

/// A variable's value; a key stays a [`Secret`] until it is handed over.
pub enum EnvValue<'a> {
    Plain(&'a str),
    Secret(&'a Secret),
}

/// Catches the forwarded signals from now on (so a signal that arrives
/// before the child exists is remembered, not fatal). Call before any work
/// that must be undone if scripto is interrupted.
pub fn catch_signals() {
    #[cfg(unix)]
    unix::install();
}

/// The signal scripto received before the child started, if any.
pub fn pending_signal() -> Option<i32> {
    #[cfg(unix)]
    {
        unix::pending()
    }
    #[cfg(not(unix))]
    {
        None
    }
}

/// Runs `child` to its end; its exit status as ours.
pub fn run(child: &Child<'_>) -> Result<u8> {
    let mut command = Command::new(child.program);
    command.args(child.args);
    for (name, value) in &child.env {
        match value {
            EnvValue::Plain(v) => command.env(name, v),
            EnvValue::Secret(s) => command.env(name, s.expose()),
        };
    }
    let mut process = command.spawn().map_err(|err| {
        let shown = child.program.to_string_lossy();
        let (code, what) = match err.kind() {
            std::io::ErrorKind::NotFound => (codes::cli::COMMAND_NOT_FOUND, "no such command"),
            std::io::ErrorKind::PermissionDenied => {
                (codes::cli::COMMAND_NOT_EXECUTABLE, "not executable")
            }
            _ => (codes::cli::COMMAND_FAILED_TO_START, "could not be started"),
        };
        Error::usage(format!("cannot run `{shown}`: {what} ({err})")).with_code(code)
    })?;
    #[cfg(unix)]
    unix::forward_to(process.id());
    let status = process
        .wait()
        .map_err(|err| Error::unexpected(format!("could not wait for the command: {err}")))?;
    #[cfg(unix)]
    unix::forward_to(0);
    Ok(exit_code(status))
}

fn exit_code(status: std::process::ExitStatus) -> u8 {
    if let Some(code) = status.code() {
        return code as u8;
    }
    #[cfg(unix)]
    {
        use std::os::unix::process::ExitStatusExt;
        if let Some(signal) = status.signal() {
            return (128 + signal) as u8;
        }
    }
    1
}

#[cfg(unix)]
mod unix {
    use std::sync::atomic::{AtomicI32, Ordering};

    /// The child's pid once it runs (0 before and after).
    static CHILD: AtomicI32 = AtomicI32::new(0);
    /// The last signal received while there was no child to pass it to.
    static PENDING: AtomicI32 = AtomicI32::new(0);

    const FORWARDED: [libc::c_int; 3] = [libc::SIGINT, libc::SIGTERM, libc::SIGHUP];

    /// Only async-signal-safe work here: atomics and `kill`.
    extern "C" fn on_signal(signal: libc::c_int, info: *mut libc::siginfo_t, _: *mut libc::c_void) {
        // `si_code` > 0: the kernel sent it (the terminal's Ctrl-C to the
        // whole foreground group, which the child got too).
        // SAFETY: the kernel passes a valid siginfo_t with SA_SIGINFO.
        let from_kernel = !info.is_null() && unsafe { (*info).si_code } > 0;
        let child = CHILD.load(Ordering::SeqCst);
        if child > 0 {
            if !from_kernel {
                // SAFETY: kill is async-signal-safe; the pid is our child's.
                unsafe {
                    libc::kill(child, signal);
                }
            }
        } else {
            PENDING.store(signal, Ordering::SeqCst);
        }
    }

    pub fn install() {
        for signal in FORWARDED {
            // SAFETY: a zeroed sigaction with our handler and an empty mask
            // is a valid argument; the handler only touches atomics.
            unsafe {
                let mut action: libc::sigaction = std::mem::zeroed();
                action.sa_sigaction = on_signal as *const () as usize;
                action.sa_flags = libc::SA_SIGINFO | libc::SA_RESTART;
                libc::sigemptyset(&mut action.sa_mask);
                libc::sigaction(signal, &action, std::ptr::null_mut());
            }
        }
    }

    pub fn pending() -> Option<i32> {
        match PENDING.load(Ordering::SeqCst) {
            0 => None,
            signal => Some(signal),
        }
    }

    /// From now on, signals go to `pid` (0: nobody). A signal that came
    /// while there was no child is passed on as the child starts, so an
    /// interrupt right at the start is not lost.
    pub fn forward_to(pid: u32) {
        CHILD.store(pid as i32, Ordering::SeqCst);
        if pid > 0
            && let Some(signal) = pending()
        {
            PENDING.store(0, Ordering::SeqCst);
            // SAFETY: plain kill of our own child.
            unsafe {
                libc::kill(pid as i32, signal);
            }
        }
    }
}
