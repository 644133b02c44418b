//! Shared server state: configuration, database, server key, limiter, the
//! verified-key cache and the `last_used_at` bookkeeping.

use std::collections::HashMap;
use std::io::Write;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use scripto_wire::Secret;
use scripto_wire::types::OutboxMessage;

use crate::config::Config;
use crate::crypto::{ServerKey, hash_password};
use crate::db::{self, Db, KeyRow, OrgRow, UserRow};
use crate::limiter::Limiter;
use crate::util::{now, random_base62, rfc3339};

/// Everything a request handler can reach. Cheap to clone.
#[derive(Clone)]
pub struct AppState(pub(crate) Arc<Inner>);

pub(crate) struct Inner {
    pub config: Config,
    pub db: Arc<Db>,
    pub key: ServerKey,
    pub limiter: Limiter,
    pub key_cache: Mutex<HashMap<[u8; 32], CachedKey>>,
    /// Bumped by every eviction, so a look-up that raced a revocation does
    /// not put the stale row back into the cache.
    pub cache_generation: AtomicU64,
    /// The database's `auth_epoch` as last read, and when it was read.
    epoch: Mutex<EpochSeen>,
    /// key id → the last `last_used_at` recorded (in memory and queued).
    pub last_used: Mutex<HashMap<String, i64>>,
    pending_last_used: Mutex<Vec<(String, i64)>>,
    /// Held for a whole flush, so a flush that finds the queue empty still
    /// waits for one in flight (at shutdown, in tests).
    flushing: tokio::sync::Mutex<()>,
    outbox: Mutex<()>,
    pub refusals: crate::audit::Refusals,
    pub seen_addresses: crate::audit::SeenAddresses,
    /// A hash of a random password, verified against when the e-mail is
    /// unknown so that a wrong e-mail costs what a wrong password costs.
    pub dummy_hash: String,
}

/// How often the key cache asks the database whether anything it depends
/// on changed behind the server's back (a role changed by `scripto-server
/// users set-role`, a row edited by hand): such a change is in effect
/// within this interval plus one database read.
const EPOCH_CHECK_INTERVAL: Duration = Duration::from_millis(250);

struct EpochSeen {
    value: Option<i64>,
    checked: Option<Instant>,
}

#[derive(Clone)]
pub struct CachedKey {
    pub key: Arc<KeyRow>,
    pub user: Arc<UserRow>,
    pub org: Arc<OrgRow>,
    pub fetched: Instant,
}

/// Why a server could not start.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error("cannot open the database {path}: {source}")]
    Db {
        path: PathBuf,
        source: rusqlite::Error,
    },
    #[error("cannot read or create the server key {path}: {source}")]
    Key {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error(transparent)]
    Limiter(#[from] crate::limiter::LimiterError),
}

impl AppState {
    /// Opens (and migrates) the database and loads the server key.
    pub fn new(config: Config) -> Result<AppState, StartError> {
        let db = Db::open(&config.db_path).map_err(|source| StartError::Db {
            path: config.db_path.clone(),
            source,
        })?;
        let key =
            ServerKey::load_or_create(&config.key_path).map_err(|source| StartError::Key {
                path: config.key_path.clone(),
                source,
            })?;
        let dummy_hash = hash_password(&config.limits.password_hashing, &random_base62(24));
        // Every instance sharing the Redis shares the server key (it seals
        // TOTP secrets), so their hashes of one subject agree.
        let limiter = Limiter::new(&config, key.keyed_digest("rate-limit-subjects", ""))?;
        Ok(AppState(Arc::new(Inner {
            config,
            db: Arc::new(db),
            key,
            limiter,
            key_cache: Mutex::new(HashMap::new()),
            cache_generation: AtomicU64::new(0),
            epoch: Mutex::new(EpochSeen {
                value: None,
                checked: None,
            }),
            last_used: Mutex::new(HashMap::new()),
            pending_last_used: Mutex::new(Vec::new()),
            flushing: tokio::sync::Mutex::new(()),
            outbox: Mutex::new(()),
            refusals: Default::default(),
            seen_addresses: Default::default(),
            dummy_hash,
        })))
    }

    pub fn config(&self) -> &Config {
        &self.0.config
    }

