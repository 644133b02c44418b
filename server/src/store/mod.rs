//! Storage: one seam, two backends.
//!
//! The service layer (`crate::service`) runs each of its transactions as
//! plain synchronous code over a [`Conn`]: a connection of either backend,
//! which answers the domain's questions (users, keys, codes, sessions,
//! projects, the audit log) with the domain's rows. Nothing above this
//! module writes SQL or sees which database it talks to.
//!
//! - SQLite ([`sqlite`]): the embedded default, a file.
//! - PostgreSQL ([`postgres`]): a `postgres://` URL, for several instances.
//!
//! [`Store::run`] takes a connection from the backend's pool and runs the
//! closure on tokio's blocking pool. A write transaction ([`Tx`]) holds the
//! database's write lock for its length on both backends (SQLite `BEGIN
//! IMMEDIATE`; PostgreSQL a transaction-scoped advisory lock), so the
//! service's read-then-write rules (a code's tries, a rotation's guard)
//! mean the same on both, across instances too. Dropped uncommitted, it
//! rolls back.

mod postgres;
mod rows;
mod sqlite;

use std::fmt;
use std::path::PathBuf;
use std::sync::Arc;

use scripto_wire::types::Role;

pub use rows::*;

/// Where the data lives: `--db`, a path or a PostgreSQL URL.
#[derive(Clone, PartialEq, Eq)]
pub enum DbUrl {
    Sqlite(PathBuf),
    /// The whole URL, password included: shown only through [`DbUrl`]'s
    /// `Display`, which masks it.
    Postgres(String),
}

impl DbUrl {
    /// `postgres://…` and `postgresql://…` are PostgreSQL; anything else is
    /// a SQLite file path.
    pub fn parse(s: &str) -> DbUrl {
        let lower = s.get(..13).unwrap_or(s).to_ascii_lowercase();
        if lower.starts_with("postgres://") || lower.starts_with("postgresql://") {
            DbUrl::Postgres(s.to_owned())
        } else {
            DbUrl::Sqlite(PathBuf::from(s))
        }
    }

    pub fn is_postgres(&self) -> bool {
        matches!(self, DbUrl::Postgres(_))
    }
}

impl From<PathBuf> for DbUrl {
    fn from(p: PathBuf) -> DbUrl {
        DbUrl::Sqlite(p)
    }
}

impl From<&std::path::Path> for DbUrl {
    fn from(p: &std::path::Path) -> DbUrl {
        DbUrl::Sqlite(p.to_path_buf())
    }
}

/// The path, or the URL with its password (and any `password=` parameter)
/// replaced by `***`: safe for logs and error messages.
impl fmt::Display for DbUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DbUrl::Sqlite(p) => write!(f, "{}", p.display()),
            DbUrl::Postgres(url) => f.write_str(&crate::util::mask_url_password(url)),
        }
    }
}

impl fmt::Debug for DbUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "DbUrl({self})")
    }
}

/// What went wrong in the database, as the service needs to tell it.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The database does not answer (down, unreachable, the pool's wait ran
    /// out): the request may be retried shortly.
    #[error("the database is unavailable: {0}")]
    Unavailable(String),
    /// A unique constraint refused the write.
    #[error("a row with this key already exists")]
    Conflict,
    #[error("database error: {0}")]
    Other(String),
}

pub type StoreResult<T> = Result<T, StoreError>;

/// A connection of either backend. The sub-traits group its queries along
/// the domain; each backend implements them in a file per domain.
pub trait Conn: Users + Keys + Codes + Sessions + Projects + AuditLog + Devices + Send {
    /// Starts a transaction that holds the database's write lock.
    fn begin_write(&mut self) -> StoreResult<()>;
    /// Ends the open transaction: commit or roll back.
    fn end(&mut self, commit: bool) -> StoreResult<()>;
    /// The change counter of everything a cached key verification depends
    /// on (bumped by triggers, whoever writes).
    fn auth_epoch(&mut self) -> StoreResult<i64>;
}

impl<'a> dyn Conn + 'a {
    /// Opens a write transaction; commit it with [`Tx::commit`], or drop it
    /// to roll back.
    pub fn write(&mut self) -> StoreResult<Tx<'_>> {
        self.begin_write()?;
        Ok(Tx {
            conn: self,
            open: true,
        })
    }
}

/// An open write transaction. Derefs to the connection it runs on.
pub struct Tx<'c> {
    conn: &'c mut dyn Conn,
    open: bool,
}

impl<'c> Tx<'c> {
    pub fn commit(mut self) -> StoreResult<()> {
        self.open = false;
        self.conn.end(true)
    }
}

