//! The service's state: configuration, the store, the server key, the
//! limiter, the verified-key cache and the `last_used_at` bookkeeping.

use std::collections::HashMap;
use std::io::Write;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use scripto_wire::Secret;
use scripto_wire::types::OutboxMessage;

use crate::config::Config;
use crate::crypto::{ServerKey, hash_password};
use crate::key_cache::{EPOCH_CHECK_INTERVAL, KeyCache};
use crate::limiter::Limiter;
use crate::store::{DbUrl, KeyRow, Store, StoreError};
use crate::util::{now, random_base62, rfc3339};

/// The service: everything a request handler, an admin command or a page
/// can reach. Its operations live in `crate::service`, one module per
/// domain; the JSON routes call them. Cheap to clone.
#[derive(Clone)]
pub struct AppState(Arc<Inner>);

struct Inner {
    config: Config,
    store: Store,
    key: ServerKey,
    limiter: Limiter,
    keys: KeyCache,
    /// key id → the last `last_used_at` recorded (in memory and queued).
    last_used: Mutex<HashMap<String, i64>>,
    pending_last_used: Mutex<Vec<(String, i64)>>,
    /// Held for a whole flush, so a flush that finds the queue empty still
    /// waits for one in flight (at shutdown, in tests).
    flushing: tokio::sync::Mutex<()>,
    outbox: Mutex<()>,
    refusals: crate::audit::Refusals,
    seen_addresses: crate::audit::SeenAddresses,
    /// A hash of a random password, verified against when the e-mail is
    /// unknown so that a wrong e-mail costs what a wrong password costs.
    dummy_hash: String,
    /// Set once shutdown began: `/v1/health/ready` answers 503 so that a
    /// load balancer drains this instance.
    draining: AtomicBool,
    /// `http://` and the address the listener got (set by `serve_on`):
    /// the public URL when no `--public-url` names one.
    listen_url: std::sync::OnceLock<String>,
    /// The last health check of the database: when, and whether it
    /// answered.
    db_check: Mutex<Option<(Instant, bool)>>,
    /// The single sign-on provider, once [`AppState::discover_sso`] found
    /// it; empty without `--oidc-issuer`.
    sso: std::sync::OnceLock<crate::oidc::Provider>,
}

/// How long a health check of the database is reused: health probes cost
/// no query each.
const DB_CHECK_TTL: Duration = Duration::from_secs(1);

