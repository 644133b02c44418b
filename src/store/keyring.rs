//! The OS keyring, through keyring-core: on Linux the Secret Service
//! (gnome-keyring, KWallet) and then the kernel's keyutils; the Keychain on
//! macOS; the Credential Manager on Windows.
//!
//! A keyring can be absent, locked, or hung on a D-Bus call. So every call
//! runs on a helper thread and is abandoned after [`CALL_TIMEOUT`]; the
//! command then falls back (`--storage auto`) or fails with exit 8, and never
//! waits longer. Calls are serialised process-wide: gnome-keyring can fail
//! when several encrypted sessions are opened at once.
//!
//! Entries: service `scripto`, user `<profile>@<server URL>`, so the same
//! profile name on two servers never shares a key.

use std::sync::mpsc;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

use keyring_core::{CredentialStore, Entry};
use scripto_wire::Secret;

use crate::cli::env_vars;

pub const SERVICE: &str = "scripto";
/// How long one keyring call may take before the keyring counts as absent.
pub const CALL_TIMEOUT: Duration = Duration::from_secs(3);

/// One keyring implementation in the chain.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    #[cfg(target_os = "linux")]
    SecretService,
    #[cfg(target_os = "linux")]
    Keyutils,
    #[cfg(any(target_os = "macos", target_os = "windows"))]
    Native,
}

impl Backend {
    pub fn name(self) -> &'static str {
        match self {
            #[cfg(target_os = "linux")]
            Self::SecretService => "Secret Service",
            #[cfg(target_os = "linux")]
            Self::Keyutils => "kernel keyutils",
            #[cfg(target_os = "macos")]
            Self::Native => "macOS Keychain",
            #[cfg(target_os = "windows")]
            Self::Native => "Windows Credential Manager",
        }
    }

    fn build_store(self) -> keyring_core::Result<Arc<CredentialStore>> {
        match self {
            #[cfg(target_os = "linux")]
            Self::SecretService => {
                Ok(zbus_secret_service_keyring_store::Store::new()? as Arc<CredentialStore>)
            }
            #[cfg(target_os = "linux")]
            Self::Keyutils => {
                Ok(linux_keyutils_keyring_store::Store::new()? as Arc<CredentialStore>)
            }
            #[cfg(target_os = "macos")]
            Self::Native => {
                Ok(apple_native_keyring_store::keychain::Store::new()? as Arc<CredentialStore>)
            }
            #[cfg(target_os = "windows")]
            Self::Native => {
                Ok(windows_native_keyring_store::store::Store::new()? as Arc<CredentialStore>)
            }
        }
    }
}

/// The keyrings to try, in order. `SCRIPTO_KEYRING` narrows the chain to one
/// (`secret-service`, `keyutils`) or to none (`none`: every key goes to the
/// file), for machines where a keyring misbehaves and for tests.
pub fn chain() -> Vec<Backend> {
    let choice = std::env::var(env_vars::KEYRING).unwrap_or_default();
    match choice.as_str() {
        "none" => Vec::new(),
        #[cfg(target_os = "linux")]
        "secret-service" => vec![Backend::SecretService],
        #[cfg(target_os = "linux")]
        "keyutils" => vec![Backend::Keyutils],
        #[cfg(target_os = "linux")]
        _ => vec![Backend::SecretService, Backend::Keyutils],
        #[cfg(any(target_os = "macos", target_os = "windows"))]
        _ => vec![Backend::Native],
        #[cfg(not(any(target_os = "linux", target_os = "macos", target_os = "windows")))]
        _ => Vec::new(),
    }
}

/// Why no keyring could do what was asked: one reason per keyring tried.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyringError {
    pub reasons: Vec<String>,
}

impl std::fmt::Display for KeyringError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.reasons.is_empty() {
            f.write_str("no OS keyring is enabled on this system")
        } else {
            f.write_str(&self.reasons.join("; "))
        }
    }
}

/// Stores `key` for `profile` on `server` in the first keyring that takes it.
pub fn set(profile: &str, server: &str, key: &Secret) -> Result<Backend, KeyringError> {
    let mut reasons = Vec::new();
    for backend in chain() {
        let value = key.expose().to_owned();
        let user = entry_user(profile, server);
        match call(backend, move |entry| entry.set_password(&value), &user) {
            Ok(()) => return Ok(backend),
            Err(reason) => reasons.push(reason),
        }
    }
    Err(KeyringError { reasons })
}

