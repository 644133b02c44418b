//! `config.json`: the only module that reads or writes it.
//!
//! Readers take no lock: every write replaces the file with a rename, so a
//! reader sees the old file or the new one, never a torn one. Writers
//! serialise on an advisory lock on a separate `config.json.lock` (the file
//! itself is replaced, so it cannot carry the lock), re-read under the lock so
//! that fifty concurrent writers lose nothing, write a temporary file in the
//! same directory, fsync it, rename it over, and fsync the directory so the
//! rename survives a power cut.
//!
//! The directory is created 0700 and every file 0600 from the start: a key is
//! never readable by others, not even for the instant before a `chmod`.
//! A file that does not parse is never overwritten: the error names the file,
//! the line and the column, and the user decides what to do with it.

use scripto_wire::codes;
use std::fs::{self, File};
use std::io::{self, Read};
#[cfg(unix)]
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::time::Duration;

use super::config_layout::ConfigFile;
use super::config_layout::{VERSION, corrupt, parse};
use super::fs as private_fs;
use crate::error::{Error, Result};

pub const FILE_NAME: &str = "config.json";
pub const LOCK_FILE_NAME: &str = "config.json.lock";
/// A writer waits this long for another scripto to finish its write. Writes
/// take milliseconds; this only ends a wait on a stuck process.
const LOCK_WAIT: Duration = Duration::from_secs(20);
const TEMP_PREFIX: &str = ".config.json.";
const TEMP_SUFFIX: &str = ".tmp";

/// What a read found besides the content.
#[derive(Debug, Clone)]
pub struct Loaded {
    pub config: ConfigFile,
    /// Group or others may read it: used anyway, with a warning.
    pub too_open: bool,
}

/// `config.json` in one directory.
#[derive(Debug, Clone)]
pub struct ConfigStore {
    dir: PathBuf,
    path: PathBuf,
}

