//! Windows shared by every instance that uses one Redis and one key prefix.
//!
//! A hit is one round trip: a Lua script (EVALSHA, loaded again on
//! NOSCRIPT) that sees all the checks' windows at once, refuses when any is
//! full (counting nothing), else counts one in each. Redis runs a script
//! atomically, so concurrent hits from any number of instances can never
//! both take the last slot of a window.
//!
//! A window is a counter key `<prefix>rl:<bucket>:<hash of subject>` that
//! expires `period` after its first request, so its TTL is the time to its
//! reset. Subjects are e-mail addresses and client IPs: the key holds a
//! keyed hash of them, never the subject itself.
//!
//! Every command has a bound. When Redis fails or does not answer in time,
//! the connection is dropped and the caller counts locally; a new
//! connection is tried in the background at most once a second, and the
//! warning is logged at most once a minute.

use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use ::redis::aio::MultiplexedConnection;
use ::redis::{AsyncConnectionConfig, Client, RedisError, Script};
use scripto_wire::Secret;

use super::{Bucket, Check, LimiterError, RateInfo};
use crate::util::{hex, sha256};

/// Time to open a connection (TCP, AUTH, SELECT), and to its first PING.
const CONNECT_TIMEOUT: Duration = Duration::from_millis(500);
/// Time for one command: a request waits at most this long on Redis before
/// it is counted locally instead.
const COMMAND_TIMEOUT: Duration = Duration::from_millis(250);
/// While Redis is away, a new connection is tried at most this often.
const RETRY_EVERY: Duration = Duration::from_secs(1);
/// While Redis is away, the warning is repeated at most this often.
const WARN_EVERY: Duration = Duration::from_secs(60);

/// KEYS[i]: the window of check i; ARGV[2i-1]: its limit; ARGV[2i]: its
/// period in milliseconds. Returns {accepted (1 or 0), count_1, ttl_1,
/// count_2, ttl_2, ...}: each window's count (after this request when
/// accepted) and its milliseconds to reset.
const HIT_SCRIPT: &str = r"
local out = {1}
for i = 1, #KEYS do
  local period = tonumber(ARGV[2 * i])
  local count = tonumber(redis.call('GET', KEYS[i]) or '0')
  local ttl = period
  if count > 0 then
    ttl = redis.call('PTTL', KEYS[i])
    if ttl < 0 then
      -- A window without expiry would never reset: give it its period.
      redis.call('PEXPIRE', KEYS[i], period)
      ttl = period
    end
  end
  if count >= tonumber(ARGV[2 * i - 1]) then out[1] = 0 end
  out[2 * i] = count
  out[2 * i + 1] = ttl
end
if out[1] == 1 then
  for i = 1, #KEYS do
    local count = redis.call('INCR', KEYS[i])
    if count == 1 then redis.call('PEXPIRE', KEYS[i], ARGV[2 * i]) end
    out[2 * i] = count
  end
end
return out
";

pub struct SharedWindows {
    client: Client,
    masked_url: String,
    prefix: String,
    subject_key: [u8; 32],
    script: Script,
    link: Mutex<Link>,
}

/// The connection, and what is needed to bound reconnecting and warning.
#[derive(Default)]
struct Link {
    /// The connection in use, numbered so that a failure seen on an old
    /// one does not drop its replacement.
    conn: Option<(u64, MultiplexedConnection)>,
    generation: u64,
    connecting: bool,
    last_attempt: Option<Instant>,
    last_warning: Option<Instant>,
    /// Redis was lost (or never reached): the next connection is announced.
    lost: bool,
}

impl SharedWindows {
    pub fn new(
        url: &Secret,
        prefix: &str,
        subject_key: [u8; 32],
    ) -> Result<SharedWindows, LimiterError> {
        let masked_url = crate::util::mask_url_password(url.expose());
        if url.expose().starts_with("rediss://") {
            return Err(LimiterError::NoTls(masked_url));
        }
        let client =
            Client::open(url.expose()).map_err(|_| LimiterError::BadUrl(masked_url.clone()))?;
        Ok(SharedWindows {
            client,
            masked_url,
            prefix: prefix.to_owned(),
            subject_key,
            script: Script::new(HIT_SCRIPT),
            link: Mutex::new(Link::default()),
        })
    }

    pub fn masked_url(&self) -> &str {
        &self.masked_url
    }

    pub fn prefix(&self) -> &str {
        &self.prefix
    }

    pub fn is_connected(&self) -> bool {
        self.lock().conn.is_some()
    }

