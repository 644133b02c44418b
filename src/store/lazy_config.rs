//! config.json as one command sees it: read at most once, when first asked
//! for, and kept up to date by this process's own writes.
//!
//! Laziness is a feature: `auth token` with `SCRIPTO_API_KEY` must work when
//! the config file is corrupt, and `--version` never reads it.

use std::cell::{Cell, RefCell};
use std::path::PathBuf;

use super::config_file::{ConfigStore, Loaded};
use super::config_layout::ConfigFile;
use crate::error::Result;
use crate::output::Output;

pub struct LazyConfig {
    /// The config directory, or why there is none (no home directory).
    dir: Result<PathBuf>,
    /// config.json as first read (or last written) by this process.
    loaded: RefCell<Option<Loaded>>,
    /// The "readable by others" warning is said once per command.
    warned_too_open: Cell<bool>,
}

impl LazyConfig {
    pub fn new(dir: Result<PathBuf>) -> Self {
        Self {
            dir,
            loaded: RefCell::new(None),
            warned_too_open: Cell::new(false),
        }
    }

    pub fn dir(&self) -> Result<PathBuf> {
        self.dir.clone()
    }

    /// The path of config.json (which may not exist yet).
    pub fn path(&self) -> Result<PathBuf> {
        Ok(self.store()?.path().to_owned())
    }

    fn store(&self) -> Result<ConfigStore> {
        Ok(ConfigStore::new(self.dir()?))
    }

    /// config.json as it is now (read once, without a lock); the empty
    /// default when it does not exist. Warns on `out` when others may read it.
    pub fn get(&self, out: &Output) -> Result<ConfigFile> {
        let cached = self.loaded.borrow().clone();
        let loaded = match cached {
            Some(loaded) => loaded,
            None => {
                let loaded = self.store()?.read()?;
                *self.loaded.borrow_mut() = Some(loaded.clone());
                loaded
            }
        };
        if loaded.too_open && !self.warned_too_open.replace(true) {
            let path = self.path()?;
            out.warn(format!(
                "{} can be read by other users of this machine; fix it with: chmod 600 {}",
                path.display(),
                path.display()
            ));
        }
        Ok(loaded.config)
    }

    /// config.json if it can be read, without a word when it cannot: for a
    /// choice (the output format) that must not fail on a broken file,
    /// which the command that needs the file then reports.
    pub fn get_quietly(&self) -> Option<ConfigFile> {
        if self.loaded.borrow().is_none()
            && let Ok(store) = self.store()
            && let Ok(loaded) = store.read()
        {
            // Kept, so the command that needs the file does not read it again.
            *self.loaded.borrow_mut() = Some(loaded);
        }
        self.loaded.borrow().as_ref().map(|l| l.config.clone())
    }

    /// Changes config.json safely against concurrent scripto processes: lock,
    /// re-read, `change`, atomic write. Nothing is written if `change` fails.
    pub fn update<T>(&self, change: impl FnOnce(&mut ConfigFile) -> Result<T>) -> Result<T> {
        let store = self.store()?;
        let mut written = None;
        let answer = store.update(|config| {
            let answer = change(config)?;
            written = Some(config.clone());
            Ok(answer)
        })?;
        // The file was just rewritten 0600.
        *self.loaded.borrow_mut() = written.map(|config| Loaded {
            config,
            too_open: false,
        });
        Ok(answer)
    }
}
