//! The OS keyring, through keyring-core: on Linux the Secret Service
//! (gnome-keyring, KWallet) and then the kernel's keyutils; the Keychain on
//! macOS; the Credential Manager on Windows.
//!
//! A keyring can be absent, locked, or hung on a D-Bus call. So every call
//! runs on a helper thread and is abandoned after [`CALL_TIMEOUT`]; the
//! command then falls back (`--storage auto`) or fails with exit 8, and never
//! waits longer. Calls are serialised: within a process by a mutex, and
//! across scripto processes sharing a config directory by an advisory lock on
//! `keyring.lock` there. gnome-keyring copes badly with many encrypted
//! sessions at once: thirty agents storing keys together would otherwise see
//! most calls exceed the 3 seconds while merely queued, and fall back to the
//! file for nothing.
//!
//! Entries: service `scripto`, user `<profile>@<server URL>`, so the same
//! profile name on two servers never shares a key. In the Secret Service an
//! item is also labelled for people ("scripto: profile work on
//! api.example.com", as seahorse or KWallet list it) and carries the
//! `application` and `xdg:schema` attributes other tools file items by.
//!
//! Another tool may write a second item with the same service and user. Then
//! the key is ambiguous: reading it is an error that says so (never "the key
//! was deleted"), storing replaces every such item with one, and deleting
//! removes them all.

use std::fs::File;
use std::path::PathBuf;
use std::sync::mpsc;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

use keyring_core::{CredentialStore, Entry};
use scripto_wire::Secret;

use crate::env_vars;

pub const SERVICE: &str = "scripto";
/// The Secret Service schema of scripto's items: libsecret's generic one,
/// which lets any tool find them by their `service` and `username`.
pub const XDG_SCHEMA: &str = "org.freedesktop.Secret.Generic";
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

    /// The kernel's keyutils lives in memory only: a key kept there is gone
    /// after a reboot, which the user should hear when it is stored.
    pub fn forgets_at_reboot(self) -> bool {
        #[cfg(target_os = "linux")]
        if self == Self::Keyutils {
            return true;
        }
        false
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
pub fn chain() -> Result<Vec<Backend>, KeyringError> {
    let choice = std::env::var(env_vars::KEYRING).unwrap_or_default();
    Ok(match choice.as_str() {
        "none" => Vec::new(),
        #[cfg(target_os = "linux")]
        "secret-service" => vec![Backend::SecretService],
        #[cfg(target_os = "linux")]
        "keyutils" => vec![Backend::Keyutils],
        #[cfg(target_os = "linux")]
        "" => vec![Backend::SecretService, Backend::Keyutils],
        #[cfg(any(target_os = "macos", target_os = "windows"))]
        "" => vec![Backend::Native],
        #[cfg(not(any(target_os = "linux", target_os = "macos", target_os = "windows")))]
        "" => Vec::new(),
        other => {
            return Err(KeyringError::new(vec![format!(
                "{} is '{other}', which is not a keyring of this system (unset it, or use {})",
                env_vars::KEYRING,
                if cfg!(target_os = "linux") {
                    "secret-service, keyutils or none"
                } else {
                    "none"
                }
            )]));
        }
    })
}

/// Why no keyring could do what was asked: one reason per keyring tried.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyringError {
    pub reasons: Vec<String>,
    /// A keyring holds several items for the one entry (`get` only): which
    /// keyring, and how many.
    pub ambiguous: Option<(Backend, usize)>,
}

impl KeyringError {
    fn new(reasons: Vec<String>) -> Self {
        Self {
            reasons,
            ambiguous: None,
        }
    }
}

impl std::fmt::Display for KeyringError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if let Some((backend, count)) = self.ambiguous {
            write!(
                f,
                "the {} holds {count} items for this profile and server, so which is its key cannot be told",
                backend.name()
            )
        } else if self.reasons.is_empty() {
            f.write_str("no OS keyring is enabled on this system")
        } else {
            f.write_str(&self.reasons.join("; "))
        }
    }
}

/// The keyring chain, as one scripto process uses it.
#[derive(Debug, Clone)]
pub struct Keyring {
    /// Where `keyring.lock` lives (the config directory); `None`, or a
    /// directory that cannot be created, leaves calls serialised only
    /// within this process.
    lock_dir: Option<PathBuf>,
}

/// How long a process waits for other scripto processes to finish their
/// keyring calls before making its own anyway.
const TURN_WAIT: Duration = Duration::from_secs(10);
pub const LOCK_FILE_NAME: &str = "keyring.lock";

impl Keyring {
    pub fn new(lock_dir: Option<PathBuf>) -> Self {
        Self { lock_dir }
    }