impl Drop for Tx<'_> {
    fn drop(&mut self) {
        if self.open {
            let _ = self.conn.end(false);
        }
    }
}

impl<'c> std::ops::Deref for Tx<'c> {
    type Target = dyn Conn + 'c;
    fn deref(&self) -> &Self::Target {
        self.conn
    }
}

impl std::ops::DerefMut for Tx<'_> {
    fn deref_mut(&mut self) -> &mut Self::Target {
        self.conn
    }
}

pub trait Users {
    fn org_by_id(&mut self, id: &str) -> StoreResult<Option<OrgRow>>;
    fn org_by_name(&mut self, name: &str) -> StoreResult<Option<OrgRow>>;
    /// Inserts an organization exactly as given (see [`create_org`]).
    fn insert_org(&mut self, org: &OrgRow, created_at: i64) -> StoreResult<()>;
    /// A user who was not removed.
    fn user_by_email(&mut self, email: &str) -> StoreResult<Option<UserRow>>;
    fn user_by_id(&mut self, id: &str) -> StoreResult<Option<UserRow>>;
    fn insert_user(&mut self, user: &UserRow, created_at: i64) -> StoreResult<()>;
    fn set_role(&mut self, user_id: &str, role: Role) -> StoreResult<()>;
    /// Marks the user removed, revokes their keys and ends their sessions;
    /// how many keys it revoked.
    fn remove_user(&mut self, user_id: &str, at: i64) -> StoreResult<usize>;
    /// Records that the TOTP code of `step` was used; false if that step
    /// (or a later one) was already used, so each code is accepted once.
    fn use_totp_step(&mut self, user_id: &str, step: i64) -> StoreResult<bool>;
    fn add_backup_code(&mut self, user_id: &str, hash: &[u8]) -> StoreResult<()>;
    /// Marks an unused backup code used; whether there was one.
    fn use_backup_code(&mut self, user_id: &str, hash: &[u8], at: i64) -> StoreResult<bool>;
}

