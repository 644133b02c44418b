//! The PostgreSQL backend: a bounded pool of connections, the migrations,
//! and a listener for change notifications. The queries live in a file per
//! domain, in PostgreSQL's dialect; every value is a parameter.

mod audit;
mod codes;
mod devices;
mod keys;
mod projects;
mod sessions;
mod users;

use std::collections::HashMap;
use std::sync::{Condvar, Mutex};
use std::time::{Duration, Instant};

use postgres::error::SqlState;
use postgres::fallible_iterator::FallibleIterator;
use postgres::types::ToSql;
use postgres::{Client, NoTls, Row, Statement};

use super::{Conn, StoreError, StoreResult};
use crate::util::mask_url_password;

const MIGRATIONS: &[(i64, &str)] = &[
    (
        1,
        include_str!("../../../migrations/postgres/0001_init.sql"),
    ),
    (
        2,
        include_str!("../../../migrations/postgres/0002_device.sql"),
    ),
    (3, include_str!("../../../migrations/postgres/0003_web.sql")),
    (
        4,
        include_str!("../../../migrations/postgres/0004_sso_challenges.sql"),
    ),
];

/// Connections open at once, per instance.
const POOL_MAX: usize = 16;
/// How long a request waits for a free connection, or for one to open.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(3);
const ACQUIRE_TIMEOUT: Duration = Duration::from_secs(5);
/// Bounds on the server side: a statement, a lock wait, and a transaction
/// left idle (by a crashed instance's half-open socket) each end.
const SESSION_SETTINGS: &str = "SET statement_timeout = '5s'; SET lock_timeout = '5s'; \
     SET idle_in_transaction_session_timeout = '15s'";
/// The key of the transaction-scoped advisory lock every write
/// transaction takes: writes are serialized across instances, as SQLite
/// serializes them within one file.
const WRITE_LOCK: i64 = 0x5C21_7070;
/// The `LISTEN` channel the schema's triggers notify.
const CHANGES_CHANNEL: &str = "scripto_auth";

pub struct Pool {
    config: postgres::Config,
    masked_url: String,
    idle: Mutex<Idle>,
    freed: Condvar,
}

struct Idle {
    conns: Vec<PgConn>,
    /// Connections open, idle or in use.
    open: usize,
}

/// One PostgreSQL connection, with the statements it has prepared.
pub struct PgConn {
    client: Client,
    statements: HashMap<String, Statement>,
}

impl Pool {
    /// Connects once (so a wrong URL fails at start) and migrates.
    pub fn open(url: &str) -> StoreResult<Pool> {
        let masked_url = mask_url_password(url);
        let mut config: postgres::Config = url
            .parse()
            .map_err(|e| StoreError::Other(format!("{masked_url} is not a PostgreSQL URL: {e}")))?;
        config
            .connect_timeout(CONNECT_TIMEOUT)
            .keepalives(true)
            .keepalives_idle(Duration::from_secs(10))
            .tcp_user_timeout(Duration::from_secs(10))
            .application_name("scripto-server");
        let pool = Pool {
            config,
            masked_url,
            idle: Mutex::new(Idle {
                conns: Vec::new(),
                open: 0,
            }),
            freed: Condvar::new(),
        };
        let mut conn = pool.connect()?;
        migrate(&mut conn.client)?;
        // Counted as every connection `take` opens is: uncounted, its
        // closing (when the database goes away) would take another's place
        // in the count, and a connection failing meanwhile would take the
        // count below zero.
        pool.idle.lock().unwrap_or_else(|e| e.into_inner()).open += 1;
        pool.give_back(conn, true);
        Ok(pool)
    }

    fn connect(&self) -> StoreResult<PgConn> {
        let mut client = self
            .config
            .connect(NoTls)
            .map_err(|e| StoreError::Unavailable(format!("cannot connect: {e}")))?;
        client.batch_execute(SESSION_SETTINGS)?;
        Ok(PgConn {
            client,
            statements: HashMap::new(),
        })
    }

