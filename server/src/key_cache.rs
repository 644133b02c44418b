//! The verified-key cache: a key's row, owner and organization by the
//! key's digest, so that a request with a known key does no database query.
//!
//! A cached answer must never outlive what it depends on by more than the
//! bounds of docs/server.md ("Running several instances"): a revocation,
//! expiry change, role change or removed user takes effect on every instance
//! within 1 s, and within 5 s even when a notification is lost. Three
//! things keep it so:
//! - this instance's own changes evict at once ([`KeyCache::evict`]);
//! - every change bumps the database's `auth_epoch` (triggers, whoever
//!   writes: another instance, an admin command, a hand-run SQL); a watcher
//!   reads it every [`EPOCH_CHECK_INTERVAL`] and empties the cache when it
//!   moved. On PostgreSQL a listener also empties it on each `NOTIFY`, at
//!   commit, and after each reconnect;
//! - when the epoch cannot be read (the database is away), the cache is
//!   emptied and stays unused until a read succeeds again: a verification
//!   then needs the database, and answers 503 while it is away.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::store::{KeyRow, OrgRow, UserRow};

/// How often the watcher reads `auth_epoch`.
pub const EPOCH_CHECK_INTERVAL: Duration = Duration::from_millis(250);

/// Entries beyond this are swept of expired ones before an insert.
const MAX_ENTRIES: usize = 50_000;

#[derive(Clone)]
pub struct CachedKey {
    pub key: Arc<KeyRow>,
    pub user: Arc<UserRow>,
    pub org: Arc<OrgRow>,
    pub fetched: Instant,
}

pub struct KeyCache {
    entries: Mutex<HashMap<[u8; 32], CachedKey>>,
    /// One look-up at a time per key: requests that miss together (a cold
    /// start, an entry past its TTL) wait for the first one's answer
    /// instead of each asking the database.
    lookups: Mutex<HashMap<[u8; 32], Arc<tokio::sync::Mutex<()>>>>,
    ttl: Duration,
    /// Bumped by every eviction, so a look-up that raced a change does not
    /// put the stale row back.
    generation: AtomicU64,
    /// The `auth_epoch` last read; `None` before the first read or after a
    /// failed one (then the cache is not used).
    epoch: Mutex<Option<i64>>,
    watching: AtomicBool,
}

impl KeyCache {
    pub fn new(ttl: Duration) -> KeyCache {
        KeyCache {
            entries: Mutex::new(HashMap::new()),
            lookups: Mutex::new(HashMap::new()),
            ttl,
            generation: AtomicU64::new(0),
            epoch: Mutex::new(None),
            watching: AtomicBool::new(false),
        }
    }

    /// True exactly once: the caller starts the watcher.
    pub fn start_watching(&self) -> bool {
        !self.watching.swap(true, Ordering::SeqCst)
    }

    fn usable(&self) -> bool {
        self.epoch
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .is_some()
    }

    /// A fresh entry for `digest`, if the cache may answer now.
    pub fn get(&self, digest: &[u8; 32]) -> Option<CachedKey> {
        if !self.usable() {
            return None;
        }
        let entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        entries
            .get(digest)
            .filter(|c| c.fetched.elapsed() < self.ttl)
            .cloned()
    }

    /// Waits for the look-up of `digest` in flight, if any, and claims the
    /// next one: check [`KeyCache::get`] again, then look up and insert.
    /// Dropping the claim lets the next waiter go.
    pub async fn claim_lookup(&self, digest: &[u8; 32]) -> LookupClaim<'_> {
        let lock = self
            .lookups
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .entry(*digest)
            .or_default()
            .clone();
        let guard = lock.clone().lock_owned().await;
        LookupClaim {
            cache: self,
            digest: *digest,
            _guard: guard,
        }
    }

    /// The generation to hand back to [`KeyCache::insert`] after a look-up.
    pub fn generation(&self) -> u64 {
        self.generation.load(Ordering::SeqCst)
    }

    /// Caches `entry` unless something was evicted since `generation` was
    /// read (the entry may predate that change) or the cache is not usable.
    pub fn insert(&self, digest: [u8; 32], entry: CachedKey, generation: u64) {
        if !self.usable() {
            return;
        }
        let mut entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        if entries.len() > MAX_ENTRIES {
            entries.retain(|_, c| c.fetched.elapsed() < self.ttl);
        }
        if self.generation.load(Ordering::SeqCst) == generation {
            entries.insert(digest, entry);
        }
    }

    pub fn evict(&self, key_id: &str) {
        self.generation.fetch_add(1, Ordering::SeqCst);
        self.entries
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .retain(|_, c| c.key.id != key_id);
    }

    pub fn clear(&self) {
        self.generation.fetch_add(1, Ordering::SeqCst);
        self.entries
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clear();
    }

    /// The watcher's reading of `auth_epoch` (`None`: it could not read it).
    pub fn saw_epoch(&self, epoch: Option<i64>) {
        let changed = {
            let mut seen = self.epoch.lock().unwrap_or_else(|e| e.into_inner());
            let changed = *seen != epoch;
            *seen = epoch;
            changed
        };
        if changed {
            self.clear();
        }
    }
}

/// The right to look one key up (see [`KeyCache::claim_lookup`]).
pub struct LookupClaim<'a> {
    cache: &'a KeyCache,
    digest: [u8; 32],
    _guard: tokio::sync::OwnedMutexGuard<()>,
}

impl Drop for LookupClaim<'_> {
    fn drop(&mut self) {
        // The last one out removes the lock: the map holds only look-ups
        // in flight. (`strong_count` 2: the map's and this guard's.)
        let mut lookups = self.cache.lookups.lock().unwrap_or_else(|e| e.into_inner());
        if lookups
            .get(&self.digest)
            .is_some_and(|l| Arc::strong_count(l) <= 2)
        {
            lookups.remove(&self.digest);
        }
    }
}