    /// Notes a use of `key`: at most once per interval it is queued for the
    /// database, so verification stays a read.
    pub(crate) fn record_use(&self, key: &KeyRow) {
        let t = now();
        let interval = self.0.config.limits.last_used_interval_secs as i64;
        let due = {
            let mut map = self.0.last_used.lock().unwrap_or_else(|e| e.into_inner());
            let last = map.get(&key.id).copied().or(key.last_used_at);
            if last.is_none_or(|l| t - l >= interval) {
                map.insert(key.id.clone(), t);
                true
            } else {
                false
            }
        };
        if due {
            let first = {
                let mut pending = self
                    .0
                    .pending_last_used
                    .lock()
                    .unwrap_or_else(|e| e.into_inner());
                pending.push((key.id.clone(), t));
                pending.len() == 1
            };
            if first {
                let state = self.clone();
                tokio::spawn(async move { state.flush_last_used().await });
            }
        }
    }

    /// Writes the queued `last_used_at` values in one transaction.
    pub async fn flush_last_used(&self) {
        let _flushing = self.0.flushing.lock().await;
        let batch = std::mem::take(
            &mut *self
                .0
                .pending_last_used
                .lock()
                .unwrap_or_else(|e| e.into_inner()),
        );
        if batch.is_empty() {
            return;
        }
        let res = self
            .0
            .db
            .run(move |conn| db::write_last_used(conn, &batch).map_err(Into::into))
            .await;
        if res.is_err() {
            tracing::warn!("could not write last_used_at");
        }
    }

    /// The `last_used_at` to show: the database's, or a newer one recorded
    /// in memory and not yet written.
    pub(crate) fn last_used_of(&self, key: &KeyRow) -> Option<i64> {
        let mem = self
            .0
            .last_used
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .get(&key.id)
            .copied();
        match (mem, key.last_used_at) {
            (Some(a), Some(b)) => Some(a.max(b)),
            (a, b) => a.or(b),
        }
    }

    /// Empties the key cache when the database's `auth_epoch` moved since
    /// it was last read (at most every [`EPOCH_CHECK_INTERVAL`]). One
    /// small read, whoever changed the database.
    pub(crate) async fn check_key_cache(&self) -> Result<(), crate::error::ApiErr> {
        {
            let mut seen = self.0.epoch.lock().unwrap_or_else(|e| e.into_inner());
            if seen
                .checked
                .is_some_and(|c| c.elapsed() < EPOCH_CHECK_INTERVAL)
            {
                return Ok(());
            }
            // Claimed: concurrent requests use the cache meanwhile.
            seen.checked = Some(Instant::now());
        }
        let current = self.0.db.run(|conn| Ok(db::auth_epoch(conn)?)).await?;
        let changed = {
            let mut seen = self.0.epoch.lock().unwrap_or_else(|e| e.into_inner());
            let changed = seen.value.is_some_and(|v| v != current);
            seen.value = Some(current);
            changed
        };
        if changed {
            self.0.cache_generation.fetch_add(1, Ordering::SeqCst);
            self.0
                .key_cache
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .clear();
        }
        Ok(())
    }

    pub(crate) fn evict_key(&self, key_id: &str) {
        self.0.cache_generation.fetch_add(1, Ordering::SeqCst);
        self.0
            .key_cache
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .retain(|_, c| c.key.id != key_id);
    }

    /// Delivers a one-time code: a JSON line in the outbox, and the log.
    pub(crate) fn deliver_code(&self, to: &str, code: &Secret, purpose: &str) {
        let msg = OutboxMessage {
            to: to.to_owned(),
            code: code.clone(),
            purpose: purpose.to_owned(),
            sent_at: rfc3339(now()),
        };
        let line = match serde_json::to_string(&msg) {
            Ok(l) => l,
            Err(_) => return,
        };
        {
            let _guard = self.0.outbox.lock().unwrap_or_else(|e| e.into_inner());
            let path = &self.0.config.outbox_path;
            if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
                let _ = std::fs::create_dir_all(dir);
            }
            let mut opts = std::fs::OpenOptions::new();
            opts.create(true).append(true);
            // The outbox holds live codes: readable by its owner only.
            #[cfg(unix)]
            std::os::unix::fs::OpenOptionsExt::mode(&mut opts, 0o600);
            let written = opts.open(path).and_then(|mut f| writeln!(f, "{line}"));
            if let Err(e) = written {
                tracing::error!(path = %path.display(), error = %e, "cannot append to the outbox");
            }
        }
        if self.0.config.log_codes {
            // The development mail relay: the code is meant to be read here.
            tracing::info!(to, code = code.expose(), purpose, "one-time code sent");
        } else {
            tracing::info!(to, purpose, "one-time code sent (see the outbox)");
        }
    }
}