    /// An idle connection, or a new one if fewer than [`POOL_MAX`] are
    /// open; else waits for one to be given back, at most
    /// [`ACQUIRE_TIMEOUT`].
    fn take(&self) -> StoreResult<PgConn> {
        let deadline = Instant::now() + ACQUIRE_TIMEOUT;
        let mut idle = self.idle.lock().unwrap_or_else(|e| e.into_inner());
        loop {
            if let Some(c) = idle.conns.pop() {
                return Ok(c);
            }
            if idle.open < POOL_MAX {
                idle.open += 1;
                drop(idle);
                return self.connect().inspect_err(|_| {
                    self.idle.lock().unwrap_or_else(|e| e.into_inner()).open -= 1;
                    self.freed.notify_one();
                });
            }
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return Err(StoreError::Unavailable(
                    "every database connection stayed busy for 5 s".into(),
                ));
            }
            idle = self
                .freed
                .wait_timeout(idle, left)
                .unwrap_or_else(|e| e.into_inner())
                .0;
        }
    }

    fn give_back(&self, conn: PgConn, reusable: bool) {
        let mut idle = self.idle.lock().unwrap_or_else(|e| e.into_inner());
        if reusable && !conn.client.is_closed() {
            idle.conns.push(conn);
        } else {
            idle.open = idle.open.saturating_sub(1);
        }
        drop(idle);
        self.freed.notify_one();
    }

    pub fn with<T, E: From<StoreError>>(
        &self,
        f: impl FnOnce(&mut dyn Conn) -> Result<T, E>,
    ) -> Result<T, E> {
        let mut conn = self.take()?;
        let out = f(&mut conn);
        // A connection whose server went away is closed: a later request
        // opens a fresh one, so the pool recovers once the database is back.
        self.give_back(conn, true);
        out
    }

    /// A thread with its own connection that `LISTEN`s on the channel the
    /// triggers notify: `on_change` runs on each notification and after
    /// each (re)connect, since notifications sent while it was away are
    /// lost. Stops when `alive` returns false.
    pub fn listen(
        &self,
        alive: impl Fn() -> bool + Send + 'static,
        on_change: impl Fn() + Send + 'static,
    ) {
        let config = self.config.clone();
        let masked = self.masked_url.clone();
        let spawned = std::thread::Builder::new()
            .name("scripto-listen".into())
            .spawn(move || {
                let mut warned = false;
                while alive() {
                    let mut client = match config.connect(NoTls) {
                        Ok(c) => c,
                        Err(e) => {
                            if !warned {
                                tracing::warn!(db = %masked, error = %e, "cannot listen for changes; retrying every second");
                                warned = true;
                            }
                            std::thread::sleep(Duration::from_secs(1));
                            continue;
                        }
                    };
                    if client.batch_execute(&format!("LISTEN {CHANGES_CHANNEL}")).is_err() {
                        std::thread::sleep(Duration::from_secs(1));
                        continue;
                    }
                    warned = false;
                    on_change();
                    while alive() && !client.is_closed() {
                        let mut notes = client.notifications();
                        let mut it = notes.timeout_iter(Duration::from_millis(500));
                        match it.next() {
                            Ok(Some(_)) => on_change(),
                            Ok(None) => {}
                            Err(_) => break,
                        }
                    }
                }
            });
        if let Err(e) = spawned {
            tracing::warn!(error = %e, "cannot start the change listener");
        }
    }
}

impl Drop for Pool {
    /// A `postgres::Client` says goodbye to the server on drop by blocking
    /// on its own runtime, which panics on a tokio worker thread (where a
    /// server's state is dropped): the idle connections close on a thread
    /// of their own.
    fn drop(&mut self) {
        let idle =
            std::mem::take(&mut self.idle.get_mut().unwrap_or_else(|e| e.into_inner()).conns);
        if !idle.is_empty() {
            let _ = std::thread::Builder::new()
                .name("scripto-pg-close".into())
                .spawn(move || drop(idle));
        }
    }
}

