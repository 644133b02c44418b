//! A small in-memory rate limiter: one window per (bucket, subject) that
//! opens at the first request and lasts `period` seconds, so a "1 per 30 s"
//! cool-down is exact. Every check reports what the `X-RateLimit-*` headers
//! need.

use std::collections::HashMap;
use std::hash::BuildHasher;
use std::sync::Mutex;

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
    LeakReportIp,
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

#[derive(Debug, Clone, Copy)]
struct Window {
    start: i64,
    period: i64,
    count: u32,
}

/// Windows are keyed by a 64-bit keyed hash of the subject, so the hot
/// path allocates nothing; a collision (odds of about 1 in 10^9 with a
/// million subjects) would only make two subjects share a window.
#[derive(Default)]
pub struct Limiter {
    windows: Mutex<HashMap<(Bucket, u64), Window>>,
    hasher: std::collections::hash_map::RandomState,
}

impl Limiter {
    /// How many requests the open window of (`bucket`, `subject`) has
    /// counted; 0 when there is none.
    pub fn used(&self, bucket: Bucket, subject: &str, now: i64) -> u32 {
        let h = self.hasher.hash_one(subject);
        let map = self.windows.lock().unwrap_or_else(|e| e.into_inner());
        match map.get(&(bucket, h)) {
            Some(w) if now < w.start + w.period => w.count,
            _ => 0,
        }
    }

    /// Counts one request against each check if all of them allow it.
    /// `Ok` carries the tightest window (least remaining); `Err` the refusing
    /// one with the longest wait.
    pub fn hit(&self, checks: &[Check<'_>], now: i64) -> Result<RateInfo, RateInfo> {
        let hashes: Vec<u64> = checks.iter().map(|c| self.hasher.hash_one(c.1)).collect();
        let mut map = self.windows.lock().unwrap_or_else(|e| e.into_inner());
        if map.len() > 100_000 {
            map.retain(|_, w| now < w.start + w.period);
        }
        let mut refused: Option<RateInfo> = None;
        let mut tightest: Option<RateInfo> = None;
        for (&(bucket, _, limit, period), &h) in checks.iter().zip(&hashes) {
            let period = period.max(1) as i64;
            let w = match map.get(&(bucket, h)) {
                Some(w) if now < w.start + w.period => *w,
                _ => Window {
                    start: now,
                    period,
                    count: 0,
                },
            };
            let reset = w.start + w.period;
            if w.count >= limit {
                let info = RateInfo {
                    limit,
                    remaining: 0,
                    reset,
                    retry_after: Some((reset - now).max(1) as u64),
                };
                if refused.is_none_or(|r| r.retry_after < info.retry_after) {
                    refused = Some(info);
                }
            } else {
                let info = RateInfo {
                    limit,
                    remaining: limit - w.count - 1,
                    reset,
                    retry_after: None,
                };
                if tightest.is_none_or(|t| info.remaining < t.remaining) {
                    tightest = Some(info);
                }
            }
        }
        if let Some(r) = refused {
            return Err(r);
        }
        for (&(bucket, _, _, period), &h) in checks.iter().zip(&hashes) {
            let period = period.max(1) as i64;
            let w = map.entry((bucket, h)).or_insert(Window {
                start: now,
                period,
                count: 0,
            });
            if now >= w.start + w.period {
                *w = Window {
                    start: now,
                    period,
                    count: 0,
                };
            }
            w.count += 1;
        }
        Ok(tightest.unwrap_or(RateInfo {
            limit: 0,
            remaining: 0,
            reset: now,
            retry_after: None,
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_window_refuses_past_its_limit_and_reopens_after_its_period() {
        let l = Limiter::default();
        let c = [(Bucket::LoginIp, "1.2.3.4", 2, 60)];
        assert_eq!(l.hit(&c, 100).unwrap().remaining, 1);
        assert_eq!(l.hit(&c, 101).unwrap().remaining, 0);
        let refused = l.hit(&c, 110).unwrap_err();
        assert_eq!(refused.retry_after, Some(50));
        assert_eq!(refused.reset, 160);
        assert!(l.hit(&c, 160).is_ok());
    }

    #[test]
    fn a_refusal_by_one_check_counts_against_none() {
        let l = Limiter::default();
        let loose = (Bucket::CodeEmailHour, "a@b.c", 20, 3600);
        let tight = (Bucket::CodeResend, "a@b.c", 1, 30);
        assert!(l.hit(&[loose, tight], 0).is_ok());
        assert!(l.hit(&[loose, tight], 5).is_err());
        // The refused call did not count: 18 left after this second send.
        assert_eq!(l.hit(&[loose], 40).unwrap().remaining, 18);
    }
}