/// Why a server could not start.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error("cannot open the database {db}: {source}")]
    Db { db: DbUrl, source: StoreError },
    #[error("cannot read or create the server key {path}: {source}")]
    Key {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error(transparent)]
    Limiter(#[from] crate::limiter::LimiterError),
    #[error("single sign-on: {0}")]
    Sso(#[from] crate::oidc::OidcError),
}

impl AppState {
    /// Opens (and migrates) the database and loads the server key.
    pub fn new(config: Config) -> Result<AppState, StartError> {
        let store = Store::open(&config.db).map_err(|source| StartError::Db {
            db: config.db.clone(),
            source,
        })?;
        let key =
            ServerKey::load_or_create(&config.key_path).map_err(|source| StartError::Key {
                path: config.key_path.clone(),
                source,
            })?;
        // Every instance sharing the Redis shares the server key (it seals
        // TOTP secrets), so their hashes of one subject agree.
        let limiter = Limiter::new(&config, key.keyed_digest("rate-limit-subjects", ""))?;
        let dummy_hash = hash_password(&config.limits.password_hashing, &random_base62(24));
        let ttl = Duration::from_secs(config.limits.key_cache_ttl_secs);
        Ok(AppState(Arc::new(Inner {
            config,
            store,
            key,
            limiter,
            keys: KeyCache::new(ttl),
            last_used: Mutex::new(HashMap::new()),
            pending_last_used: Mutex::new(Vec::new()),
            flushing: tokio::sync::Mutex::new(()),
            outbox: Mutex::new(()),
            refusals: Default::default(),
            seen_addresses: Default::default(),
            dummy_hash,
            draining: AtomicBool::new(false),
            listen_url: std::sync::OnceLock::new(),
            db_check: Mutex::new(None),
            sso: std::sync::OnceLock::new(),
        })))
    }

    /// With `--oidc-issuer`: reads the provider's discovery document and
    /// keys, so that a misconfigured provider stops the start with one line
    /// instead of failing the first person who signs in. Call it once,
    /// before serving.
    pub async fn discover_sso(&self) -> Result<(), StartError> {
        if let Some(settings) = &self.0.config.oidc {
            let provider = crate::oidc::Provider::discover(settings.clone()).await?;
            let _ = self.0.sso.set(provider);
        }
        Ok(())
    }

    /// The single sign-on provider, when one is configured and discovered.
    pub(crate) fn sso(&self) -> Option<&crate::oidc::Provider> {
        self.0.sso.get()
    }

    pub fn config(&self) -> &Config {
        &self.0.config
    }

    /// Records the address the listener got, for [`AppState::public_url`].
    pub(crate) fn set_listen_addr(&self, addr: std::net::SocketAddr) {
        let _ = self.0.listen_url.set(format!("http://{addr}"));
    }

    /// Where people reach this server, without a trailing `/`:
    /// `--public-url`, else `http://` and the listening address.
    pub fn public_url(&self) -> String {
        match &self.0.config.public_url {
            Some(u) => u.trim_end_matches('/').to_owned(),
            None => self
                .0
                .listen_url
                .get()
                .cloned()
                .unwrap_or_else(|| format!("http://{}", self.0.config.addr)),
        }
    }

    pub(crate) fn store(&self) -> &Store {
        &self.0.store
    }

    pub(crate) fn server_key(&self) -> &ServerKey {
        &self.0.key
    }

    pub(crate) fn limiter(&self) -> &Limiter {
        &self.0.limiter
    }

    pub(crate) fn limits(&self) -> &crate::config::Limits {
        &self.0.config.limits
    }

    pub(crate) fn key_cache(&self) -> &KeyCache {
        &self.0.keys
    }

    pub(crate) fn refusals(&self) -> &crate::audit::Refusals {
        &self.0.refusals
    }

    pub(crate) fn seen_addresses(&self) -> &crate::audit::SeenAddresses {
        &self.0.seen_addresses
    }

    pub(crate) fn dummy_hash(&self) -> &str {
        &self.0.dummy_hash
    }

    /// Marks the instance as shutting down (readiness answers 503).
    pub fn start_draining(&self) {
        self.0.draining.store(true, Ordering::SeqCst);
    }

    pub fn is_draining(&self) -> bool {
        self.0.draining.load(Ordering::SeqCst)
    }

    /// Whether the database answered a query within the last second (or
    /// answers one now, within 2 s).
    pub(crate) async fn database_answers(&self) -> bool {
        let recent = *self.0.db_check.lock().unwrap_or_else(|e| e.into_inner());
        if let Some((at, up)) = recent
            && at.elapsed() < DB_CHECK_TTL
        {
            return up;
        }
        let up = tokio::time::timeout(Duration::from_secs(2), self.0.store.ping())
            .await
            .unwrap_or(false);
        *self.0.db_check.lock().unwrap_or_else(|e| e.into_inner()) = Some((Instant::now(), up));
        up
    }

    /// Starts, once, what keeps the key cache honest: the epoch watcher
    /// and (PostgreSQL) the change listener. See [`KeyCache`].
    pub(crate) fn watch_changes(&self) {
        if !self.0.keys.start_watching() {
            return;
        }
        let weak = Arc::downgrade(&self.0);
        let store = self.0.store.clone();
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(EPOCH_CHECK_INTERVAL);
            tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            loop {
                tick.tick().await;
                let Some(inner) = weak.upgrade() else { return };
                let epoch = store.run(|c| c.auth_epoch()).await;
                inner.keys.saw_epoch(epoch.ok());
            }
        });
        let alive = Arc::downgrade(&self.0);
        let notified = Arc::downgrade(&self.0);
        self.0.store.listen_for_changes(
            move || alive.strong_count() > 0,
            move || {
                if let Some(inner) = notified.upgrade() {
                    inner.keys.clear();
                }
            },
        );
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
            .store
            .run(move |c| {
                let mut tx = c.write()?;
                tx.write_last_used(&batch)?;
                tx.commit()
            })
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

    pub(crate) fn evict_key(&self, key_id: &str) {
        self.0.keys.evict(key_id);
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
