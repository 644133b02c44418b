//! Rate limits: one window per (bucket, subject) that opens at the first
//! request and lasts `period` seconds, so a "1 per 30 s" cool-down is exact.
//! Every check reports what the `X-RateLimit-*` headers need.
//!
//! Each instance counts in memory ([`local`]) unless a Redis URL is
//! configured: then the windows live in Redis ([`redis`]) and every instance
//! that shares the Redis and its key prefix shares every budget. When Redis
//! does not answer, the instance counts alone on its local windows until it
//! answers again, so a Redis outage never fails a request.

mod local;
mod redis;

use std::sync::Arc;

use crate::config::Config;
use local::LocalLimiter;
use redis::SharedWindows;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Bucket {
    Credential,
    AnonymousIp,
    CodeResend,
    CodeEmailHour,
    CodeEmailIpHour,
    CodeIpHour,
    LoginEmail,
    LoginIp,
    SsoIp,
    LeakReportIp,
    DeviceStartIp,
    DeviceEntryIp,
}

impl Bucket {
    /// The bucket's part of a Redis key: stable across releases, since
    /// instances of two releases may share one Redis during an upgrade.
    fn key_name(self) -> &'static str {
        match self {
            Bucket::Credential => "credential",
            Bucket::AnonymousIp => "anonymous-ip",
            Bucket::CodeResend => "code-resend",
            Bucket::CodeEmailHour => "code-email-hour",
            Bucket::CodeEmailIpHour => "code-email-ip-hour",
            Bucket::CodeIpHour => "code-ip-hour",
            Bucket::LoginEmail => "login-email",
            Bucket::LoginIp => "login-ip",
            Bucket::SsoIp => "sso-ip",
            Bucket::LeakReportIp => "leak-report-ip",
            Bucket::DeviceStartIp => "device-start-ip",
            Bucket::DeviceEntryIp => "device-entry-ip",
        }
    }
}

/// What a response reports: the limit, what is left, when the window
/// resets (unix seconds), and on refusal how long to wait.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateInfo {
    pub limit: u32,
    pub remaining: u32,
    pub reset: i64,
    pub retry_after: Option<u64>,
}

/// One check: bucket, subject, limit, period in seconds.
pub type Check<'a> = (Bucket, &'a str, u32, u64);

/// Why the limiter could not be set up.
#[derive(Debug, thiserror::Error)]
pub enum LimiterError {
    #[error(
        "--redis {0}: not a Redis URL; write it as redis://[:PASSWORD@]HOST[:PORT][/DB] or unix:///PATH"
    )]
    BadUrl(String),
    #[error(
        "--redis {0}: TLS (rediss://) is not built in; reach Redis on a private network or through a local TLS tunnel with redis://"
    )]
    NoTls(String),
}

/// The rate limiter of one instance: local windows, and Redis's when one is
/// configured.
#[derive(Default)]
pub struct Limiter {
    local: LocalLimiter,
    shared: Option<Arc<SharedWindows>>,
}

impl Limiter {
    /// The limiter `config` asks for. `subject_key` keys the hash that
    /// stands for a subject in Redis (subjects are addresses and IPs, which
    /// Redis must not hold in clear); every instance sharing the Redis must
    /// be given the same one.
    pub fn new(config: &Config, subject_key: [u8; 32]) -> Result<Limiter, LimiterError> {
        let shared = match &config.redis_url {
            Some(url) => Some(Arc::new(SharedWindows::new(
                url,
                &config.redis_prefix,
                subject_key,
            )?)),
            None => None,
        };
        Ok(Limiter {
            local: LocalLimiter::default(),
            shared,
        })
    }

    /// At start: with Redis configured, says so in one line and makes the
    /// first connection (bounded by the connect timeout), so the first
    /// requests are already counted in Redis. Without Redis it does nothing.
    pub async fn start(&self) {
        if let Some(shared) = &self.shared {
            tracing::info!(
                redis = %shared.masked_url(),
                prefix = shared.prefix(),
                "rate-limit budgets are shared through Redis with every instance that uses it"
            );
            shared.connect_now().await;
        }
    }

    /// Whether Redis answered its last command: `None` without Redis.
    pub fn redis_answers(&self) -> Option<bool> {
        self.shared.as_ref().map(|s| s.is_connected())
    }

    /// How many requests the open window of (`bucket`, `subject`) has
    /// counted; 0 when there is none.
    pub async fn used(&self, bucket: Bucket, subject: &str, now: i64) -> u32 {
        if let Some(shared) = &self.shared
            && let Some(n) = shared.used(bucket, subject).await
        {
            return n;
        }
        self.local.used(bucket, subject, now)
    }

    /// Counts one request against each check if all of them allow it.
    /// `Ok` carries the tightest window (least remaining); `Err` the refusing
    /// one with the longest wait.
    pub async fn hit(&self, checks: &[Check<'_>], now: i64) -> Result<RateInfo, RateInfo> {
        if let Some(shared) = &self.shared
            && !checks.is_empty()
            && let Some(answer) = shared.hit(checks, now).await
        {
            return answer;
        }
        self.local.hit(checks, now)
    }
}