pub trait Keys {
    /// Stores `key` (its `seq` is ignored); the key's `seq`.
    fn insert_key(&mut self, key: &KeyRow, digest: &[u8]) -> StoreResult<i64>;
    /// The key with this digest and its stored digest (for a constant-time
    /// comparison by the caller).
    fn key_by_digest(&mut self, digest: &[u8]) -> StoreResult<Option<(KeyRow, Vec<u8>)>>;
    fn key_by_id(&mut self, id: &str) -> StoreResult<Option<KeyRow>>;
    /// Newest first; `limit + 1` rows at most, so the caller can tell
    /// `has_more`.
    fn list_keys(&mut self, q: &KeyQuery<'_>) -> StoreResult<Vec<KeyRow>>;
    /// Sets `revoked_at` unless already set.
    fn revoke_key(&mut self, id: &str, at: i64) -> StoreResult<()>;
    /// Links `old_id` to its successor and ends it: revoked at `now` when
    /// `ends_at` is `None`, else expiring at `ends_at` (never later than it
    /// already would). False, and nothing changed, when the key already has
    /// a successor: the guard is in the `UPDATE` itself.
    fn retire_rotated_key(
        &mut self,
        old_id: &str,
        successor_id: &str,
        ends_at: Option<i64>,
        now: i64,
    ) -> StoreResult<bool>;
    /// Raises `last_used_at` of each key to the given time (never lowers it).
    fn write_last_used(&mut self, uses: &[(String, i64)]) -> StoreResult<()>;
}

pub trait Codes {
    /// Stores the code `client` asked for, replacing that client's previous
    /// one only; sweeps codes that ran out a day before `now`.
    fn put_code(&mut self, code: &CodeRow, email: &str, now: i64) -> StoreResult<()>;
    /// Every code stored for `email`, live or not.
    fn codes_for(&mut self, email: &str) -> StoreResult<Vec<CodeRow>>;
    fn set_code_failures(&mut self, email: &str, client: &str, failures: u32) -> StoreResult<()>;
    fn delete_code(&mut self, email: &str, client: &str) -> StoreResult<()>;
    /// Deletes every code of `email`.
    fn delete_codes(&mut self, email: &str) -> StoreResult<()>;
    fn put_challenge(&mut self, hash: &[u8], ch: &ChallengeRow) -> StoreResult<()>;
    fn get_challenge(&mut self, hash: &[u8]) -> StoreResult<Option<ChallengeRow>>;
    fn set_challenge_failures(&mut self, hash: &[u8], failures: u32) -> StoreResult<()>;
    /// Whether there was a challenge to delete (so it is used only once).
    fn delete_challenge(&mut self, hash: &[u8]) -> StoreResult<bool>;
    /// The failed second factors of `user_id` at or after `since`: how
    /// many, and when the oldest of them was.
    fn mfa_failures_since(&mut self, user_id: &str, since: i64) -> StoreResult<(u32, Option<i64>)>;
    /// Records a failed second factor (and forgets those before
    /// `keep_since`).
    fn record_mfa_failure(&mut self, user_id: &str, at: i64, keep_since: i64) -> StoreResult<()>;
    /// The failed second factors since the last successful login, reset to
    /// 0 by this one.
    fn take_mfa_failures_since_login(&mut self, user_id: &str) -> StoreResult<u32>;
}

pub trait Sessions {
    /// Stores a session; sweeps sessions that ended a day ago and expired
    /// MFA challenges.
    fn put_session(&mut self, hash: &[u8], s: &SessionRow, now: i64) -> StoreResult<()>;
    fn get_session(&mut self, hash: &[u8]) -> StoreResult<Option<SessionRow>>;
    /// Stores a web console session; sweeps web sessions past their
    /// absolute end or idle since `idle_before`.
    fn put_web_session(
        &mut self,
        hash: &[u8],
        s: &WebSessionRow,
        idle_before: i64,
    ) -> StoreResult<()>;
    fn get_web_session(&mut self, hash: &[u8]) -> StoreResult<Option<WebSessionRow>>;
    /// Records a use of the web session `id` at `at`.
    fn touch_web_session(&mut self, id: &str, at: i64) -> StoreResult<()>;
    /// Ends a web session (sign out); whether there was one.
    fn delete_web_session(&mut self, hash: &[u8]) -> StoreResult<bool>;
}

pub trait Projects {
    /// Stores `p` (its `seq` is ignored); [`StoreError::Conflict`] when the
    /// organization has a project of that name. The project's `seq`.
    fn insert_project(&mut self, p: &ProjectRow) -> StoreResult<i64>;
    fn project_by_id(&mut self, id: &str) -> StoreResult<Option<ProjectRow>>;
    /// Oldest first, `limit + 1` rows at most.
    fn list_projects(
        &mut self,
        org_id: &str,
        after_seq: Option<i64>,
        limit: usize,
    ) -> StoreResult<Vec<ProjectRow>>;
}

/// Device logins (RFC 8628), by the digests of their codes.
pub trait Devices {
    /// Stores a new device login; [`StoreError::Conflict`] when its user
    /// code's digest is taken. Sweeps logins that expired a day before `now`.
    fn put_device(&mut self, d: &DeviceRow, now: i64) -> StoreResult<()>;
    fn device_by_code(&mut self, device_hash: &[u8]) -> StoreResult<Option<DeviceRow>>;
    fn device_by_user_code(&mut self, user_hash: &[u8]) -> StoreResult<Option<DeviceRow>>;
    /// Every login whose user code begins with the half of this digest.
    fn devices_in_group(&mut self, group_hash: &[u8]) -> StoreResult<Vec<DeviceRow>>;
    fn set_device_polled(
        &mut self,
        device_hash: &[u8],
        polled_ms: i64,
        interval_secs: i64,
    ) -> StoreResult<()>;
    /// Approves or denies a pending login; false, and nothing changed, when
    /// it was no longer pending: the guard is in the `UPDATE` itself.
    fn decide_device(
        &mut self,
        device_hash: &[u8],
        status: DeviceStatus,
        approver_id: &str,
        approver_ip: &str,
    ) -> StoreResult<bool>;
    fn set_device_failures(&mut self, device_hash: &[u8], failures: u32) -> StoreResult<()>;
    /// Whether there was a row to delete (so a device code mints one key).
    fn delete_device(&mut self, device_hash: &[u8]) -> StoreResult<bool>;
}

pub trait AuditLog {
    fn insert_event(&mut self, id: &str, at: i64, e: &crate::audit::Event) -> StoreResult<()>;
    /// Newest first; `limit + 1` rows at most.
    fn list_events(&mut self, q: &EventQuery<'_>) -> StoreResult<Vec<EventRow>>;
    /// The `seq` of a visible event (for the cursor).
    fn event_seq(&mut self, q: &EventQuery<'_>, id: &str) -> StoreResult<Option<i64>>;
    /// Sets `details.count` of an aggregated event.
    fn set_event_count(&mut self, id: &str, count: u64) -> StoreResult<()>;
    /// Records that `key_id` was used from `ip`; true the first time.
    fn note_key_address(&mut self, key_id: &str, ip: &str, at: i64) -> StoreResult<bool>;
    /// Deletes events older than `before`; how many.
    fn prune_events(&mut self, before: i64) -> StoreResult<usize>;
}

/// Creates an organization named `name`, or `name (2)`, `name (3)`, … if
/// the name is taken.
pub fn create_org(c: &mut dyn Conn, name: &str, now: i64) -> StoreResult<OrgRow> {
    let mut candidate = name.to_owned();
    let mut n = 1;
    while c.org_by_name(&candidate)?.is_some() {
        n += 1;
        candidate = format!("{name} ({n})");
    }
    let org = OrgRow {
        id: crate::util::new_id("org_"),
        name: candidate,
        plan: "free".to_owned(),
    };
    c.insert_org(&org, now)?;
    Ok(org)
}

/// Runs `f` where the synchronous PostgreSQL client may block: on this
/// thread, unless it drives a tokio runtime (where blocking on the
/// client's own runtime panics), then on a thread of its own.
fn off_async_runtime<T: Send>(f: impl FnOnce() -> T + Send) -> T {
    if tokio::runtime::Handle::try_current().is_err() {
        return f();
    }
    std::thread::scope(|s| match s.spawn(f).join() {
        Ok(out) => out,
        Err(panic) => std::panic::resume_unwind(panic),
    })
}

/// Behind the `Arc` of [`Store`], so the size difference costs nothing.
#[allow(clippy::large_enum_variant)]
enum Backend {
    Sqlite(sqlite::Pool),
    Postgres(postgres::Pool),
}

/// The database: opened (and migrated) once, shared by every request.
#[derive(Clone)]
pub struct Store(Arc<Backend>);

impl fmt::Debug for Store {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match &*self.0 {
            Backend::Sqlite(_) => "Store(sqlite)",
            Backend::Postgres(_) => "Store(postgres)",
        })
    }
}

impl Store {
    /// Opens the database and applies the migrations it lacks. Blocking.
    pub fn open(url: &DbUrl) -> StoreResult<Store> {
        let backend = match url {
            DbUrl::Sqlite(path) => Backend::Sqlite(sqlite::Pool::open(path)?),
            DbUrl::Postgres(url) => {
                Backend::Postgres(off_async_runtime(|| postgres::Pool::open(url))?)
            }
        };
        Ok(Store(Arc::new(backend)))
    }

