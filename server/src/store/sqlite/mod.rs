//! The SQLite backend: a small pool of connections to one file in WAL mode,
//! and its migrations. The queries live in a file per domain.

mod audit;
mod codes;
mod devices;
mod keys;
mod projects;
mod sessions;
mod users;

use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::Duration;

use rusqlite::{Connection, TransactionBehavior};

use super::{Conn, StoreError, StoreResult};

/// `(version, sql)`, applied in order, each in its own transaction.
const MIGRATIONS: &[(i64, &str)] = &[
    (1, include_str!("../../../migrations/sqlite/0001_init.sql")),
    (
        2,
        include_str!("../../../migrations/sqlite/0002_hardening.sql"),
    ),
    (
        3,
        include_str!("../../../migrations/sqlite/0003_key_allowed_ips.sql"),
    ),
    (4, include_str!("../../../migrations/sqlite/0004_audit.sql")),
    (
        5,
        include_str!("../../../migrations/sqlite/0005_rotation.sql"),
    ),
    (
        6,
        include_str!("../../../migrations/sqlite/0006_user_removal.sql"),
    ),
    (
        7,
        include_str!("../../../migrations/sqlite/0007_device.sql"),
    ),
    (8, include_str!("../../../migrations/sqlite/0008_web.sql")),
    (
        9,
        include_str!("../../../migrations/sqlite/0009_sso_challenges.sql"),
    ),
];

const POOL_MAX: usize = 8;

/// How long a write waits for another connection's write lock (another
/// request, or an admin command on the same file) before giving up.
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

pub struct Pool {
    path: PathBuf,
    idle: Mutex<Vec<Connection>>,
}

/// One SQLite connection, as the service layer sees it.
pub struct SqliteConn(Connection);

impl Pool {
    /// Opens (creating it and its directory if needed) and migrates.
    pub fn open(path: &Path) -> StoreResult<Pool> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|e| {
                StoreError::Unavailable(format!("cannot create {}: {e}", dir.display()))
            })?;
        }
        let existed = path.exists();
        let mut conn = open_conn(path)?;
        if !existed {
            // Digests and sealed secrets only, but still nobody else's
            // business. SQLite gives its -wal and -shm files the same mode.
            #[cfg(unix)]
            {
                use std::os::unix::fs::PermissionsExt;
                let _ = std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600));
            }
        }
        migrate(&mut conn)?;
        Ok(Pool {
            path: path.to_path_buf(),
            idle: Mutex::new(vec![conn]),
        })
    }

    pub fn with<T, E: From<StoreError>>(
        &self,
        f: impl FnOnce(&mut dyn Conn) -> Result<T, E>,
    ) -> Result<T, E> {
        let taken = self.idle.lock().unwrap_or_else(|e| e.into_inner()).pop();
        let conn = match taken {
            Some(c) => c,
            None => open_conn(&self.path)?,
        };
        let mut conn = SqliteConn(conn);
        let out = f(&mut conn);
        // A transaction left open by a panic-free early return was rolled
        // back by its `Tx`; one still open here is a bug: do not pool it.
        if conn.0.is_autocommit() {
            let mut idle = self.idle.lock().unwrap_or_else(|e| e.into_inner());
            if idle.len() < POOL_MAX {
                idle.push(conn.0);
            }
        }
        out
    }
}

fn open_conn(path: &Path) -> StoreResult<Connection> {
    let conn = Connection::open(path)?;
    conn.busy_timeout(BUSY_TIMEOUT)?;
    conn.pragma_update(None, "journal_mode", "WAL")?;
    conn.pragma_update(None, "synchronous", "NORMAL")?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    Ok(conn)
}

fn migrate(conn: &mut Connection) -> StoreResult<()> {
    conn.execute_batch("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)")?;
    for &(version, sql) in MIGRATIONS {
        // IMMEDIATE: two processes starting at once migrate one after the other.
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let current: i64 = tx.query_row(
            "SELECT COALESCE(MAX(version), 0) FROM schema_version",
            [],
            |r| r.get(0),
        )?;
        if current < version {
            tx.execute_batch(sql)?;
            tx.execute(
                "INSERT INTO schema_version (version) VALUES (?1)",
                [version],
            )?;
        }
        tx.commit()?;
    }
    Ok(())
}

impl Conn for SqliteConn {
    fn begin_write(&mut self) -> StoreResult<()> {
        // IMMEDIATE takes the write lock at once. A deferred transaction
        // that reads and then writes fails with SQLITE_BUSY at once (the
        // busy timeout cannot help) if another connection wrote in between.
        self.0.execute_batch("BEGIN IMMEDIATE")?;
        Ok(())
    }

    fn end(&mut self, commit: bool) -> StoreResult<()> {
        self.0
            .execute_batch(if commit { "COMMIT" } else { "ROLLBACK" })?;
        Ok(())
    }

    fn auth_epoch(&mut self) -> StoreResult<i64> {
        Ok(self
            .0
            .prepare_cached("SELECT n FROM auth_epoch")?
            .query_row([], |r| r.get(0))?)
    }
}

impl From<rusqlite::Error> for StoreError {
    fn from(e: rusqlite::Error) -> Self {
        use rusqlite::ErrorCode;
        match &e {
            rusqlite::Error::SqliteFailure(f, _) => match f.code {
                ErrorCode::ConstraintViolation => StoreError::Conflict,
                ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked | ErrorCode::CannotOpen => {
                    StoreError::Unavailable(e.to_string())
                }
                _ => StoreError::Other(e.to_string()),
            },
            _ => StoreError::Other(e.to_string()),
        }
    }
}
