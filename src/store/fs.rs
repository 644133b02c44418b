//! Private files beside config.json, written and locked one way: created
//! 0600 (directories 0700) from the start, replaced atomically so a reader
//! or a crash sees the old content or the new, read only when they are
//! regular files, and locked with a bounded wait. config.json, the MFA
//! challenge, the device login and the keyring's lock all go through here.

use std::fs::{self, DirBuilder, File, OpenOptions, TryLockError};
use std::io::{self, Read, Write};
#[cfg(unix)]
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// The most read of a private file: far more than any config file.
pub const MAX_FILE_BYTES: u64 = 4 << 20;

/// Creates `dir` and its missing parents, 0700.
pub fn create_private_dir(dir: &Path) -> io::Result<()> {
    let mut builder = DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    builder.mode(0o700);
    builder.create(dir)
}

/// A fresh name in `dir` for the temporary copy of a file being replaced:
/// `prefix`, the process id and a random part, `.tmp`.
pub fn temp_path(dir: &Path, prefix: &str) -> PathBuf {
    dir.join(format!(
        "{prefix}{}.{:08x}.tmp",
        std::process::id(),
        fastrand::u32(..)
    ))
}

/// Waits at most `wait` for the advisory lock on the file at `path`
/// (created 0600 if need be); `None` when another process still holds it
/// then. The lock is released when the file is dropped, or the process
/// dies, which is what makes a lock file safer than a `create_new` marker.
pub fn lock_file(path: &Path, wait: Duration) -> io::Result<Option<File>> {
    let file = private_file()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(path)?;
    let deadline = Instant::now() + wait;
    let mut pause = Duration::from_millis(1);
    loop {
        match file.try_lock() {
            Ok(()) => return Ok(Some(file)),
            Err(TryLockError::WouldBlock) if Instant::now() < deadline => {
                // A little jitter keeps fifty waiters from waking in step.
                std::thread::sleep(pause + Duration::from_micros(fastrand::u64(0..1000)));
                pause = (pause * 2).min(Duration::from_millis(20));
            }
            Err(TryLockError::WouldBlock) => return Ok(None),
            Err(TryLockError::Error(err)) => return Err(err),
        }
    }
}

/// Replaces `target` with `bytes` so that a reader, or a crash at any
/// instant, sees the old content or the new, never part of it: `temp` (a new
/// file 0600 from the start, in the same directory) is written, fsynced and
/// renamed over `target`, and the directory fsynced. `temp` is removed on
/// failure.
pub fn replace_private_file(temp: &Path, target: &Path, bytes: &[u8]) -> io::Result<()> {
    let written = (|| {
        let mut file = private_file().write(true).create_new(true).open(temp)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        drop(file);
        fs::rename(temp, target)
    })();
    if let Err(err) = written {
        let _ = fs::remove_file(temp);
        return Err(err);
    }
    // The rename is only durable once the directory entry is on disk.
    if let Some(dir) = target.parent()
        && let Ok(dir) = File::open(if dir.as_os_str().is_empty() {
            Path::new(".")
        } else {
            dir
        })
    {
        let _ = dir.sync_all();
    }
    Ok(())
}

/// The bytes of a small private file beside config.json (an MFA
/// challenge), read with the same care as config.json: only a regular file, at most
/// [`MAX_FILE_BYTES`] of it.
pub fn read_regular_file(path: &Path) -> io::Result<Vec<u8>> {
    let file = open_regular_file(path)?;
    let mut bytes = Vec::new();
    file.take(MAX_FILE_BYTES).read_to_end(&mut bytes)?;
    Ok(bytes)
}

/// Opens `path` for reading only when it is a regular file (or a symlink to
/// one). A FIFO, a device or a socket put at config.json must never block a
/// command or feed it endless bytes: the open does not wait (`O_NONBLOCK`,
/// so a FIFO without a writer opens at once), and the type is checked on the
/// open file itself, so it cannot be swapped between a check and the open.
/// Anything else is `InvalidInput`, whose message names what was found.
pub fn open_regular_file(path: &Path) -> io::Result<File> {
    let mut options = OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    options.custom_flags(libc::O_NONBLOCK | libc::O_NOCTTY);
    let file = options.open(path)?;
    let file_type = file.metadata()?.file_type();
    if file_type.is_file() {
        return Ok(file);
    }
    if file_type.is_dir() {
        return Err(io::Error::from(io::ErrorKind::IsADirectory));
    }
    Err(io::Error::new(
        io::ErrorKind::InvalidInput,
        describe_file_type(&file_type),
    ))
}

/// What a non-regular file is, in words.
fn describe_file_type(file_type: &fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if file_type.is_fifo() {
            return "a named pipe (FIFO)";
        }
        if file_type.is_socket() {
            return "a socket";
        }
        if file_type.is_char_device() || file_type.is_block_device() {
            return "a device";
        }
    }
    let _ = file_type;
    "an unknown kind of file"
}

/// Options for a file only its owner may read: created 0600 from the start,
/// not chmod-ed after it already held data.
fn private_file() -> OpenOptions {
    let mut options = OpenOptions::new();
    #[cfg(unix)]
    options.mode(0o600);
    options
}