    /// Runs `f` on a pooled connection, blocking: for the admin commands
    /// (and tests), which may be called from async code.
    pub fn with<T, E>(&self, f: impl FnOnce(&mut dyn Conn) -> Result<T, E> + Send) -> Result<T, E>
    where
        T: Send,
        E: From<StoreError> + Send,
    {
        match &*self.0 {
            Backend::Sqlite(_) => self.with_blocking(f),
            Backend::Postgres(_) => off_async_runtime(|| self.with_blocking(f)),
        }
    }

    /// [`Store::with`] on a thread of tokio's blocking pool.
    fn with_blocking<T, E>(&self, f: impl FnOnce(&mut dyn Conn) -> Result<T, E>) -> Result<T, E>
    where
        E: From<StoreError>,
    {
        match &*self.0 {
            Backend::Sqlite(pool) => pool.with(f),
            Backend::Postgres(pool) => pool.with(f),
        }
    }

    /// Runs `f` on a pooled connection on tokio's blocking pool.
    pub async fn run<T, E, F>(&self, f: F) -> Result<T, E>
    where
        T: Send + 'static,
        E: From<StoreError> + Send + 'static,
        F: FnOnce(&mut dyn Conn) -> Result<T, E> + Send + 'static,
    {
        let store = self.clone();
        match tokio::task::spawn_blocking(move || store.with_blocking(f)).await {
            Ok(out) => out,
            Err(e) => {
                tracing::error!(error = %e, "database task failed");
                Err(StoreError::Other("the database task failed".into()).into())
            }
        }
    }

    /// Whether the database answers a trivial query now.
    pub async fn ping(&self) -> bool {
        self.run(|c| c.auth_epoch().map(|_| ())).await.is_ok()
    }

    /// Opens a dedicated listener for change notifications, when the
    /// backend has them (PostgreSQL `LISTEN`): `on_change` is called on
    /// every notification and once after each reconnect. Runs on its own
    /// thread until `alive` returns false.
    pub fn listen_for_changes(
        &self,
        alive: impl Fn() -> bool + Send + 'static,
        on_change: impl Fn() + Send + 'static,
    ) {
        if let Backend::Postgres(pool) = &*self.0 {
            pool.listen(alive, on_change);
        }
    }
}