    /// Stores `key` for `profile` on `server` in the first keyring that takes it.
    pub fn set(&self, profile: &str, server: &str, key: &Secret) -> Result<Backend, KeyringError> {
        let backends = chain()?;
        let _turn = self.wait_for_turn(&backends);
        let mut reasons = Vec::new();
        for backend in backends {
            // A Secret still on the helper thread, which may outlive the call.
            let value = key.clone();
            let user = entry_user(profile, server);
            match call(
                backend,
                move |entry| set_entry(backend, entry, &value),
                &user,
                &label(profile, server),
            ) {
                Ok(()) => return Ok(backend),
                Err(reason) => reasons.push(reason),
            }
        }
        Err(KeyringError::new(reasons))
    }

    /// The key stored for `profile` on `server`: `Ok(None)` when a keyring
    /// answered and none holds it (it was deleted behind scripto's back, or lived
    /// in a keyutils session that has ended).
    pub fn get(&self, profile: &str, server: &str) -> Result<Option<Secret>, KeyringError> {
        let backends = chain()?;
        let _turn = self.wait_for_turn(&backends);
        let mut reasons = Vec::new();
        let mut answered = false;
        for backend in backends {
            let user = entry_user(profile, server);
            match call(
                backend,
                |entry| match entry.get_password() {
                    Ok(key) => Ok(Lookup::Found(Secret::new(key))),
                    Err(keyring_core::Error::NoEntry) => Ok(Lookup::Missing),
                    Err(keyring_core::Error::Ambiguous(items)) => {
                        Ok(Lookup::Ambiguous(items.len()))
                    }
                    Err(err) => Err(err),
                },
                &user,
                &label(profile, server),
            ) {
                Ok(Lookup::Found(key)) => return Ok(Some(key)),
                Ok(Lookup::Missing) => answered = true,
                // The key is there, twice or more: not "deleted", and not
                // to be looked for in the next keyring either.
                Ok(Lookup::Ambiguous(count)) => {
                    return Err(KeyringError {
                        reasons: Vec::new(),
                        ambiguous: Some((backend, count)),
                    });
                }
                Err(reason) => reasons.push(reason),
            }
        }
        if answered {
            Ok(None)
        } else {
            Err(KeyringError::new(reasons))
        }
    }

    /// Deletes the entry of `profile` on `server` from every keyring that
    /// answers. A missing entry is not an error: the goal is that none remains.
    pub fn delete(&self, profile: &str, server: &str) -> Result<(), KeyringError> {
        let backends = chain()?;
        let _turn = self.wait_for_turn(&backends);
        let mut reasons = Vec::new();
        let mut answered = false;
        for backend in backends {
            let user = entry_user(profile, server);
            match call(backend, delete_entry, &user, &label(profile, server)) {
                Ok(()) => answered = true,
                Err(reason) => reasons.push(reason),
            }
        }
        if answered {
            Ok(())
        } else {
            Err(KeyringError::new(reasons))
        }
    }

    /// Waits (at most [`TURN_WAIT`]) until no other scripto process sharing
    /// the config directory is talking to the keyring; the returned file
    /// holds the lock until dropped. Any failure here only means going
    /// without the lock: it must never stop a keyring call.
    fn wait_for_turn(&self, backends: &[Backend]) -> Option<File> {
        if backends.is_empty() {
            return None;
        }
        let dir = self.lock_dir.as_ref()?;
        super::fs::create_private_dir(dir).ok()?;
        super::fs::lock_file(&dir.join(LOCK_FILE_NAME), TURN_WAIT)
            .ok()
            .flatten()
    }
}

fn entry_user(profile: &str, server: &str) -> String {
    format!("{profile}@{}", server.trim_end_matches('/'))
}

/// What a person sees in a keyring manager: "scripto: profile work on
/// api.example.com".
fn label(profile: &str, server: &str) -> String {
    let host = server
        .split_once("://")
        .map_or(server, |(_, rest)| rest)
        .trim_end_matches('/');
    format!("{SERVICE}: profile {profile} on {host}")
}

/// The label, for the one store that takes it (keyutils refuses modifiers
/// it does not know, and the native stores name items their own way).
fn modifiers(backend: Backend, label: &str) -> Option<std::collections::HashMap<&str, &str>> {
    #[cfg(target_os = "linux")]
    if backend == Backend::SecretService {
        return Some(std::collections::HashMap::from([("label", label)]));
    }
    let _ = (backend, label);
    None
}

/// What a read found.
enum Lookup {
    Found(Secret),
    Missing,
    /// This many items answer to the one entry.
    Ambiguous(usize),
}