impl ConfigStore {
    pub fn new(dir: impl Into<PathBuf>) -> Self {
        let dir = dir.into();
        let path = dir.join(FILE_NAME);
        Self { dir, path }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The file as it is now, without a lock; the empty default when it does
    /// not exist yet.
    pub fn read(&self) -> Result<Loaded> {
        let file = match private_fs::open_regular_file(&self.path) {
            Ok(file) => file,
            Err(err) if err.kind() == io::ErrorKind::NotFound => {
                return Ok(Loaded {
                    config: ConfigFile::default(),
                    too_open: false,
                });
            }
            Err(err) => return Err(self.read_error(err)),
        };
        #[cfg(unix)]
        let too_open = file
            .metadata()
            .map(|m| m.permissions().mode() & 0o077 != 0)
            .unwrap_or(false);
        #[cfg(not(unix))]
        let too_open = false;
        let mut bytes = Vec::new();
        file.take(private_fs::MAX_FILE_BYTES + 1)
            .read_to_end(&mut bytes)
            .map_err(|err| self.read_error(err))?;
        if bytes.len() as u64 > private_fs::MAX_FILE_BYTES {
            return Err(corrupt(
                &self.path,
                format!(
                    "{} is larger than {} MiB, far more than any config file",
                    self.path.display(),
                    private_fs::MAX_FILE_BYTES >> 20
                ),
            ));
        }
        let config = parse(&bytes, &self.path)?;
        Ok(Loaded { config, too_open })
    }

    /// Locks, re-reads, lets `change` edit the content, and writes it back
    /// atomically. Nothing is written when `change` fails or the file on disk
    /// does not parse.
    pub fn update<T>(&self, change: impl FnOnce(&mut ConfigFile) -> Result<T>) -> Result<T> {
        self.create_dir()?;
        let _lock = self.lock()?;
        self.remove_stale_temp_files();
        let mut config = self.read()?.config;
        let answer = change(&mut config)?;
        config.version = VERSION;
        self.write(&config)?;
        Ok(answer)
    }

    /// Creates the directory (and its missing parents) 0700.
    fn create_dir(&self) -> Result<()> {
        match fs::metadata(&self.dir) {
            Ok(meta) if meta.is_dir() => return Ok(()),
            Ok(_) => return Err(self.dir_is_not_a_directory()),
            Err(err) if err.kind() == io::ErrorKind::NotFound => {}
            Err(err) if err.kind() == io::ErrorKind::NotADirectory => {
                return Err(self.dir_is_not_a_directory());
            }
            Err(err) => return Err(self.dir_error(err)),
        }
        private_fs::create_private_dir(&self.dir).map_err(|err| match err.kind() {
            io::ErrorKind::NotADirectory | io::ErrorKind::AlreadyExists => {
                self.dir_is_not_a_directory()
            }
            _ => self.dir_error(err),
        })
    }

    /// The advisory lock that serialises writers; released when the returned
    /// file is dropped (or the process dies, which is what makes a lock file
    /// safer than a `create_new` marker).
    fn lock(&self) -> Result<File> {
        let lock_path = self.dir.join(LOCK_FILE_NAME);
        match private_fs::lock_file(&lock_path, LOCK_WAIT) {
            Ok(Some(file)) => Ok(file),
            Ok(None) => Err(Error::config(format!(
                "another scripto process has held the lock on {} for {} seconds",
                lock_path.display(),
                LOCK_WAIT.as_secs()
            ))
            .with_code(codes::cli::CONFIG_LOCKED)
            .with_next_action("wait for the other scripto command to finish, then retry")),
            Err(err) => Err(self.write_error(&lock_path, err)),
        }
    }

    /// Temporary files left by a writer that was killed mid-write. Only the
    /// lock holder writes one, so under the lock any that exists is stale.
    fn remove_stale_temp_files(&self) {
        let target = self.write_target();
        let mut dirs = vec![self.dir.clone()];
        dirs.extend(target.parent().map(Path::to_path_buf));
        dirs.dedup();
        for dir in dirs {
            let Ok(entries) = fs::read_dir(&dir) else {
                continue;
            };
            for entry in entries.flatten() {
                let name = entry.file_name();
                let name = name.to_string_lossy();
                if name.starts_with(TEMP_PREFIX) && name.ends_with(TEMP_SUFFIX) {
                    let _ = fs::remove_file(entry.path());
                }
            }
        }
    }

    fn write(&self, config: &ConfigFile) -> Result<()> {
        let mut bytes = serde_json::to_vec_pretty(config)
            .map_err(|err| Error::unexpected(format!("could not encode the config: {err}")))?;
        bytes.push(b'\n');
        let target = self.write_target();
        let target_dir = target.parent().unwrap_or(&self.dir).to_owned();
        let temp = private_fs::temp_path(&target_dir, TEMP_PREFIX);
        private_fs::replace_private_file(&temp, &target, &bytes)
            .map_err(|err| self.write_error(&target, err))
    }

    /// The file a write replaces: config.json, or what it points to when it
    /// is a symlink (a dotfiles manager's), so the link survives the write.
    fn write_target(&self) -> PathBuf {
        match fs::symlink_metadata(&self.path) {
            Ok(meta) if meta.file_type().is_symlink() => {
                fs::canonicalize(&self.path).unwrap_or_else(|_| self.path.clone())
            }
            _ => self.path.clone(),
        }
    }

    fn read_error(&self, err: io::Error) -> Error {
        match err.kind() {
            io::ErrorKind::NotADirectory => self.dir_is_not_a_directory(),
            io::ErrorKind::PermissionDenied => Error::config(format!(
                "cannot read {}: permission denied",
                self.path.display()
            ))
            .with_code(codes::cli::CONFIG_UNREADABLE)
            .with_next_action(format!(
                "give your user read access: chmod 600 {}",
                self.path.display()
            )),
            io::ErrorKind::IsADirectory => Error::config(format!(
                "{} is a directory, not a config file",
                self.path.display()
            ))
            .with_code(codes::cli::CONFIG_UNREADABLE)
            .with_next_action(format!("move it away: mv {0} {0}.old", self.path.display())),
            io::ErrorKind::InvalidInput => Error::config(format!(
                "{} is {err}, not a regular file",
                self.path.display()
            ))
            .with_code(codes::cli::CONFIG_UNREADABLE)
            .with_next_action(format!("move it away: mv {0} {0}.old", self.path.display())),
            _ => Error::config(format!("cannot read {}: {err}", self.path.display()))
                .with_code(codes::cli::CONFIG_UNREADABLE),
        }
    }

    fn write_error(&self, path: &Path, err: io::Error) -> Error {
        let reason = match err.kind() {
            io::ErrorKind::PermissionDenied => "permission denied".to_owned(),
            io::ErrorKind::ReadOnlyFilesystem => "the file system is read-only".to_owned(),
            io::ErrorKind::NotADirectory => return self.dir_is_not_a_directory(),
            io::ErrorKind::IsADirectory => "it is a directory".to_owned(),
            _ => err.to_string(),
        };
        Error::config(format!("cannot write {}: {reason}", path.display()))
            .with_code(codes::cli::CONFIG_UNWRITABLE)
            .with_next_action(format!(
                "make {} writable by your user, or choose another with --config-dir",
                self.dir.display()
            ))
    }

    fn dir_error(&self, err: io::Error) -> Error {
        let reason = match err.kind() {
            io::ErrorKind::PermissionDenied => "permission denied".to_owned(),
            io::ErrorKind::ReadOnlyFilesystem => "the file system is read-only".to_owned(),
            _ => err.to_string(),
        };
        Error::config(format!(
            "cannot create the config directory {}: {reason}",
            self.dir.display()
        ))
        .with_code(codes::cli::CONFIG_UNWRITABLE)
        .with_next_action("choose a writable directory with --config-dir or SCRIPTO_CONFIG_DIR")
    }

    fn dir_is_not_a_directory(&self) -> Error {
        Error::config(format!(
            "the config directory {} is a file, not a directory",
            self.dir.display()
        ))
        .with_code(codes::cli::CONFIG_DIR_NOT_DIRECTORY)
        .with_next_action("move that file away, or choose another directory with --config-dir")
    }
}