fn migrate(client: &mut Client) -> StoreResult<()> {
    client.batch_execute("CREATE TABLE IF NOT EXISTS schema_version (version BIGINT NOT NULL)")?;
    for &(version, sql) in MIGRATIONS {
        // Instances starting at once migrate one after the other.
        let mut tx = client.transaction()?;
        tx.execute("SELECT pg_advisory_xact_lock($1)", &[&WRITE_LOCK])?;
        let current: i64 = tx
            .query_one("SELECT COALESCE(MAX(version), 0) FROM schema_version", &[])?
            .get(0);
        if current < version {
            tx.batch_execute(sql)?;
            tx.execute(
                "INSERT INTO schema_version (version) VALUES ($1)",
                &[&version],
            )?;
        }
        tx.commit()?;
    }
    Ok(())
}

impl PgConn {
    /// The prepared statement for `sql`, prepared once per connection.
    fn statement(&mut self, sql: &str) -> StoreResult<Statement> {
        if let Some(s) = self.statements.get(sql) {
            return Ok(s.clone());
        }
        let s = self.client.prepare(sql)?;
        self.statements.insert(sql.to_owned(), s.clone());
        Ok(s)
    }

    fn query(&mut self, sql: &str, params: &[&(dyn ToSql + Sync)]) -> StoreResult<Vec<Row>> {
        let s = self.statement(sql)?;
        Ok(self.client.query(&s, params)?)
    }

    fn query_opt(&mut self, sql: &str, params: &[&(dyn ToSql + Sync)]) -> StoreResult<Option<Row>> {
        let s = self.statement(sql)?;
        Ok(self.client.query_opt(&s, params)?)
    }

    fn query_one(&mut self, sql: &str, params: &[&(dyn ToSql + Sync)]) -> StoreResult<Row> {
        let s = self.statement(sql)?;
        Ok(self.client.query_one(&s, params)?)
    }

    /// Rows changed.
    fn execute(&mut self, sql: &str, params: &[&(dyn ToSql + Sync)]) -> StoreResult<u64> {
        let s = self.statement(sql)?;
        Ok(self.client.execute(&s, params)?)
    }
}

impl Conn for PgConn {
    fn begin_write(&mut self) -> StoreResult<()> {
        self.client.batch_execute("BEGIN")?;
        if let Err(e) = self.execute("SELECT pg_advisory_xact_lock($1)", &[&WRITE_LOCK]) {
            let _ = self.client.batch_execute("ROLLBACK");
            return Err(e);
        }
        Ok(())
    }

    fn end(&mut self, commit: bool) -> StoreResult<()> {
        self.client
            .batch_execute(if commit { "COMMIT" } else { "ROLLBACK" })?;
        Ok(())
    }

    fn auth_epoch(&mut self) -> StoreResult<i64> {
        Ok(self.query_one("SELECT n FROM auth_epoch", &[])?.get(0))
    }
}

impl From<postgres::Error> for StoreError {
    fn from(e: postgres::Error) -> Self {
        if let Some(db) = e.as_db_error() {
            let code = db.code();
            if *code == SqlState::UNIQUE_VIOLATION {
                return StoreError::Conflict;
            }
            // Class 08 (connection), 57P01–03 (shutting down), 53
            // (out of resources), and the timeouts set above.
            let c = code.code();
            if c.starts_with("08")
                || c.starts_with("53")
                || c.starts_with("57P")
                || *code == SqlState::QUERY_CANCELED
                || *code == SqlState::LOCK_NOT_AVAILABLE
            {
                return StoreError::Unavailable(db.message().to_owned());
            }
            return StoreError::Other(format!("{}: {}", c, db.message()));
        }
        if e.is_closed() || std::error::Error::source(&e).is_some_and(|s| s.is::<std::io::Error>())
        {
            return StoreError::Unavailable(e.to_string());
        }
        StoreError::Other(e.to_string())
    }
}

/// A `u32` counter as stored (BIGINT).
fn count(n: i64) -> u32 {
    u32::try_from(n.max(0)).unwrap_or(u32::MAX)
}