/// Stores `key` in the entry: where several items answer to it, they are
/// replaced by one. In the Secret Service the item then gets the attributes
/// other tools look for; failing that only costs the decoration.
fn set_entry(backend: Backend, entry: &Entry, key: &Secret) -> keyring_core::Result<()> {
    match entry.set_password(key.expose()) {
        Err(keyring_core::Error::Ambiguous(items)) => {
            for item in items {
                item.delete_credential()?;
            }
            entry.set_password(key.expose())?;
        }
        other => other?,
    }
    #[cfg(target_os = "linux")]
    if backend == Backend::SecretService {
        let attributes =
            std::collections::HashMap::from([("application", SERVICE), ("xdg:schema", XDG_SCHEMA)]);
        let _ = entry.update_attributes(&attributes);
    }
    let _ = backend;
    Ok(())
}

/// Deletes the entry, every item of it when there are several; a missing
/// one is no error (the goal is that none remains).
fn delete_entry(entry: &Entry) -> keyring_core::Result<()> {
    match entry.delete_credential() {
        Ok(()) | Err(keyring_core::Error::NoEntry) => Ok(()),
        Err(keyring_core::Error::Ambiguous(items)) => {
            for item in items {
                match item.delete_credential() {
                    Ok(()) | Err(keyring_core::Error::NoEntry) => {}
                    Err(err) => return Err(err),
                }
            }
            Ok(())
        }
        Err(err) => Err(err),
    }
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
///
/// Two shortcuts keep the common headless cases fast: with no session bus
/// to connect to, the Secret Service is not tried at all (connecting would
/// only fail, after starting zbus's threads); and keyutils, a system call
/// that cannot hang the way a D-Bus call can, runs on the calling thread.
fn call<T: Send + 'static>(
    backend: Backend,
    op: impl FnOnce(&Entry) -> keyring_core::Result<T> + Send + 'static,
    user: &str,
    label: &str,
) -> Result<T, String> {
    #[cfg(target_os = "linux")]
    match backend {
        Backend::SecretService => {
            if let Some(why) = no_session_bus() {
                return Err(format!("{}: {why}", backend.name()));
            }
        }
        Backend::Keyutils => {
            let _serial = CALLS.lock().unwrap_or_else(|e| e.into_inner());
            return store(backend)
                .and_then(|store| store.build(SERVICE, user, None))
                .and_then(|entry| op(&entry))
                .map_err(|err| format!("{}: {}", backend.name(), describe(&err)));
        }
    }
    let (send, receive) = mpsc::sync_channel(1);
    let user = user.to_owned();
    let label = label.to_owned();
    let spawned = std::thread::Builder::new()
        .name("keyring".to_owned())
        .spawn(move || {
            let _serial = CALLS.lock().unwrap_or_else(|e| e.into_inner());
            let modifiers = modifiers(backend, &label);
            let outcome = store(backend)
                .and_then(|store| store.build(SERVICE, &user, modifiers.as_ref()))
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

/// Why no D-Bus session bus can be reached, when that is certain without
/// trying: `DBUS_SESSION_BUS_ADDRESS` is unset and the socket zbus would
/// fall back to (`$XDG_RUNTIME_DIR/bus`, else `/run/user/<uid>/bus`) does
/// not exist. `None` means: try it.
#[cfg(target_os = "linux")]
fn no_session_bus() -> Option<String> {
    use std::os::unix::fs::MetadataExt;
    if std::env::var_os(crate::env_vars::DBUS_SESSION_BUS_ADDRESS).is_some_and(|a| !a.is_empty()) {
        return None;
    }
    let socket = match std::env::var_os(crate::env_vars::XDG_RUNTIME_DIR).filter(|d| !d.is_empty())
    {
        Some(dir) => PathBuf::from(dir).join("bus"),
        None => {
            let uid = std::fs::metadata("/proc/self").ok()?.uid();
            PathBuf::from(format!("/run/user/{uid}/bus"))
        }
    };
    if socket.exists() {
        None
    } else {
        Some(format!(
            "no D-Bus session (DBUS_SESSION_BUS_ADDRESS is not set and {} does not exist)",
            socket.display()
        ))
    }
}

/// One line for a keyring error, without the platform's multi-line dumps.
fn describe(err: &keyring_core::Error) -> String {
    let text = match err {
        keyring_core::Error::NoStorageAccess(inner) => {
            format!("locked or not accessible ({inner})")
        }
        keyring_core::Error::PlatformFailure(inner) => inner.to_string(),
        // Its Display lists every item in Debug form.
        keyring_core::Error::Ambiguous(items) => {
            format!("{} items answer to this entry", items.len())
        }
        other => other.to_string(),
    };
    text.lines().next().unwrap_or_default().trim().to_owned()
}