    /// Counts a hit in Redis; `None` when Redis cannot answer now (the
    /// caller counts locally).
    pub async fn hit(
        self: &Arc<Self>,
        checks: &[Check<'_>],
        now: i64,
    ) -> Option<Result<RateInfo, RateInfo>> {
        let (generation, mut conn) = self.connection()?;
        let mut invocation = self.script.prepare_invoke();
        for &(bucket, subject, limit, period) in checks {
            invocation
                .key(self.key(bucket, subject))
                .arg(limit)
                .arg(period.max(1).saturating_mul(1000));
        }
        let answer = tokio::time::timeout(
            COMMAND_TIMEOUT,
            invocation.invoke_async::<Vec<i64>>(&mut conn),
        )
        .await;
        match answer {
            Ok(Ok(reply)) if reply.len() == 1 + 2 * checks.len() => {
                Some(rate_info(checks, &reply, now))
            }
            Ok(Ok(_)) => {
                self.lose(generation, "unexpected answer to the rate-limit script");
                None
            }
            Ok(Err(e)) => {
                self.lose(generation, &describe(&e));
                None
            }
            Err(_) => {
                self.lose(generation, &no_answer());
                None
            }
        }
    }

    /// The count of a window in Redis; `None` when Redis cannot answer now.
    pub async fn used(self: &Arc<Self>, bucket: Bucket, subject: &str) -> Option<u32> {
        let (generation, mut conn) = self.connection()?;
        let mut get = ::redis::cmd("GET");
        get.arg(self.key(bucket, subject));
        let answer =
            tokio::time::timeout(COMMAND_TIMEOUT, get.query_async::<Option<u64>>(&mut conn)).await;
        match answer {
            Ok(Ok(n)) => Some(u32::try_from(n.unwrap_or(0)).unwrap_or(u32::MAX)),
            Ok(Err(e)) => {
                self.lose(generation, &describe(&e));
                None
            }
            Err(_) => {
                self.lose(generation, &no_answer());
                None
            }
        }
    }

    /// Connects now and waits for it, unless a connection exists or is
    /// being made.
    pub async fn connect_now(&self) {
        {
            let mut link = self.lock();
            if link.conn.is_some() || link.connecting {
                return;
            }
            link.connecting = true;
            link.last_attempt = Some(Instant::now());
        }
        self.connect().await;
    }

    /// `<prefix>rl:<bucket>:<128 bits of a keyed SHA-256 of the subject>`.
    fn key(&self, bucket: Bucket, subject: &str) -> String {
        let mut buf = Vec::with_capacity(32 + subject.len());
        buf.extend_from_slice(&self.subject_key);
        buf.extend_from_slice(subject.as_bytes());
        let digest = sha256(&buf);
        format!(
            "{}rl:{}:{}",
            self.prefix,
            bucket.key_name(),
            hex(&digest[..16])
        )
    }

    fn lock(&self) -> MutexGuard<'_, Link> {
        self.link.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The connection to use, or `None` while there is none; then a new
    /// one is tried in the background if the last try is a second old.
    /// Requests never wait for a connection.
    fn connection(self: &Arc<Self>) -> Option<(u64, MultiplexedConnection)> {
        let mut link = self.lock();
        if let Some(conn) = &link.conn {
            return Some(conn.clone());
        }
        let due = !link.connecting && link.last_attempt.is_none_or(|t| t.elapsed() >= RETRY_EVERY);
        if due && let Ok(runtime) = tokio::runtime::Handle::try_current() {
            link.connecting = true;
            link.last_attempt = Some(Instant::now());
            let me = Arc::clone(self);
            runtime.spawn(async move { me.connect().await });
        }
        None
    }

    /// One bounded connection attempt; the caller has set `connecting`.
    async fn connect(&self) {
        let config = AsyncConnectionConfig::new()
            .set_connection_timeout(Some(CONNECT_TIMEOUT))
            .set_response_timeout(Some(COMMAND_TIMEOUT));
        let attempt = async {
            let mut conn = self
                .client
                .get_multiplexed_async_connection_with_config(&config)
                .await?;
            // A Redis that accepts connections but does not answer them
            // (stopped, overloaded) is not up.
            ::redis::cmd("PING")
                .query_async::<String>(&mut conn)
                .await?;
            Ok::<_, RedisError>(conn)
        };
        let result = tokio::time::timeout(CONNECT_TIMEOUT + COMMAND_TIMEOUT, attempt).await;
        let mut link = self.lock();
        link.connecting = false;
        let reason = match result {
            Ok(Ok(conn)) => {
                link.generation += 1;
                link.conn = Some((link.generation, conn));
                let back = std::mem::take(&mut link.lost);
                drop(link);
                if back {
                    tracing::info!(
                        redis = %self.masked_url,
                        "Redis answers again: rate-limit budgets are shared again"
                    );
                }
                return;
            }
            Ok(Err(e)) => describe(&e),
            Err(_) => format!(
                "no connection within {} ms",
                (CONNECT_TIMEOUT + COMMAND_TIMEOUT).as_millis()
            ),
        };
        let warn = Self::note_loss(&mut link);
        drop(link);
        if warn {
            self.warn(&reason);
        }
    }

    /// A command on connection `generation` failed: drop the connection
    /// (once, whoever saw it first) and count locally until a new one.
    fn lose(&self, generation: u64, reason: &str) {
        let mut link = self.lock();
        if link.conn.as_ref().is_none_or(|(g, _)| *g != generation) {
            // Already dropped, or replaced, by another request.
            return;
        }
        link.conn = None;
        link.last_attempt = Some(Instant::now());
        let warn = Self::note_loss(&mut link);
        drop(link);
        if warn {
            self.warn(reason);
        }
    }

    /// Marks Redis lost; true when the warning is due (once a minute).
    fn note_loss(link: &mut Link) -> bool {
        link.lost = true;
        let due = link.last_warning.is_none_or(|t| t.elapsed() >= WARN_EVERY);
        if due {
            link.last_warning = Some(Instant::now());
        }
        due
    }

    fn warn(&self, reason: &str) {
        tracing::warn!(
            redis = %self.masked_url,
            reason,
            "Redis does not answer: each instance counts rate-limit budgets alone until it does (this warning repeats at most once a minute)"
        );
    }
}

/// The headers' view of the script's answer, as the local limiter gives it:
/// `Ok` with the tightest window, or `Err` with the full window that has
/// the longest wait.
fn rate_info(checks: &[Check<'_>], reply: &[i64], now: i64) -> Result<RateInfo, RateInfo> {
    let accepted = reply[0] == 1;
    let mut refused: Option<RateInfo> = None;
    let mut tightest: Option<RateInfo> = None;
    for (i, &(_, _, limit, _)) in checks.iter().enumerate() {
        let count = u32::try_from(reply[1 + 2 * i].max(0)).unwrap_or(u32::MAX);
        // Milliseconds to reset, rounded up to whole seconds, at least 1.
        let wait = (reply[2 + 2 * i].max(1) as u64).div_ceil(1000);
        let reset = now + wait as i64;
        if accepted {
            let info = RateInfo {
                limit,
                remaining: limit.saturating_sub(count),
                reset,
                retry_after: None,
            };
            if tightest.is_none_or(|t| info.remaining < t.remaining) {
                tightest = Some(info);
            }
        } else if count >= limit {
            let info = RateInfo {
                limit,
                remaining: 0,
                reset,
                retry_after: Some(wait),
            };
            if refused.is_none_or(|r| r.retry_after < info.retry_after) {
                refused = Some(info);
            }
        }
    }
    let none = RateInfo {
        limit: 0,
        remaining: 0,
        reset: now,
        retry_after: None,
    };
    if accepted {
        Ok(tightest.unwrap_or(none))
    } else {
        Err(refused.unwrap_or(RateInfo {
            retry_after: Some(1),
            ..none
        }))
    }
}

fn no_answer() -> String {
    format!("no answer within {} ms", COMMAND_TIMEOUT.as_millis())
}

/// What went wrong, in a few words and without the URL.
fn describe(e: &RedisError) -> String {
    if e.is_timeout() {
        no_answer()
    } else if e.is_connection_refusal() {
        "connection refused".to_owned()
    } else if e.is_connection_dropped() {
        "connection lost".to_owned()
    } else {
        e.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bad_url_is_refused_without_its_password() {
        let err = SharedWindows::new(&Secret::new("http://:hunter2@x"), "p:", [0; 32])
            .err()
            .expect("refused");
        let text = err.to_string();
        assert!(!text.contains("hunter2"), "{text}");
        assert!(text.contains("redis://"), "{text}");
        let err = SharedWindows::new(&Secret::new("rediss://:hunter2@x"), "p:", [0; 32])
            .err()
            .expect("refused");
        let text = err.to_string();
        assert!(!text.contains("hunter2") && text.contains("TLS"), "{text}");
    }

    #[test]
    fn keys_hold_a_hash_of_the_subject_not_the_subject() {
        let w = SharedWindows::new(&Secret::new("redis://127.0.0.1"), "t:", [7; 32]).unwrap();
        let key = w.key(Bucket::LoginEmail, "a@example.com");
        assert!(key.starts_with("t:rl:login-email:"), "{key}");
        assert!(!key.contains("example"), "{key}");
        assert_eq!(key.len(), "t:rl:login-email:".len() + 32);
        assert_ne!(key, w.key(Bucket::LoginEmail, "b@example.com"));
        let other = SharedWindows::new(&Secret::new("redis://127.0.0.1"), "t:", [8; 32]).unwrap();
        assert_ne!(key, other.key(Bucket::LoginEmail, "a@example.com"));
    }

    #[test]
    fn the_scripts_answer_becomes_the_same_rate_info_as_the_local_one() {
        let loose = (Bucket::CodeEmailHour, "a@b.c", 20, 3600);
        let tight = (Bucket::CodeResend, "a@b.c", 1, 30);
        // Accepted: counts after the hit, 3,599.2 s and 30 s to reset.
        let ok = rate_info(&[loose, tight], &[1, 2, 3_599_200, 1, 30_000], 100).unwrap();
        assert_eq!(
            ok,
            RateInfo {
                limit: 1,
                remaining: 0,
                reset: 130,
                retry_after: None
            }
        );
        // Refused by the cool-down alone: it names that window and its wait.
        let refused = rate_info(&[loose, tight], &[0, 2, 3_590_000, 1, 20_500], 110).unwrap_err();
        assert_eq!(
            refused,
            RateInfo {
                limit: 1,
                remaining: 0,
                reset: 131,
                retry_after: Some(21)
            }
        );
    }
}