/// The key stored for `profile` on `server`: `Ok(None)` when a keyring
/// answered and none holds it (it was deleted behind scripto's back, or lived
/// in a keyutils session that has ended).
pub fn get(profile: &str, server: &str) -> Result<Option<Secret>, KeyringError> {
    let mut reasons = Vec::new();
    let mut answered = false;
    for backend in chain() {
        let user = entry_user(profile, server);
        match call(
            backend,
            |entry| match entry.get_password() {
                Ok(key) => Ok(Some(key)),
                Err(keyring_core::Error::NoEntry) => Ok(None),
                Err(err) => Err(err),
            },
            &user,
        ) {
            Ok(Some(key)) => return Ok(Some(Secret::new(key))),
            Ok(None) => answered = true,
            Err(reason) => reasons.push(reason),
        }
    }
    if answered {
        Ok(None)
    } else {
        Err(KeyringError { reasons })
    }
}

/// Deletes the entry of `profile` on `server` from every keyring that
/// answers. A missing entry is not an error: the goal is that none remains.
pub fn delete(profile: &str, server: &str) -> Result<(), KeyringError> {
    let mut reasons = Vec::new();
    let mut answered = false;
    for backend in chain() {
        let user = entry_user(profile, server);
        match call(
            backend,
            |entry| match entry.delete_credential() {
                Ok(()) | Err(keyring_core::Error::NoEntry) => Ok(()),
                Err(err) => Err(err),
            },
            &user,
        ) {
            Ok(()) => answered = true,
            Err(reason) => reasons.push(reason),
        }
    }
    if answered {
        Ok(())
    } else {
        Err(KeyringError { reasons })
    }
}

fn entry_user(profile: &str, server: &str) -> String {
    format!("{profile}@{}", server.trim_end_matches('/'))
}

/// Serialises every keyring call of this process (see the module comment).
static CALLS: Mutex<()> = Mutex::new(());

/// The stores built so far, one per backend.
type Stores = Mutex<Vec<(Backend, Arc<CredentialStore>)>>;

/// Each backend's store, built once: connecting to D-Bus is the slow part.
fn store(backend: Backend) -> keyring_core::Result<Arc<CredentialStore>> {
    static STORES: OnceLock<Stores> = OnceLock::new();
    let stores = STORES.get_or_init(|| Mutex::new(Vec::new()));
    let mut stores = stores.lock().unwrap_or_else(|e| e.into_inner());
    if let Some((_, store)) = stores.iter().find(|(b, _)| *b == backend) {
        return Ok(store.clone());
    }
    let store = backend.build_store()?;
    stores.push((backend, store.clone()));
    Ok(store)
}

/// Runs `op` on the entry `user` of `backend` on a helper thread, and gives
/// up after [`CALL_TIMEOUT`]. An abandoned thread is left to finish or hang
/// on its own; the process does not wait for it.
fn call<T: Send + 'static>(
    backend: Backend,
    op: impl FnOnce(&Entry) -> keyring_core::Result<T> + Send + 'static,
    user: &str,
) -> Result<T, String> {
    let (send, receive) = mpsc::sync_channel(1);
    let user = user.to_owned();
    let spawned = std::thread::Builder::new()
        .name("keyring".to_owned())
        .spawn(move || {
            let _serial = CALLS.lock().unwrap_or_else(|e| e.into_inner());
            let outcome = store(backend)
                .and_then(|store| store.build(SERVICE, &user, None))
                .and_then(|entry| op(&entry));
            let _ = send.send(outcome);
        });
    if let Err(err) = spawned {
        return Err(format!(
            "{}: could not start a thread: {err}",
            backend.name()
        ));
    }
    match receive.recv_timeout(CALL_TIMEOUT) {
        Ok(Ok(value)) => Ok(value),
        Ok(Err(err)) => Err(format!("{}: {}", backend.name(), describe(&err))),
        Err(mpsc::RecvTimeoutError::Timeout) => Err(format!(
            "{} did not answer within {} seconds",
            backend.name(),
            CALL_TIMEOUT.as_secs()
        )),
        Err(mpsc::RecvTimeoutError::Disconnected) => {
            Err(format!("{}: the keyring call failed", backend.name()))
        }
    }
}

/// One line for a keyring error, without the platform's multi-line dumps.
fn describe(err: &keyring_core::Error) -> String {
    let text = match err {
        keyring_core::Error::NoStorageAccess(inner) => {
            format!("locked or not accessible ({inner})")
        }
        keyring_core::Error::PlatformFailure(inner) => inner.to_string(),
        other => other.to_string(),
    };
    text.lines().next().unwrap_or_default().trim().to_owned()
}
